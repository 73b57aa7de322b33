// The MonitorStore contract, for the in-memory store and the SQLite one (gosumdb/node): which
// lines are duplicates, atomic commits, reported flags, and the SQLite state surviving a reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGosumdbError } from '../../src/internal/errors.js';
import {
  memoryMonitorStore,
  moduleVersionKey,
  type MonitorCheckpoint,
  type MonitorStore,
  type MonitorVersions,
} from '../../src/monitor/index.js';
import { sqliteMonitorStore } from '../../src/node/index.js';

const key = 'sumdb.test+00000001+AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh';
const cp = (n: number, next: number): MonitorCheckpoint => ({
  tree: { tree: { n, hash: new Uint8Array(32).fill(n % 256) }, note: new TextEncoder().encode(`note ${n}\n`) },
  next,
});
const v = (id: number, path: string, kind: 'zip' | 'go.mod', version = 'v1.0.0') => ({ id, path, version, kind });
type Line = ReturnType<typeof v>;
const textKey = (path: string, version: string) => {
  const b = new TextEncoder().encode(`${path} ${version}`);
  return moduleVersionKey(b, 0, b.length);
};

// The columns a monitor builds from go.sum lines (one entry per record), and the log's module
// versions by record id, as the monitor reads them again. `keyOf` can make keys collide.
function columns(log: Map<number, { path: string; version: string }>, lines: Line[], keyOf = textKey): MonitorVersions {
  const ids: number[] = [];
  const keys: number[] = [];
  const bits: number[] = [];
  for (const l of lines) {
    const bit = l.kind === 'zip' ? 1 : 2;
    if (ids.length > 0 && ids[ids.length - 1] === l.id) bits[bits.length - 1]! |= bit;
    else {
      ids.push(l.id);
      keys.push(keyOf(l.path, l.version));
      bits.push(bit);
    }
    log.set(l.id, { path: l.path, version: l.version });
  }
  return {
    count: ids.length,
    ids: Float64Array.from(ids),
    keys: Float64Array.from(keys),
    lines: Uint8Array.from(bits),
    moduleVersion: async (id) => {
      const mv = log.get(id);
      if (mv === undefined) throw new Error(`test: no record ${id}`);
      return mv;
    },
  };
}

