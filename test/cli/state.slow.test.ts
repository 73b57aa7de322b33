// The latest verified tree is remembered between runs (issue #11 §1): real gosumdb processes
// against test databases on 127.0.0.1 that fork or roll back between two runs, grow while
// several processes audit at once, or see a run killed with SIGKILL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapePath } from '../../src/module/index.js';
import { newServer, syntheticModule, type Handler } from '../../src/server/index.js';
import { cli, gosumdb, spawnCli, world as testWorld } from './world.js';
import { writeFile } from '../helpers/files.js';

function syntheticSum(ids: readonly number[]): string {
  return ids.map((i) => new TextDecoder().decode(syntheticModule(i).text)).join('');
}

// The size of the tree in a signed tree note (its second line).
function treeSize(file: string): number {
  return Number(readFileSync(file, 'utf8').split('\n')[1]);
}

// gosumdb keeps each database's state under its key id, <name>+<key hash>.
let keyId = '';
const rememberedIn = (home: string) => join(home, '.local', 'state', 'gosumdb', keyId, 'latest');
const world = async (...a: Parameters<typeof testWorld>) => {
  const w = await testWorld(...a);
  keyId = w.db.vkey.split('+').slice(0, 2).join('+');
  return w;
};

test('a database that forks between two runs: the second run exits 3, with nothing but the remembered tree to catch it', async () => {
  const w = await world({ synthetic: 300 });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1, 2, 3]));
    const env = { ...w.env, GOROOT: '/nonexistent' };
    const first = await gosumdb(['audit'], env, w.tmp);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    // Remembered in the XDG state directory by default, in the go command's file format.
    assert.equal(readFileSync(rememberedIn(w.tmp), 'utf8'), new TextDecoder().decode((await w.db.handle('/latest')).body));
    // The go command's own caches were not written (no --write-cache).
    assert.equal(existsSync(join(w.env.GOPATH!, 'pkg')), false);
    w.db.setMode('fork');
    const second = await gosumdb(['audit'], env, w.tmp);
    assert.equal(second.code, 3, second.stdout + second.stderr);
    assert.match(second.stderr, /^SECURITY ERROR\ngo\.sum database server misbehavior detected!/m);
    // The forked tree was not remembered.
    assert.equal(treeSize(rememberedIn(w.tmp)), 300);
    // --no-state: the fork goes unnoticed, and the report says that this check is off.
    const blind = await gosumdb(['audit', '--no-state'], env, w.tmp);
    assert.equal(blind.code, 0, blind.stdout + blind.stderr);
    assert.match(blind.stdout, /^cross-run fork detection is off \(--no-state\)/m);
    const doc = JSON.parse((await gosumdb(['audit', '--no-state', '--json'], env, w.tmp)).stdout);
    assert.deepEqual({ remembered: doc.state.remembered, dir: doc.state.dir }, { remembered: false, dir: null });
    assert.match(doc.state.note, /cross-run fork detection is off/);
  } finally {
    await w.close();
  }
});

