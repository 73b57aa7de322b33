// gosumdb/node dirhash helpers on real files: the Go-generated vectors written to disk (hashDirOnDisk,
// dirFilesOnDisk, hashZipFile, checkZipFile), links and special files, and the CLI's hash command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GosumdbError } from '../../src/internal/errors.js';
import { checkZipFile, dirFilesOnDisk, hashDirOnDisk, hashModuleZipFile, hashZipFile } from '../../src/node/dirhash.js';
import { fileSource } from '../../src/node/fileSource.js';
import { expectedH1 } from './zipfixture.js';

// biome-ignore lint/suspicious/noExplicitAny: vector JSON, shaped per topic.
type Case = { name: string; input: any; want?: any; error?: { code: string } };
const vectors = (topic: string) =>
  (JSON.parse(readFileSync(resolve(import.meta.dirname, `../../vectors/dirhash/${topic}.json`), 'utf8')) as { cases: Case[] }).cases;

const root = mkdtempSync(join(tmpdir(), 'gosumdb-dirhash-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof GosumdbError, String(e));
    return e.code;
  }
}

test('hashDirOnDisk and dirFilesOnDisk on disk match Go for every hashdir vector', async () => {
  for (const c of vectors('hashdir')) {
    const dir = fresh();
    for (const f of c.input.files ?? []) {
      const p = join(dir, ...f.name.split('/'));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, Buffer.from(f.contentB64, 'base64'));
    }
    assert.equal(await hashDirOnDisk(dir, c.input.prefix), c.want.hash, c.name);
    assert.deepEqual(await dirFilesOnDisk(dir, c.input.prefix), c.want.files, c.name);
  }
});

test('hashZipFile streams every hashzip vector from disk with Go verdicts', async () => {
  for (const c of vectors('hashzip')) {
    const p = join(fresh(), 'm.zip');
    writeFileSync(p, Buffer.from(c.input.zipB64, 'base64'));
    if (c.error) assert.equal(await code(hashZipFile(p)), c.error.code, c.name);
    else assert.equal(await hashZipFile(p), c.want, c.name);
  }
});

test('checkZipFile matches Go for every checkzip vector', async () => {
  for (const c of vectors('checkzip')) {
    const p = join(fresh(), 'm.zip');
    writeFileSync(p, Buffer.from(c.input.zipB64, 'base64'));
    if (c.error) assert.equal(await code(checkZipFile(p, c.input.path, c.input.version)), c.error.code, c.name);
    else assert.deepEqual(await checkZipFile(p, c.input.path, c.input.version), c.want, c.name);
  }
});

test('hashModuleZipFile hashes a module zip made by x/mod zip.CreateFromDir', async () => {
  const c = vectors('hashzip').find((x) => x.name === 'x/mod zip.CreateFromDir: module')!;
  const p = join(fresh(), 'm.zip');
  writeFileSync(p, Buffer.from(c.input.zipB64, 'base64'));
  assert.equal(await hashModuleZipFile(p, 'example.com/m', 'v1.2.3'), c.want);
  assert.equal(await code(hashModuleZipFile(p, 'example.com/other', 'v1.2.3')), 'ERR_MODULE_ZIP_INVALID');
});

test('hashDirOnDisk follows a symbolic link to a file, as Go (Walk lists it, os.Open follows it)', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'target.txt'), 'target content');
  symlinkSync('target.txt', join(dir, 'link.txt'));
  const want = expectedH1([
    { name: 'p/link.txt', data: Buffer.from('target content') },
    { name: 'p/target.txt', data: Buffer.from('target content') },
  ]);
  assert.equal(await hashDirOnDisk(dir, 'p'), want);
});

test('hashDirOnDisk fails on a link to a directory and on special files, never hangs', async () => {
  const a = fresh();
  mkdirSync(join(a, 'real'));
  writeFileSync(join(a, 'real', 'f'), 'x');
  symlinkSync('real', join(a, 'dirlink'));
  assert.equal(await code(hashDirOnDisk(a, 'p')), 'ERR_DIRHASH_IRREGULAR_FILE');
  const b = fresh();
  execFileSync('mkfifo', [join(b, 'fifo')]);
  assert.equal(await code(hashDirOnDisk(b, 'p')), 'ERR_DIRHASH_IRREGULAR_FILE');
});

test('hashDirOnDisk refuses a file name with a newline, as Go', async () => {
  const d = fresh();
  writeFileSync(join(d, 'a\nb'), 'x');
  assert.equal(await code(hashDirOnDisk(d, 'p')), 'ERR_DIRHASH_NEWLINE');
  assert.deepEqual(await dirFilesOnDisk(d, 'p'), ['p/a\nb']);
});

