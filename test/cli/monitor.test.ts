// gosumdb monitor end to end: the CLI against the test database served on 127.0.0.1, with its
// state in SQLite. Expected findings follow from how each log was built.
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../../src/note/index.js';
import { nodeSha256, startServer } from '../../src/node/index.js';
import { newTestDatabase, syntheticModule } from '../../src/server/index.js';
import { cli, world } from './world.js';

const enc = new TextEncoder();

test('monitor: an honest log is read once, a second run reads nothing new', async () => {
  const w = await world({ synthetic: 2000 });
  try {
    const state = join(w.tmp, 'state');
    const a = await cli(['monitor', '--state', state, '--workers', '2'], w.env, w.tmp);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, '');
    assert.match(a.stderr, /2000 of 2000 records verified against tree#2000/);
    w.db.resetStats();
    const b = await cli(['monitor', '--state', state], w.env, w.tmp);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(w.db.stats().dataTile, 0);
  } finally {
    await w.close();
  }
});

test('monitor --json: duplicates far apart and malformed records exit 1, once; the next run reports nothing', async () => {
  const w = await world({ synthetic: 3000 });
  try {
    const m10 = syntheticModule(10);
    w.db.log.append(m10.path, m10.version, m10.text);
    w.db.log.append('bad.example/x', 'v1.0.0', enc.encode('bad.example/x v1.0.0\n'));
    const state = join(w.tmp, 'state');
    const a = await cli(['monitor', '--state', state, '--json'], w.env, w.tmp);
    assert.equal(a.code, 1, a.stderr);
    const lines = a.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; id: number; firstId?: number; line?: string });
    assert.deepEqual(
      lines.map((f) => [f.kind, f.id, f.firstId, f.line]),
      [
        ['duplicate', 3000, 10, 'zip'],
        ['duplicate', 3000, 10, 'go.mod'],
        ['malformed', 3001, undefined, undefined],
      ],
    );
    const b = await cli(['monitor', '--state', state, '--json'], w.env, w.tmp);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, '');
    // The state answers where a module version first is: m10 in record 10, as the log was built.
    const found = await cli(['monitor', '--state', state, '--find', `${m10.path}@${m10.version}`], w.env, w.tmp);
    assert.equal(found.code, 0, found.stderr);
    assert.equal(
      found.stdout,
      `${m10.path}@${m10.version}: zip line first in record 10, go.mod line first in record 10 (records 0-3001 of tree#3002 indexed)\n`,
    );
    const json = await cli(['monitor', '--state', state, '--find', `${m10.path}@${m10.version}`, '--json'], w.env, w.tmp);
    assert.deepEqual(JSON.parse(json.stdout), { kind: 'find', path: m10.path, version: m10.version, indexed: 3002, zip: 10, goMod: 10 });
    // A malformed record is not indexed; an unknown module version is not seen: exit 1.
    const bad = await cli(['monitor', '--state', state, '--find', 'bad.example/x@v1.0.0'], w.env, w.tmp);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /^bad\.example\/x@v1\.0\.0: zip line not seen, go\.mod line not seen/);
    assert.equal((await cli(['monitor', '--find', 'x@v1.0.0'], w.env, w.tmp)).code, 2, '--find without --state');
    assert.equal((await cli(['monitor', '--state', state, '--find', 'x'], w.env, w.tmp)).code, 2, 'no version');
    assert.equal((await cli(['monitor', '--state', state, '--find', 'x@v1.0.0', '--until', '3'], w.env, w.tmp)).code, 2);
    assert.equal((await cli(['monitor', '--state', state, '--find', 'x@v1.0.0', '--output', 'f'], w.env, w.tmp)).code, 2);
    // Without --state nothing is remembered: the same findings again, as readable lines.
    const c = await cli(['monitor'], w.env, w.tmp);
    assert.equal(c.code, 1);
    assert.equal(c.stdout.split('\n')[0], `duplicate: record 3000 repeats ${m10.path}@${m10.version} from record 10`);
  } finally {
    await w.close();
  }
});

test('monitor --output: findings are appended to the file, not stdout; a later run appends only new ones', async () => {
  const w = await world({ synthetic: 3000 });
  try {
    const m10 = syntheticModule(10);
    w.db.log.append(m10.path, m10.version, m10.text);
    const state = join(w.tmp, 'state');
    const out = join(w.tmp, 'findings.jsonl');
    writeFileSync(out, '{"kind":"earlier"}\n');
    const a = await cli(['monitor', '--state', state, '--json', '--output', out], w.env, w.tmp);
    assert.equal(a.code, 1, a.stderr);
    assert.equal(a.stdout, '');
    const kinds = () =>
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; id?: number; line?: string });
    assert.deepEqual(
      kinds().map((f) => [f.kind, f.id, f.line]),
      [
        ['earlier', undefined, undefined],
        ['duplicate', 3000, 'zip'],
        ['duplicate', 3000, 'go.mod'],
      ],
    );
    const m20 = syntheticModule(20);
    w.db.log.append(m20.path, m20.version, m20.text);
    const b = await cli(['monitor', '--state', state, '--json', '--output', out], w.env, w.tmp);
    assert.equal(b.code, 1, b.stderr);
    assert.deepEqual(
      kinds()
        .slice(1)
        .map((f) => [f.id, f.line]),
      [
        [3000, 'zip'],
        [3000, 'go.mod'],
        [3001, 'zip'],
        [3001, 'go.mod'],
      ],
    );
    const dir = await cli(['monitor', '--output', w.tmp], w.env, w.tmp);
    assert.equal(dir.code, 2, dir.stderr);
    assert.match(dir.stderr, /opening .*: EISDIR/);
  } finally {
    await w.close();
  }
});

