// The in-memory index of module versions: growth, long probe chains, and a failed batch taken
// out again (backward-shift deletion), checked against what each batch put in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newVersionIndex, type MonitorFinding, type MonitorVersions } from '../../src/monitor/index.js';

const TWO32 = 2 ** 32;

function batch(entries: [id: number, key: number][], failOn?: number): MonitorVersions {
  return {
    count: entries.length,
    ids: Float64Array.from(entries, (e) => e[0]),
    keys: Float64Array.from(entries, (e) => e[1]),
    lines: new Uint8Array(entries.length).fill(3),
    moduleVersion: async (id) => {
      if (id === failOn) throw new Error('the log is gone');
      return { path: 'example.com/m', version: 'v1.0.0' };
    },
  };
}

// Keys spread over the whole range, and keys that all share one shard and one home slot.
function keys(n: number, seed: number): number[] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  return Array.from({ length: n }, (_, i) =>
    i % 5 === 0 ? ((seed * 100000 + i) * 256 + 7) * TWO32 + 99 : (next() % 2 ** 21) * TWO32 + next(),
  );
}

test('version index: every key kept through growth and long probe chains; a failed batch leaves nothing behind', async () => {
  const index = newVersionIndex();
  const first = keys(20000, 1);
  index.apply(await index.index(batch(first.map((k, i) => [i, k])), []));
  assert.equal(index.size(), 20000);

  // A batch of new keys that fails on its last entry (a duplicate whose first record cannot be read).
  const second = keys(3000, 2);
  const failing = batch([...second.map((k, i): [number, number] => [20000 + i, k]), [23000, first[0]!]], 23000);
  await assert.rejects(index.index(failing, []), /the log is gone/);
  assert.equal(index.size(), 20000);

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
  assert.equal(index.size(), 23000);
});