test('rolled back to #250, then grown to #310 on another branch: exit 3 in audit, lookup and verify-modcache --check-db', async () => {
  let current: Handler | undefined;
  const w = await world({
    synthetic: 300,
    wrap: (handle) => {
      current = handle;
      return (path, signal) => current!(path, signal);
    },
  });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1, 2, 3]));
    const env = { ...w.env, GOROOT: '/nonexistent' };
    assert.equal((await gosumdb(['audit', '--json'], env, w.tmp)).code, 0);
    const other = w.db.log.prefix(250);
    for (let i = 0; i < 60; i++)
      other.add(`fork.example/m${i}`, 'v1.0.0', new TextEncoder().encode(`fork.example/m${i} v1.0.0 h1:${'A'.repeat(43)}=\n`));
    current = newServer(other, { name: w.db.name });
    const r = await gosumdb(['audit', '--json'], env, w.tmp);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const doc = JSON.parse(r.stdout);
    // The fork is inside a tile kept from the first run: that tile contradicts #310, and #310's
    // tiles read again from the server prove the fork, with both trees and the proof.
    assert.match(r.stderr, /^SECURITY ERROR\ngo\.sum database server misbehavior detected!/m);
    assert.deepEqual([doc.security.older.n, doc.security.newer.n], [300, 310]);
    assert.equal(doc.security.proof.length > 0, true);
    assert.equal(doc.state.remembered, true);
    assert.equal(doc.state.dir, join(w.tmp, '.local', 'state', 'gosumdb'));
    const [path, version] = syntheticSum([1]).split(' ') as [string, string];
    const l = await gosumdb(['lookup', `${path}@${version}`], env, w.tmp);
    assert.equal(l.code, 3, l.stderr);
    assert.match(l.stderr, /^SECURITY ERROR\ngo\.sum database server misbehavior detected!/m);
    mkdirSync(join(w.tmp, 'modcache'));
    writeFile(join(w.tmp, 'modcache', 'cache', 'download', ...escapePath(path).split('/'), '@v', `${version}.ziphash`), 'h1:x\n');
    const v = await cli(['verify-modcache', '--check-db', 'modcache'], env, w.tmp);
    assert.equal(v.code, 3, v.stdout + v.stderr);
    const vj = await cli(['verify-modcache', '--check-db', '--json', 'modcache'], env, w.tmp);
    assert.equal(vj.code, 3);
    assert.deepEqual([JSON.parse(vj.stdout).exitCode, JSON.parse(vj.stdout).security.newer.n], [3, 310]);
    assert.equal(treeSize(rememberedIn(w.tmp)), 300);
  } finally {
    await w.close();
  }
});

test("the go command's latest tree is a second witness; --state / GOSUMDB_STATE / XDG_STATE_HOME choose the state dir", async () => {
  const w = await world({ synthetic: 300 });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1, 2, 3]));
    const goLatest = join(w.env.GOPATH!, 'pkg', 'sumdb', 'sumdb.test', 'latest');
    // The go command saw the honest tree (written with --write-cache, no state of our own).
    assert.equal((await cli(['audit', '--write-cache', '--no-state'], w.env, w.tmp)).code, 0);
    assert.equal(treeSize(goLatest), 300);
    assert.equal(existsSync(rememberedIn(w.tmp)), false);
    w.db.setMode('fork');
    // A fresh state directory: only the go command's tree can catch the fork.
    const fresh = await cli(['audit', '--state', 'fresh-state'], w.env, w.tmp);
    assert.equal(fresh.code, 3, fresh.stdout + fresh.stderr);
    assert.match(fresh.stderr, /SECURITY ERROR/);
    assert.equal(treeSize(join(w.tmp, 'fresh-state', keyId, 'latest')), 300);
    w.db.setMode('honest');
    w.db.log.add('example.com/new', 'v1.0.0', new TextEncoder().encode(`example.com/new v1.0.0 h1:${'B'.repeat(43)}=\n`));
    const byEnv = await cli(['audit'], { ...w.env, GOSUMDB_STATE: join(w.tmp, 'env-state') }, w.tmp);
    assert.equal(byEnv.code, 0, byEnv.stdout + byEnv.stderr);
    assert.equal(treeSize(join(w.tmp, 'env-state', keyId, 'latest')), 301);
    // Without --write-cache the go command's file is only read.
    assert.equal(treeSize(goLatest), 300);
    assert.equal((await cli(['audit', '--write-cache'], { ...w.env, XDG_STATE_HOME: join(w.tmp, 'xdg') }, w.tmp)).code, 0);
    assert.equal(treeSize(join(w.tmp, 'xdg', 'gosumdb', keyId, 'latest')), 301);
    assert.equal(treeSize(goLatest), 301);
    assert.equal((await cli(['audit', '--state', 'x', '--no-state'], w.env, w.tmp)).code, 2);
    const nowhere = await cli(['audit'], { ...w.env, HOME: '' }, w.tmp);
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.stderr, /cannot locate the gosumdb state directory/);
  } finally {
    await w.close();
  }
});