test('monitor --watch prints the watched records and exits 0', async () => {
  const w = await world({ synthetic: 1500 });
  try {
    const r = await cli(['monitor', '--watch', 'example.com/m14*', '--watch', 'github.com/Upper1000'], w.env, w.tmp);
    assert.equal(r.code, 0, r.stderr);
    // syntheticModule(i) is example.com/m<i> unless i % 5 == 0 (github.com/Upper<i>/Pkg).
    const want = Array.from({ length: 1500 }, (_, i) => i)
      .filter((i) => (i % 5 !== 0 && String(i).startsWith('14')) || i === 1000)
      .map((i) => `watch: record ${i}:`);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(0, 3).join(' ')),
      want,
    );
  } finally {
    await w.close();
  }
});

test('monitor: a fork between two runs exits 3 with both trees; a bad data tile exits 3', async () => {
  const w = await world({ synthetic: 1200 });
  try {
    const state = join(w.tmp, 'state');
    assert.equal((await cli(['monitor', '--state', state], w.env, w.tmp)).code, 0);
    w.db.setMode('fork');
    const r = await cli(['monitor', '--state', state, '--json'], w.env, w.tmp);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /SECURITY ERROR/);
    const fork = JSON.parse(r.stdout) as { kind: string; older: { n: number }; newer: { n: number }; proof: string[] };
    assert.equal(fork.kind, 'fork');
    assert.deepEqual([fork.older.n, fork.newer.n], [1200, 1201]);
    assert.ok(fork.proof.length > 0);
    w.db.setMode('bad-record');
    // Read in this thread and in a worker thread: the same verdict.
    for (const workers of ['0', '1']) {
      const bad = await cli(['monitor', '--json', '--workers', workers], w.env, w.tmp);
      assert.equal(bad.code, 3, bad.stderr);
      assert.match(bad.stderr, /does not match the hash tiles/);
    }
  } finally {
    await w.close();
  }
});

test('monitor --gossip: a peer on the same history is consistent; a peer with another history signed by the key exits 3', async () => {
  const key = generateKey('gossip.test');
  const db = newTestDatabase({ key, synthetic: 1000, sha256: nodeSha256 });
  const other = newTestDatabase({
    key,
    synthetic: 500,
    sha256: nodeSha256,
    records: [
      { path: 'fork.example/x', version: 'v1.0.0', text: 'fork.example/x v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' },
    ],
  });
  const server = await startServer(db.handle);
  const mirror = await startServer(db.handle);
  const liar = await startServer(other.handle);
  try {
    const env = { HOME: '/nonexistent', GOPATH: '/nonexistent', GOSUMDB: `${key.vkey} ${server.url}`, GOPROXY: 'off', PATH: '' };
    const ok = await cli(['monitor', '--gossip', `${mirror.url}/sumdb/gossip.test/latest`], env, '/');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /gossip http:\/\/127\.0\.0\.1:[0-9]+\/sumdb\/gossip\.test\/latest: tree#1000 consistent/);
    const bad = await cli(['monitor', '--gossip', `${mirror.url}/latest`, '--gossip', `${liar.url}/latest`], env, '/');
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, /SECURITY ERROR/);
    const unreachable = await cli(['monitor', '--gossip', `${mirror.url}/nothing-here`], env, '/');
    assert.equal(unreachable.code, 1, unreachable.stderr);
  } finally {
    await Promise.all([server.close(), mirror.close(), liar.close()]);
  }
});

test('monitor: usage errors exit 2', async () => {
  const w = await world({ synthetic: 10 });
  try {
    assert.equal((await cli(['monitor', '--until', 'x'], w.env, w.tmp)).code, 2);
    assert.equal((await cli(['monitor', 'extra'], w.env, w.tmp)).code, 2);
    assert.equal((await cli(['monitor', '--workers', '-1'], w.env, w.tmp)).code, 2);
    assert.equal((await cli(['monitor', '--workers', 'many'], w.env, w.tmp)).code, 2);
    assert.equal((await cli(['monitor', '--sumdb', 'off'], w.env, w.tmp)).code, 2);
    const empty = await cli(['monitor', '--state', join(w.tmp, 'empty'), '--find', 'x.example/m@v1.0.0'], w.env, w.tmp);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /the monitor state holds no records yet/);
    // A state another live monitor holds (here: a sleeping child process) is refused, not shared.
    mkdirSync(join(w.tmp, 'held'));
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    writeFileSync(join(w.tmp, 'held', 'monitor.lock'), `${other.pid} ${hostname()} other\n`);
    const held = await cli(['monitor', '--state', join(w.tmp, 'held')], w.env, w.tmp).finally(() => other.kill('SIGKILL'));
    assert.equal(held.code, 2, held.stderr);
    assert.match(held.stderr, /monitor state in .*held is in use: .*held by process \d+ on/);
    const r = await cli(['monitor', '--until', '5', '--watch', 'example.com'], w.env, w.tmp);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim().split('\n').length, 4, 'records 1..4');
  } finally {
    await w.close();
  }
});
