// gosumdb/node dirhash helpers on real files: the Go-generated vectors written to disk (hashDir,
// dirFiles, hashZipFile, checkZipFile), links and special files, and the CLI's hash command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GosumdbError } from '../../src/internal/errors.js';
import { checkZipFile, dirFiles, hashDir, hashModuleZipFile, hashZipFile } from '../../src/node/dirhash.js';
import { fileSource } from '../../src/node/fileSource.js';
import { expectedH1 } from './zipfixture.js';

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

test('hashDir and dirFiles on disk match Go for every hashdir vector', async () => {
  for (const c of vectors('hashdir')) {
    const dir = fresh();
    for (const f of c.input.files ?? []) {
      const p = join(dir, ...f.name.split('/'));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, Buffer.from(f.contentB64, 'base64'));
    }
    assert.equal(await hashDir(dir, c.input.prefix), c.want.hash, c.name);
    assert.deepEqual(await dirFiles(dir, c.input.prefix), c.want.files, c.name);
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

test('hashDir follows a symbolic link to a file, as Go (Walk lists it, os.Open follows it)', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'target.txt'), 'target content');
  symlinkSync('target.txt', join(dir, 'link.txt'));
  const want = expectedH1([
    { name: 'p/link.txt', data: Buffer.from('target content') },
    { name: 'p/target.txt', data: Buffer.from('target content') },
  ]);
  assert.equal(await hashDir(dir, 'p'), want);
});

test('hashDir fails on a link to a directory and on special files, never hangs', async () => {
  const a = fresh();
  mkdirSync(join(a, 'real'));
  writeFileSync(join(a, 'real', 'f'), 'x');
  symlinkSync('real', join(a, 'dirlink'));
  assert.equal(await code(hashDir(a, 'p')), 'ERR_DIRHASH_IRREGULAR_FILE');
  const b = fresh();
  execFileSync('mkfifo', [join(b, 'fifo')]);
  assert.equal(await code(hashDir(b, 'p')), 'ERR_DIRHASH_IRREGULAR_FILE');
});

test('hashDir of a missing path or a file is a typed error', async () => {
  assert.equal(await code(hashDir(join(root, 'missing'), 'p')), 'ERR_FILE_READ');
  const f = join(fresh(), 'file');
  writeFileSync(f, 'x');
  assert.equal(await code(hashDir(f, 'p')), 'ERR_DIRHASH_NOT_DIR');
  assert.equal(await code(hashZipFile(join(root, 'missing.zip'))), 'ERR_FILE_READ');
  assert.equal(await code(hashZipFile(root)), 'ERR_FILE_READ');
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