const stores: [string, () => Promise<{ store: MonitorStore; reopen?: () => Promise<MonitorStore>; done: () => void }>][] = [
  ['memory', async () => ({ store: memoryMonitorStore(), done: () => {} })],
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gosumdb-store-'));
      return {
        store: await sqliteMonitorStore(dir, key),
        reopen: () => sqliteMonitorStore(dir, key),
        done: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
];

for (const [name, open] of stores) {
  test(`${name} store: duplicates per line kind, within a batch and across batches`, async () => {
    const { store, done } = await open();
    const log = new Map<number, { path: string; version: string }>();
    try {
      assert.deepEqual(await store.load(), { checkpoint: undefined, unreported: [] });
      const a = await store.commit({
        checkpoint: cp(10, 4),
        versions: columns(log, [
          v(0, 'a.example/m', 'go.mod'),
          v(1, 'b.example/m', 'zip'),
          v(1, 'b.example/m', 'go.mod'),
          v(3, 'b.example/m', 'zip'),
        ]),
        findings: [{ kind: 'watch', id: 2, path: 'w.example/x', version: 'v1.0.0', pattern: 'w.example' }],
      });
      assert.deepEqual(a, [
        { kind: 'watch', id: 2, path: 'w.example/x', version: 'v1.0.0', pattern: 'w.example' },
        { kind: 'duplicate', id: 3, firstId: 1, path: 'b.example/m', version: 'v1.0.0', line: 'zip' },
      ]);
      // a.example/m had only its go.mod line: its zip line is new, its go.mod line a duplicate.
      const b = await store.commit({
        checkpoint: cp(10, 7),
        versions: columns(log, [v(5, 'a.example/m', 'zip'), v(5, 'a.example/m', 'go.mod'), v(6, 'a.example/m', 'zip', 'v1.0.1')]),
        findings: [],
      });
      assert.deepEqual(b, [{ kind: 'duplicate', id: 5, firstId: 0, path: 'a.example/m', version: 'v1.0.0', line: 'go.mod' }]);
      const loaded = await store.load();
      assert.equal(loaded.checkpoint?.next, 7);
      assert.equal(loaded.unreported.length, 3);
      // Marked up to the first batch's end: the second's finding is still to be shown; marks never move back.
      await store.markReported(4);
      assert.deepEqual((await store.load()).unreported, b);
      await store.markReported(2);
      assert.deepEqual((await store.load()).unreported, b);
      await store.markReported(7);
      assert.deepEqual((await store.load()).unreported, []);
      // A batch committed again (a run that died before its checkpoint moved) reports nothing new.
      assert.deepEqual(
        await store.commit({ checkpoint: cp(10, 7), versions: columns(log, [v(5, 'a.example/m', 'go.mod')]), findings: [] }),
        [],
      );
    } finally {
      await store.close();
      done();
    }
  });

  test(`${name} store: module versions whose keys collide are told apart by their text`, async () => {
    const { store, reopen, done } = await open();
    let reopened: MonitorStore | undefined;
    const log = new Map<number, { path: string; version: string }>();
    const same = () => 42;
    try {
      // b, c and d share a's key: none is a duplicate of a, and each one's own duplicates are found.
      const a = await store.commit({
        checkpoint: cp(10, 3),
        versions: columns(
          log,
          [v(0, 'a.example/m', 'zip'), v(0, 'a.example/m', 'go.mod'), v(1, 'b.example/m', 'zip'), v(2, 'b.example/m', 'zip')],
          same,
        ),
        findings: [],
      });
      assert.deepEqual(a, [{ kind: 'duplicate', id: 2, firstId: 1, path: 'b.example/m', version: 'v1.0.0', line: 'zip' }]);
      const b = await store.commit({
        checkpoint: cp(10, 7),
        versions: columns(
          log,
          [v(3, 'c.example/m', 'go.mod'), v(4, 'a.example/m', 'go.mod'), v(5, 'b.example/m', 'go.mod'), v(6, 'd.example/m', 'zip')],
          same,
        ),
        findings: [],
      });
      assert.deepEqual(b, [{ kind: 'duplicate', id: 4, firstId: 0, path: 'a.example/m', version: 'v1.0.0', line: 'go.mod' }]);
      const c = await store.commit({
        checkpoint: cp(10, 9),
        versions: columns(log, [v(7, 'c.example/m', 'go.mod'), v(8, 'b.example/m', 'zip'), v(8, 'b.example/m', 'go.mod')], same),
        findings: [],
      });
      assert.deepEqual(c, [
        { kind: 'duplicate', id: 7, firstId: 3, path: 'c.example/m', version: 'v1.0.0', line: 'go.mod' },
        { kind: 'duplicate', id: 8, firstId: 1, path: 'b.example/m', version: 'v1.0.0', line: 'zip' },
        { kind: 'duplicate', id: 8, firstId: 5, path: 'b.example/m', version: 'v1.0.0', line: 'go.mod' },
      ]);
      // The index answers by key (a's row: the first module version with key 42) and by text
      // (b and d, whose key a held first), and, for SQLite, again after a reopen.
      const answers = async (s: MonitorStore) => {
        assert.deepEqual(await s.find(42, 'b.example/m v1.0.0'), { byKey: { zip: 0, mod: 0 }, byText: { zip: 1, mod: 5 } });
        assert.deepEqual(await s.find(42, 'd.example/m v1.0.0'), { byKey: { zip: 0, mod: 0 }, byText: { zip: 6, mod: -1 } });
        assert.deepEqual(await s.find(42, 'a.example/m v1.0.0'), { byKey: { zip: 0, mod: 0 } });
        assert.deepEqual(await s.find(43, 'a.example/m v1.0.0'), {});
      };
      await answers(store);
      if (reopen) {
        await store.close();
        reopened = await reopen();
        await answers(reopened);
      }
    } finally {
      await (reopened ?? store).close();
      done();
    }
  });

  test(`${name} store: a batch of 1000 records with duplicates of earlier and of its own records`, async () => {
    const { store, done } = await open();
    const log = new Map<number, { path: string; version: string }>();
    const both = (id: number, path: string) => [v(id, path, 'zip'), v(id, path, 'go.mod')];
    try {
      await store.commit({
        checkpoint: cp(2000, 300),
        versions: columns(log, Array.from({ length: 300 }, (_, i) => both(i, `m${i}.example`)).flat()),
        findings: [],
      });
      // Records 307 and 550 hold m7 and m250 again; record 700 holds a new m400, record 1000 too.
      const lines = Array.from({ length: 1000 }, (_, i) =>
        both(300 + i, `m${i === 7 || i === 250 || i === 400 ? i : 1000 + i}.example`),
      ).flat();
      lines.splice(2 * 700, 2, ...both(1000, 'm400.example'));
      const got = await store.commit({ checkpoint: cp(2000, 1300), versions: columns(log, lines), findings: [] });
      const dup = (id: number, firstId: number, path: string) =>
        (['zip', 'go.mod'] as const).map((line) => ({ kind: 'duplicate', id, firstId, path, version: 'v1.0.0', line }));
      assert.deepEqual(got, [...dup(307, 7, 'm7.example'), ...dup(550, 250, 'm250.example'), ...dup(1000, 700, 'm400.example')]);
      // The same batch committed again finds nothing new.
      assert.deepEqual(await store.commit({ checkpoint: cp(2000, 1300), versions: columns(log, lines), findings: [] }), []);
    } finally {
      await store.close();
      done();
    }
  });
}

test('sqlite store: the state survives a reopen and belongs to one database key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-store-'));
  try {
    const log = new Map<number, { path: string; version: string }>();
    const s1 = await sqliteMonitorStore(dir, key);
    await s1.commit({
      checkpoint: cp(300, 256),
      versions: columns(log, [v(7, 'x.example/m', 'zip')]),
      findings: [{ kind: 'malformed', id: 9, reason: 'no go.sum lines', text: '"?"' }],
    });
    await s1.close();
    const s2 = await sqliteMonitorStore(dir, key);
    const loaded = await s2.load();
    assert.equal(loaded.checkpoint?.next, 256);
    assert.equal(loaded.checkpoint?.tree.tree.n, 300);
    assert.deepEqual(loaded.checkpoint?.tree.tree.hash, new Uint8Array(32).fill(300 % 256));
    assert.deepEqual(loaded.checkpoint?.tree.note, new TextEncoder().encode('note 300\n'));
    assert.deepEqual(loaded.unreported, [{ kind: 'malformed', id: 9, reason: 'no go.sum lines', text: '"?"' }]);
    assert.deepEqual(await s2.commit({ checkpoint: cp(300, 300), versions: columns(log, [v(8, 'x.example/m', 'zip')]), findings: [] }), [
      { kind: 'duplicate', id: 8, firstId: 7, path: 'x.example/m', version: 'v1.0.0', line: 'zip' },
    ]);
    await s2.close();
    const other = await sqliteMonitorStore(dir, 'other.test+00000002+AbCdEf').catch((e: unknown) => e);
    assert.ok(isGosumdbError(other, 'ERR_STATE_MISMATCH'), String(other));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite store: a state in the earlier format is refused with a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-store-'));
  try {
    // The first format: module versions keyed by their text, no format number in meta.
    const { default: Database } = (await import('better-sqlite3' as string)) as {
      default: new (f: string) => { exec(s: string): void; close(): void };
    };
    const db = new Database(join(dir, 'monitor.db'));
    db.exec(`CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE versions (path TEXT NOT NULL, version TEXT NOT NULL, zip INTEGER, mod INTEGER,
        PRIMARY KEY (path, version)) WITHOUT ROWID;
      INSERT INTO meta (k, v) VALUES ('key', '${key}');`);
    db.close();
    const e = await sqliteMonitorStore(dir, key).catch((e: unknown) => e);
    assert.ok(isGosumdbError(e, 'ERR_STATE_VERSION'), String(e));
    assert.match(String(e), /format 1.*reads format 3: remove the directory and sync again/);
    // The second format: a reported flag per finding (now one mark for all of them).
    const db2 = new Database(join(dir, 'monitor.db'));
    db2.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('schema', '2')");
    db2.close();
    const e2 = await sqliteMonitorStore(dir, key).catch((e: unknown) => e);
    assert.ok(isGosumdbError(e2, 'ERR_STATE_VERSION'), String(e2));
    assert.match(String(e2), /format 2.*reads format 3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite store: one monitor per state; the lock of a process that died is broken', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-store-'));
  try {
    const s1 = await sqliteMonitorStore(dir, key);
    const busy = await sqliteMonitorStore(dir, key).catch((e: unknown) => e);
    assert.ok(isGosumdbError(busy, 'ERR_STATE_IN_USE'), String(busy));
    assert.ok(
      String(busy).includes(`monitor state in ${dir} is in use`) && String(busy).includes(`process ${process.pid} on`),
      String(busy),
    );
    await s1.close();
    const s2 = await sqliteMonitorStore(dir, key);
    await s2.close();
    assert.equal(existsSync(join(dir, 'monitor.lock')), false, 'close() removes the lock');
    // A monitor killed with kill -9 leaves its lock; its process is gone, so the next open breaks it.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, 'monitor.lock'), `${gone} ${hostname()} killed\n`);
    const s3 = await sqliteMonitorStore(dir, key);
    await s3.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