test('hashDirOnDisk of a missing path or a file is a typed error', async () => {
  assert.equal(await code(hashDirOnDisk(join(root, 'missing'), 'p')), 'ERR_FILE_READ');
  const f = join(fresh(), 'file');
  writeFileSync(f, 'x');
  assert.equal(await code(hashDirOnDisk(f, 'p')), 'ERR_DIRHASH_NOT_DIR');
  assert.equal(await code(hashZipFile(join(root, 'missing.zip'))), 'ERR_FILE_READ');
  assert.equal(await code(hashZipFile(root)), 'ERR_FILE_READ');
});

test('hashDirOnDisk refuses a symbolic link as the root (Go panics) and a name that is not UTF-8 (Go hashes its bytes)', async () => {
  // Go walks from lstat: a link to a directory is hashed as a file and its HashDir panics.
  const d = fresh();
  writeFileSync(join(d, 'f'), 'hi\n');
  const link = join(fresh(), 'link');
  symlinkSync(d, link);
  for (const spelled of [link, `${link}/`, `${link}/.`]) assert.equal(await code(hashDirOnDisk(spelled, 'm@v1')), 'ERR_DIRHASH_NOT_DIR');
  // Go hashes the byte 0xff as it is; read as UTF-8 it became U+FFFD, beside a real U+FFFD file:
  // two different files hashed under one name (the second read twice).
  const odd = fresh();
  writeFileSync(Buffer.concat([Buffer.from(`${odd}/`), Buffer.from([0xff])]), 'A');
  writeFileSync(join(odd, '\ufffd'), 'B');
  assert.equal(await code(hashDirOnDisk(odd, 'm@v1')), 'ERR_DIRHASH_NAME_NOT_UTF8');
});

test('fileSource reads exact ranges and reports a file that shrank', async () => {
  const p = join(fresh(), 'f');
  writeFileSync(p, 'hello world');
  const src = await fileSource(p);
  try {
    assert.equal(src.size, 11);
    assert.equal(Buffer.from(await src.read(6, 5)).toString(), 'world');
    writeFileSync(p, 'hi');
    assert.equal(await code(src.read(6, 5)), 'ERR_FILE_READ');
  } finally {
    await src.close();
  }
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { runCli } = await import('../../src/cli/run.js');
  let out = '';
  let err = '';
  const stdout = (s: string) => {
    out += s;
  };
  const code = await runCli(args, { stdout, stderr: (s) => (err += s), env: {}, cwd: root, isTTY: false });
  return { code, out, err };
}

test('gosumdb hash: zip, module zip with --prefix, directory and go.mod, as Go computes them', async () => {
  const zc = vectors('hashzip').find((x) => x.name === 'x/mod zip.CreateFromDir: module')!;
  const d = fresh();
  writeFileSync(join(d, 'm.zip'), Buffer.from(zc.input.zipB64, 'base64'));
  assert.deepEqual(await cli(['hash', join(d, 'm.zip')]), { code: 0, out: `${zc.want}\n`, err: '' });
  assert.deepEqual(await cli(['hash', '--prefix', 'example.com/m@v1.2.3', join(d, 'm.zip')]), { code: 0, out: `${zc.want}\n`, err: '' });

  const dc = vectors('hashdir').find((x) => x.name === 'module tree')!;
  const tree = fresh();
  for (const f of dc.input.files) {
    const p = join(tree, ...f.name.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, Buffer.from(f.contentB64, 'base64'));
  }
  assert.deepEqual(await cli(['hash', tree, '--prefix', dc.input.prefix]), { code: 0, out: `${dc.want.hash}\n`, err: '' });

  const gc = vectors('gomod').find((x) => x.name === 'CRLF line endings')!;
  writeFileSync(join(d, 'go.mod'), Buffer.from(gc.input.contentB64, 'base64'));
  assert.deepEqual(await cli(['hash', join(d, 'go.mod')]), { code: 0, out: `${gc.want}\n`, err: '' });
});

test('gosumdb hash: errors go to stderr with a nonzero exit', async () => {
  const bad = vectors('hashzip').find((x) => x.name === 'corrupt CRC')!;
  const d = fresh();
  writeFileSync(join(d, 'bad.zip'), Buffer.from(bad.input.zipB64, 'base64'));
  const r1 = await cli(['hash', join(d, 'bad.zip')]);
  assert.equal(r1.code, 1);
  assert.equal(r1.out, '');
  assert.match(r1.err, /checksum error/);
  const zc = vectors('hashzip').find((x) => x.name === 'x/mod zip.CreateFromDir: module')!;
  writeFileSync(join(d, 'm.zip'), Buffer.from(zc.input.zipB64, 'base64'));
  const r2 = await cli(['hash', '--prefix', 'example.com/other@v1.2.3', join(d, 'm.zip')]);
  assert.equal(r2.code, 1);
  assert.match(r2.err, /path does not have prefix/);
  assert.equal((await cli(['hash'])).code, 2);
  assert.equal((await cli(['hash', join(d, 'missing.zip')])).code, 2);
  assert.equal((await cli(['hash', '--prefix', 'noversion', join(d, 'm.zip')])).code, 2);
  assert.equal((await cli(['hash', '--bogus', join(d, 'm.zip')])).code, 2);
});
