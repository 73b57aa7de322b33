// The in-memory index of module versions: growth, long probe chains, keys equal in the 40 bits the
// index keeps, and a failed batch taken out again (backward-shift deletion), checked against what
// each batch put in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newVersionIndex, type MonitorFinding, type MonitorVersions } from '../../src/monitor/index.js';

const TWO32 = 2 ** 32;

// Record id -> key; each key stands for the module version example.com/m<key>.
const keyOf = new Map<number, number>();

function batch(entries: [id: number, key: number][], failOn?: number): MonitorVersions {
  for (const [id, key] of entries) keyOf.set(id, key);
  return {
    count: entries.length,
    ids: Float64Array.from(entries, (e) => e[0]),
    keys: Float64Array.from(entries, (e) => e[1]),
    lines: new Uint8Array(entries.length).fill(3),
    moduleVersion: async (id) => {
      if (id === failOn) throw new Error('the log is gone');
      return { path: `example.com/m${keyOf.get(id)!}`, version: 'v1.0.0' };
    },
  };
}

// Keys spread over the whole range; every fifth in shard 7 with home slot 99 (one long probe
// chain), of which every other one equal in its low 40 bits to the one before (another 13 bits).
function keys(n: number, seed: number): number[] {
  let x = seed;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x;
  };
  return Array.from({ length: n }, (_, i) => {
    if (i % 5 !== 0) return (next() % 2 ** 21) * TWO32 + next();
    const j = seed * 5000 + Math.floor(i / 10);
    return ((i % 10 === 0 ? 0 : 256) + 7 + 512 * seed) * TWO32 + 99 + (j % 4096) * 2 ** 20;
  });
}

for (const reserved of [0, 30000]) {
  test(`version index (reserved ${reserved}): growth, probe chains, 40-bit collisions; a failed batch undone`, async () => {
    const index = newVersionIndex();
    index.reserve(reserved);
    const first = keys(20000, 1);
    const found0: MonitorFinding[] = [];
    index.apply(await index.index(batch(first.map((k, i) => [i, k])), found0));
    assert.deepEqual(found0, [], 'keys equal in 40 bits are not duplicates');
    const size1 = index.size();
    assert.equal(size1, 20000 - 2000, 'one slot for each pair equal in 40 bits');

    // A batch of new keys that fails on its last entry (a duplicate whose record cannot be read).
    const second = keys(3000, 2);
    const failing = batch([...second.map((k, i): [number, number] => [20000 + i, k]), [23000, first[0]!]], 23000);
    await assert.rejects(index.index(failing, []), /the log is gone/);
    assert.equal(index.size(), size1);

    // The first keys again: each is a duplicate of its first record (zip and go.mod line); the
    // second ones are new (the failed batch took them out).
    const found: MonitorFinding[] = [];
    const third = [...first.map((k, i): [number, number] => [30000 + i, k]), ...second.map((k, i): [number, number] => [50000 + i, k])];
    index.apply(await index.index(batch(third), found));
    assert.equal(found.length, 2 * 20000);
    for (let i = 0; i < 20000; i++) {
      const f = found[2 * i]!;
      assert.ok(f.kind === 'duplicate' && f.id === 30000 + i && f.firstId === i, JSON.stringify(f));
    }
    const low40 = new Set([...first, ...second].map((k) => `${Math.floor(k / TWO32) % 256} ${k % TWO32}`));
    assert.equal(index.size(), low40.size);
  });
}
