// memoryOps and diskOps: the go command's on-disk layout (cmd/go/internal/modfetch/sumdb.go:
// latest trees in GOPATH/pkg/sumdb/<file>, cache in GOMODCACHE/cache/download/sumdb/<file>),
// compare-and-swap on the latest tree, read-only unless asked, empty cache files read as absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryOps, resolveSumDB, WriteConflictError } from '../../src/client/index.js';
import { diskOps, goDirs, httpOps, nodeSha256 } from '../../src/node/index.js';
import { nobleSha256 } from '../../src/internal/sha256.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const remote = async () => new Uint8Array();

function tempGopath(): string {
  return mkdtempSync(join(tmpdir(), 'gosumdb-gopath-'));
}

test('memoryOps: key, empty latest, compare-and-swap, copied buffers', async () => {
  const ops = memoryOps({ key: 'k+1+2', remote });
  assert.equal(dec(await ops.readConfig('key')), 'k+1+2');
  assert.equal((await ops.readConfig('k/latest')).length, 0);
  await ops.writeConfig('k/latest', new Uint8Array(), enc('one'));
  await assert.rejects(
    ops.writeConfig('k/latest', enc('stale'), enc('two')),
    (e: unknown) => e instanceof WriteConflictError && e.code === 'ERR_WRITE_CONFLICT',
  );
  await ops.writeConfig('k/latest', enc('one'), enc('two'));
  const got = await ops.readConfig('k/latest');
  got[0] = 0;
  assert.equal(dec(await ops.readConfig('k/latest')), 'two');
  assert.equal(await ops.readCache('k/lookup/x@v1'), undefined);
  await ops.writeCache('k/lookup/x@v1', enc('rec'));
  assert.equal(dec(await ops.readCache('k/lookup/x@v1')), 'rec');
});

test('goDirs: first GOPATH entry, default $HOME/go, GOMODCACHE default <gopath>/pkg/mod (cmd/go/internal/cfg)', () => {
  assert.deepEqual(goDirs({ GOPATH: '/a/go:/b/go' }), { gopath: '/a/go', gomodcache: '/a/go/pkg/mod' });
  assert.deepEqual(goDirs({ HOME: '/home/u' }), { gopath: '/home/u/go', gomodcache: '/home/u/go/pkg/mod' });
  assert.deepEqual(goDirs({ GOPATH: '/g', GOMODCACHE: '/cache' }), { gopath: '/g', gomodcache: '/cache' });
  // gopathDir: an empty first GOPATH entry means no GOPATH, and the go command refuses sumdb files.
  assert.throws(() => goDirs({ GOPATH: ':/b/go', HOME: '/home/u' }), { code: 'ERR_GOPATH_MISSING' });
  assert.throws(() => goDirs({}), { code: 'ERR_GOPATH_MISSING' });
});

