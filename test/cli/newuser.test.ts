// The smaller things a new user hit (issue 11 §6), each reproduced through the command as a user
// runs it: real processes where standard input or the environment matter, a test database on
// 127.0.0.1 where the finding involved a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cli, world } from './world.js';
import { gosumdb } from '../helpers/process.js';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(import.meta.dirname, '../fixtures/gosum');
const four = readFileSync(join(fixtures, 'prometheus.go.sum'), 'utf8').split('\n').slice(0, 4).join('\n') + '\n';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'gosumdb-newuser-'));
}

test('vectors <dir> skips node_modules and dot directories', async () => {
  const dir = scratch();
  try {
    mkdirSync(join(dir, 'vectors', 'note'), { recursive: true });
    copyFileSync(join(root, 'vectors/note/generate-key.json'), join(dir, 'vectors/note/generate-key.json'));
    for (const d of ['node_modules/some-package', '.git']) {
      mkdirSync(join(dir, d), { recursive: true });
      writeFileSync(join(dir, d, 'package.json'), '{"name": "not a vector file"}');
    }
    const want = JSON.parse(readFileSync(join(root, 'vectors/note/generate-key.json'), 'utf8')).cases.length;
    const r = await cli(['vectors', dir], {}, dir);
    assert.equal(r.stdout, `${want} passed, 0 failed\n`);
    assert.equal(r.code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vectors: a malformed vector file or one with no case is a FAIL (exit 1), never a crash or a pass', async () => {
  const dir = scratch();
  try {
    mkdirSync(join(dir, 'vectors', 'note'), { recursive: true });
    copyFileSync(join(root, 'vectors/note/generate-key.json'), join(dir, 'vectors/note/generate-key.json'));
    const good = JSON.parse(readFileSync(join(root, 'vectors/note/generate-key.json'), 'utf8')).cases.length;
    const bad = [
      'null',
      '{"area":"dirhash","topic":"gomod"}',
      '{"area":"dirhash","topic":"gomod","cases":"ab"}',
      '{"area":"dirhash","topic":"gomod","cases":[null]}',
      '{"area":"dirhash","topic":"gomod","cases":[{"name":"x","input":{"contentB64":""},"error":null}]}',
      '{"area":"dirhash","topic":"hashzip","cases":[]}',
    ];
    for (const [i, text] of bad.entries()) writeFileSync(join(dir, 'vectors', `bad${i}.json`), text);
    const r = await cli(['vectors', dir], {}, dir);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stdout.match(/^FAIL vectors\/bad\d\.json \*: not a vector file: /gm)?.length, bad.length, r.stdout);
    assert.match(r.stdout, new RegExp(`^${good} passed, ${bad.length} failed\n`, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty go.sum is named in the summary; a file named twice is audited once', async () => {
  const w = await world({ gosum: four });
  try {
    writeFileSync(join(w.tmp, 'empty.go.sum'), '');
    writeFileSync(join(w.tmp, 'go.sum'), four);
    const empty = await cli(['audit', 'empty.go.sum'], w.env, w.tmp);
    assert.match(empty.stdout, /^0 go\.sum lines in empty\.go\.sum: nothing to check/m);
    const twice = await cli(['audit', '--json', 'go.sum', './go.sum', join(w.tmp, 'go.sum')], w.env, w.tmp);
    assert.equal(twice.code, 0, twice.stderr);
    const doc = JSON.parse(twice.stdout);
    assert.equal(doc.summary.total, 4);
    assert.deepEqual(doc.files, ['go.sum']);
    assert.deepEqual(doc.findings, []);
  } finally {
    await w.close();
  }
});

test('lookup m@latest is a local input error (exit 2) and asks no server', async () => {
  const w = await world({ gosum: four });
  try {
    w.db.resetStats();
    for (const arg of ['rsc.io/quote@latest', 'rsc.io/quote@master', 'rsc.io/quote@v1.5']) {
      const r = await cli(['lookup', arg], w.env, w.tmp);
      assert.equal(r.code, 2, `${arg}: ${r.stderr}`);
      assert.match(r.stderr, /^gosumdb lookup: .*rsc\.io\/quote/m);
    }
    assert.match((await cli(['lookup', 'rsc.io/quote@latest'], w.env, w.tmp)).stderr, /go list -m rsc\.io\/quote@latest/);
    assert.equal(w.db.stats().requests, 0);
  } finally {
    await w.close();
  }
});

test('gosumdb help audit prints the help of audit', async () => {
  const help = await cli(['help', 'audit'], {}, '/');
  const flag = await cli(['audit', '--help'], {}, '/');
  assert.equal(help.code, 0);
  assert.equal(help.stdout, flag.stdout);
  assert.ok(help.stdout.startsWith('Usage: gosumdb audit '));
  assert.equal((await cli(['help', 'nosuch'], {}, '/')).code, 2);
});

test('audit - reads the go.sum from standard input', async () => {
  const w = await world({ gosum: four });
  try {
    const r = await gosumdb(['audit', '-'], { env: w.env, cwd: w.tmp, stdin: four });
    assert.equal(r.code, 0, r.stderr.toString());
    assert.match(r.stdout.toString(), /^4 go\.sum lines in <stdin>: 4 ok$/m);
  } finally {
    await w.close();
  }
});

test('--modcache <dir> with a space reads the directory as a go.sum: the error says to write --modcache=<dir>', async () => {
  const w = await world({ gosum: four });
  try {
    writeFileSync(join(w.tmp, 'go.sum'), four);
    mkdirSync(join(w.tmp, 'modcache'));
    const r = await cli(['audit', '--modcache', 'modcache', 'go.sum'], w.env, w.tmp);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read modcache: .*--modcache=<dir>/);
  } finally {
    await w.close();
  }
});

test('hash <dir> without --prefix is a usage error, not a hash with an empty prefix', async () => {
  const dir = scratch();
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n');
    const r = await cli(['hash', dir], {}, dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--prefix path@version/);
    assert.equal(r.stdout, '');
    const ok = await cli(['hash', '--prefix', 'example.com/m@v1.0.0', dir], {}, dir);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /^h1:[A-Za-z0-9+/]{43}=\n$/);
    // An empty or malformed prefix names no module: the same usage error, for a zip too.
    for (const prefix of ['--prefix=', '--prefix=x', '--prefix=bad path@v1.0.0', '--prefix=example.com/m@latest']) {
      const bad = await cli(['hash', prefix, dir], {}, dir);
      assert.equal(bad.code, 2, `${prefix}: ${bad.stdout}${bad.stderr}`);
      assert.equal(bad.stdout, '');
    }
    writeFileSync(join(dir, 'm.zip'), '');
    assert.equal((await cli(['hash', '--prefix=bad path@v1.0.0', join(dir, 'm.zip')], {}, dir)).code, 2);
    assert.equal((await cli(['hash', '--git=.', 'example.com/m@latest'], {}, dir)).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fork ends the audit naming the database and its two trees, not the module whose lookup revealed it', async () => {
  const w = await world({ gosum: four });
  try {
    writeFileSync(join(w.tmp, 'go.sum'), four);
    assert.equal((await cli(['audit', '--write-cache'], w.env, w.tmp)).code, 0);
    w.db.setMode('fork');
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 3);
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    assert.equal(
      last,
      'gosumdb audit: the checksum database sumdb.test signed two inconsistent trees (#2 and #3): no answer from it can be trusted',
    );
  } finally {
    await w.close();
  }
});

test('GOENV naming a directory: doctor names GOENV in the error', async () => {
  const dir = scratch();
  try {
    const r = await gosumdb(['doctor'], {
      env: { HOME: dir, GOENV: dir, GOPATH: join(dir, 'gopath'), GOPROXY: 'off', PATH: '' },
      cwd: dir,
    });
    assert.equal(r.code, 2, r.stderr.toString());
    assert.match(r.stderr.toString(), new RegExp(`GOENV=${dir}.*a directory, not a regular file`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