test('three processes auditing at once against a growing database never move the remembered trees back', async () => {
  const w = await world({ synthetic: 300, mode: 'growing' });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum(Array.from({ length: 40 }, (_, i) => i)));
    const env = { ...w.env, GOROOT: '/nonexistent' };
    const goLatest = join(w.env.GOPATH!, 'pkg', 'sumdb', 'sumdb.test', 'latest');
    // Every size either file ever holds, read while the processes run: it must never go down.
    const seen: Record<string, number[]> = { state: [], go: [] };
    const watch = setInterval(() => {
      for (const [k, f] of [
        ['state', rememberedIn(w.tmp)],
        ['go', goLatest],
      ] as const) {
        if (existsSync(f)) seen[k]!.push(treeSize(f));
      }
    }, 2);
    let before = 0;
    try {
      for (let round = 0; round < 3; round++) {
        const runs = await Promise.all([0, 1, 2].map(() => gosumdb(['audit', '--write-cache', '--json'], env, w.tmp)));
        for (const r of runs) assert.equal(r.code, 0, r.stdout + r.stderr);
        // Each run ends trusting its largest tree; the files must hold the largest of all.
        const largest = Math.max(...runs.map((r) => JSON.parse(r.stdout).tree.n as number));
        assert.ok(largest > before);
        assert.equal(treeSize(rememberedIn(w.tmp)), largest, `round ${round}`);
        assert.equal(treeSize(goLatest), largest, `round ${round}`);
        before = largest;
      }
    } finally {
      clearInterval(watch);
    }
    for (const [k, sizes] of Object.entries(seen)) {
      assert.ok(sizes.length > 0);
      const back = sizes.findIndex((n, i) => i > 0 && n < sizes[i - 1]!);
      assert.equal(back, -1, `${k}: ${sizes[back - 1]} then ${sizes[back]}`);
    }
    assert.deepEqual(readdirSync(join(w.tmp, '.local', 'state', 'gosumdb', keyId)), ['latest']);
  } finally {
    await w.close();
  }
});

test('runs killed with SIGKILL leave a remembered tree that verifies, and the next run cleans up after them', async () => {
  const w = await world({ synthetic: 300, mode: 'growing' });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1, 2, 3, 4, 5, 6, 7, 8]));
    const env = { ...w.env, GOROOT: '/nonexistent' };
    const dir = join(w.tmp, '.local', 'state', 'gosumdb', keyId);
    for (const ms of [0, 7, 19]) {
      const written = existsSync(join(dir, 'latest')) ? readFileSync(join(dir, 'latest')) : undefined;
      const { child, result } = spawnCli(['audit', '--concurrency', '1'], env, w.tmp);
      let exited = false;
      void result.then(() => (exited = true));
      // Kill it while it writes: each lookup of the growing database moves the tree forward.
      for (let i = 0; i < 20_000 && !exited; i++) {
        if (existsSync(join(dir, 'latest')) && !readFileSync(join(dir, 'latest')).equals(written ?? Buffer.alloc(0))) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      await new Promise((r) => setTimeout(r, ms));
      child.kill('SIGKILL');
      await result;
      assert.ok(
        readdirSync(dir).every((f) => ['latest', 'latest.tmp', 'latest.lock', 'tile'].includes(f)),
        readdirSync(dir).join(' '),
      );
      const v = await cli(['verify-note', '--key', w.db.vkey, join(dir, 'latest')], env, w.tmp);
      assert.equal(v.code, 0, v.stdout + v.stderr);
    }
    const next = await gosumdb(['audit'], env, w.tmp);
    assert.equal(next.code, 0, next.stdout + next.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['latest', 'tile']);
  } finally {
    await w.close();
  }
});

test('mirrors: endpoints that agree with each other but not with the tree remembered from an earlier run exit 3', async () => {
  const w = await world({ synthetic: 300 });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1]));
    assert.equal((await cli(['audit'], w.env, w.tmp)).code, 0);
    const ok = await cli(['mirrors', w.server.url], w.env, w.tmp);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    w.db.setMode('fork');
    const r = await cli(['mirrors', w.server.url], w.env, w.tmp);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /^SECURITY ERROR/m);
    assert.equal(treeSize(rememberedIn(w.tmp)), 300);
    const blind = await cli(['mirrors', '--no-state', w.server.url], w.env, w.tmp);
    assert.equal(blind.code, 0);
    assert.match(blind.stderr, /cross-run fork detection is off/);
  } finally {
    await w.close();
  }
});