test('diskOps reads an existing Go cache in the go command layout', async () => {
  const gopath = tempGopath();
  try {
    mkdirSync(join(gopath, 'pkg/sumdb/sum.golang.org'), { recursive: true });
    writeFileSync(join(gopath, 'pkg/sumdb/sum.golang.org/latest'), 'signed tree');
    mkdirSync(join(gopath, 'pkg/mod/cache/download/sumdb/sum.golang.org/lookup/golang.org/x'), { recursive: true });
    writeFileSync(join(gopath, 'pkg/mod/cache/download/sumdb/sum.golang.org/lookup/golang.org/x/text@v0.3.0'), 'record');
    mkdirSync(join(gopath, 'pkg/mod/cache/download/sumdb/sum.golang.org/tile/8/0'), { recursive: true });
    writeFileSync(join(gopath, 'pkg/mod/cache/download/sumdb/sum.golang.org/tile/8/0/000'), '');
    const ops = diskOps({ key: 'sum.golang.org+x', remote, env: { GOPATH: gopath } });
    assert.equal(dec(await ops.readConfig('key')), 'sum.golang.org+x');
    assert.equal(dec(await ops.readConfig('sum.golang.org/latest')), 'signed tree');
    assert.equal(dec(await ops.readCache('sum.golang.org/lookup/golang.org/x/text@v0.3.0')), 'record');
    assert.equal(await ops.readCache('sum.golang.org/tile/8/0/000'), undefined, 'empty file reads as absent');
    assert.equal(await ops.readCache('sum.golang.org/tile/8/0/001'), undefined);
    assert.equal((await ops.readConfig('other.example/latest')).length, 0);
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
});

test('diskOps is read-only by default: writes are visible to the ops but never reach the disk', async () => {
  const gopath = tempGopath();
  try {
    const ops = diskOps({ key: 'k', remote, gopath });
    await ops.writeConfig('db.example/latest', new Uint8Array(), enc('tree'));
    await ops.writeCache('db.example/lookup/m@v1.0.0', enc('rec'));
    assert.equal(dec(await ops.readConfig('db.example/latest')), 'tree');
    assert.equal(dec(await ops.readCache('db.example/lookup/m@v1.0.0')), 'rec');
    assert.equal(existsSync(join(gopath, 'pkg')), false);
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
});

test('diskOps writable: files land where the go command reads them; compare-and-swap', async () => {
  const gopath = tempGopath();
  try {
    const gomodcache = join(gopath, 'modcache');
    const ops = diskOps({ key: 'k', remote, gopath, gomodcache, writable: true });
    await ops.writeConfig('db.example/latest', new Uint8Array(), enc('tree 1'));
    assert.equal(readFileSync(join(gopath, 'pkg/sumdb/db.example/latest'), 'utf8'), 'tree 1');
    await assert.rejects(ops.writeConfig('db.example/latest', enc('tree 0'), enc('tree 2')), { code: 'ERR_WRITE_CONFLICT' });
    await ops.writeConfig('db.example/latest', enc('tree 1'), enc('tree 2'));
    assert.equal(readFileSync(join(gopath, 'pkg/sumdb/db.example/latest'), 'utf8'), 'tree 2');
    await ops.writeCache('db.example/tile/8/0/x001/234.p/5', enc('tile'));
    assert.equal(readFileSync(join(gomodcache, 'cache/download/sumdb/db.example/tile/8/0/x001/234.p/5'), 'utf8'), 'tile');
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
});

test('diskOps never writes through a symbolic link or a FIFO planted at its temporary file', async () => {
  const gopath = tempGopath();
  try {
    const ops = diskOps({ key: 'k', remote, gopath, gomodcache: join(gopath, 'modcache'), writable: true });
    const dir = join(gopath, 'pkg/sumdb/db.example');
    mkdirSync(dir, { recursive: true });
    const victim = join(gopath, 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, join(dir, 'latest.tmp'));
    await ops.writeConfig('db.example/latest', new Uint8Array(), enc('tree 1'));
    assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
    assert.equal(readFileSync(join(dir, 'latest'), 'utf8'), 'tree 1');
    assert.ok(!lstatSync(join(dir, 'latest')).isSymbolicLink());
    // A FIFO there would block an open forever: it is replaced, not opened.
    execFileSync('mkfifo', [join(dir, 'latest.tmp')]);
    await ops.writeConfig('db.example/latest', enc('tree 1'), enc('tree 2'));
    assert.equal(readFileSync(join(dir, 'latest'), 'utf8'), 'tree 2');
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
});

test('diskOps learns once what the cache holds: missing directories, files it wrote, files there from the start', async () => {
  const gopath = tempGopath();
  try {
    const gomodcache = join(gopath, 'modcache');
    const ops = diskOps({ key: 'k', remote, gopath, gomodcache, writable: true });
    // A cold cache: nothing under it, at any depth, before or after the first answer.
    assert.equal(await ops.readCache('db.example/lookup/example.com/m@v1.0.0'), undefined);
    assert.equal(await ops.readCache('db.example/tile/8/0/000'), undefined);
    // What this process writes is read back, in listed and in never-listed directories.
    await ops.writeCache('db.example/lookup/example.com/m@v1.0.0', enc('rec'));
    await ops.writeCache('db.example/tile/8/1/000', enc('tile'));
    assert.equal(dec(await ops.readCache('db.example/lookup/example.com/m@v1.0.0')), 'rec');
    assert.equal(dec(await ops.readCache('db.example/tile/8/1/000')), 'tile');
    assert.equal(await ops.readCache('db.example/lookup/example.com/m@v1.0.1'), undefined);
    // A cache the go command filled earlier is read file by file.
    const dir = join(gomodcache, 'cache/download/sumdb/other.example/lookup/example.com');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a@v1.0.0'), 'a');
    writeFileSync(join(dir, 'b@v1.0.0'), 'b');
    const fresh = diskOps({ key: 'k', remote, gopath, gomodcache });
    assert.deepEqual(
      await Promise.all(['a', 'b', 'c'].map(async (m) => dec(await fresh.readCache(`other.example/lookup/example.com/${m}@v1.0.0`)))),
      ['a', 'b', undefined],
    );
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
});

test('diskOps: concurrent compare-and-swaps from one base: exactly one wins', async () => {
  const gopath = tempGopath();
  try {
    const ops = diskOps({ key: 'k', remote, gopath, writable: true });
    await ops.writeConfig('db/latest', new Uint8Array(), enc('base'));
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => ops.writeConfig('db/latest', enc('base'), enc(`next ${i}`))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(results.every((r) => r.status === 'fulfilled' || (r.reason as { code?: string }).code === 'ERR_WRITE_CONFLICT'));
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
});

test('diskOps refuses file names that would leave their directory', async () => {
  const ops = diskOps({ key: 'k', remote, gopath: '/nonexistent-gopath' });
  for (const bad of ['../etc/passwd', 'db/../../x', 'db//x', '/abs', 'db/a\\b', 'db/./x']) {
    await assert.rejects(ops.readCache(bad), { code: 'ERR_CACHE_PATH_UNSAFE' }, bad);
    await assert.rejects(ops.writeCache(bad, enc('x')), { code: 'ERR_CACHE_PATH_UNSAFE' }, bad);
  }
  await assert.rejects(ops.readConfig('../x'), { code: 'ERR_CACHE_PATH_UNSAFE' });
});

test('ops carry their SHA-256 provider: node:crypto from gosumdb/node, none from memoryOps unless given', () => {
  assert.equal(memoryOps({ key: 'k', remote }).sha256, undefined);
  assert.equal(memoryOps({ key: 'k', remote, sha256: nobleSha256 }).sha256, nobleSha256);
  const gopath = tempGopath();
  try {
    assert.equal(diskOps({ key: 'k', remote, gopath, gomodcache: join(gopath, 'pkg', 'mod') }).sha256, nodeSha256);
    assert.equal(diskOps({ key: 'k', remote, gopath, gomodcache: join(gopath, 'pkg', 'mod'), sha256: nobleSha256 }).sha256, nobleSha256);
    const db = resolveSumDB({ GOSUMDB: 'sum.golang.org' });
    assert.equal(httpOps(db).sha256, nodeSha256);
    assert.equal(httpOps(db, { disk: { gopath, gomodcache: join(gopath, 'pkg', 'mod') } }).sha256, nodeSha256);
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
});
