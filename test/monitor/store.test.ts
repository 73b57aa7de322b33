// The MonitorStore contract, for the in-memory store and the SQLite one (gosumdb/node): which
// lines are duplicates, atomic commits, reported flags, and the SQLite state surviving a reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGosumdbError } from '../../src/internal/errors.js';
import { memoryMonitorStore, type MonitorCheckpoint, type MonitorStore } from '../../src/monitor/index.js';
import { sqliteMonitorStore } from '../../src/node/index.js';

const key = 'sumdb.test+00000001+AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefgh';
const cp = (n: number, next: number): MonitorCheckpoint => ({
  tree: { tree: { n, hash: new Uint8Array(32).fill(n % 256) }, note: new TextEncoder().encode(`note ${n}\n`) },
  next,
});
const v = (id: number, path: string, kind: 'zip' | 'go.mod', version = 'v1.0.0') => ({ id, path, version, kind });

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
    try {
      assert.deepEqual(await store.load(), { checkpoint: undefined, unreported: [] });
      const a = await store.commit({
        checkpoint: cp(10, 4),
        versions: [v(0, 'a.example/m', 'go.mod'), v(1, 'b.example/m', 'zip'), v(1, 'b.example/m', 'go.mod'), v(3, 'b.example/m', 'zip')],
        findings: [{ kind: 'watch', id: 2, path: 'w.example/x', version: 'v1.0.0', pattern: 'w.example' }],
      });
      assert.deepEqual(a, [
        { kind: 'watch', id: 2, path: 'w.example/x', version: 'v1.0.0', pattern: 'w.example' },
        { kind: 'duplicate', id: 3, firstId: 1, path: 'b.example/m', version: 'v1.0.0', line: 'zip' },
      ]);
      // a.example/m had only its go.mod line: its zip line is new, its go.mod line a duplicate.
      const b = await store.commit({
        checkpoint: cp(10, 6),
        versions: [v(5, 'a.example/m', 'zip'), v(5, 'a.example/m', 'go.mod'), v(5, 'a.example/m', 'zip', 'v1.0.1')],
        findings: [],
      });
      assert.deepEqual(b, [{ kind: 'duplicate', id: 5, firstId: 0, path: 'a.example/m', version: 'v1.0.0', line: 'go.mod' }]);
      const loaded = await store.load();
      assert.equal(loaded.checkpoint?.next, 6);
      assert.equal(loaded.unreported.length, 3);
      await store.markReported(a);
      assert.deepEqual((await store.load()).unreported, b);
      // A batch committed again (a run that died before its checkpoint moved) reports nothing new.
      assert.deepEqual(await store.commit({ checkpoint: cp(10, 6), versions: [v(5, 'a.example/m', 'go.mod')], findings: [] }), []);
    } finally {
      await store.close();
      done();
    }
  });
}

test('sqlite store: the state survives a reopen and belongs to one database key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-store-'));
  try {
    const s1 = await sqliteMonitorStore(dir, key);
    await s1.commit({
      checkpoint: cp(300, 256),
      versions: [v(7, 'x.example/m', 'zip')],
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
    assert.deepEqual(await s2.commit({ checkpoint: cp(300, 300), versions: [v(8, 'x.example/m', 'zip')], findings: [] }), [
      { kind: 'duplicate', id: 8, firstId: 7, path: 'x.example/m', version: 'v1.0.0', line: 'zip' },
    ]);
    await s2.close();
    const other = await sqliteMonitorStore(dir, 'other.test+00000002+AbCdEf').catch((e: unknown) => e);
    assert.ok(isGosumdbError(other, 'ERR_STATE_MISMATCH'), String(other));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
