// workerTileHasher: a data tile's RFC 6962 hashes computed in worker threads, checked against
// tlog's recordHash and nodeHash (noble; pinned by the Go vectors), folded here by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerTileHasher } from '../../src/node/index.js';
import { nodeHash, recordHash, type Hash } from '../../src/tlog/index.js';
import { rng } from '../helpers/rng.js';

function records(n: number, seed: number): Uint8Array[] {
  const r = rng(seed);
  // Lengths from 0 to 2000 bytes: past the worker's first leaf buffer (1024), so it must grow.
  return Array.from({ length: n }, () => Uint8Array.from({ length: Math.floor(r() * 2000) }, () => Math.floor(r() * 256)));
}

function subtree(leaves: Hash[]): Hash {
  let level = leaves;
  while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => nodeHash(level[2 * i]!, level[2 * i + 1]!));
  return level[0]!;
}

test('leaf hashes of a partial tile and the subtree hash of a full one, as tlog computes them', async () => {
  const hasher = workerTileHasher({ workers: 2 });
  try {
    const partial = records(37, 1);
    const full = records(256, 2);
    // Asked at once, answered by two workers: each answer reaches its own request.
    const [leaves, root, small] = await Promise.all([
      hasher.hashTile(partial, false),
      hasher.hashTile(full, true),
      hasher.hashTile(records(2, 3), true),
    ]);
    assert.equal(leaves.length, 37 * 32);
    for (const [i, r] of partial.entries()) assert.deepEqual(leaves.subarray(32 * i, 32 * i + 32), recordHash(r), `record ${i}`);
    assert.deepEqual(root, subtree(full.map(recordHash)));
    assert.deepEqual(small, subtree(records(2, 3).map(recordHash)));
    // The records are copied, not taken: the caller's arrays are intact.
    assert.deepEqual(full[0], records(256, 2)[0]);
  } finally {
    await hasher.close();
  }
});

test('after close every hash is refused; a worker count below 1 is a RangeError', async () => {
  const hasher = workerTileHasher({ workers: 1 });
  await hasher.close();
  await assert.rejects(hasher.hashTile(records(1, 4), false), /tile hasher: closed/);
  assert.throws(() => workerTileHasher({ workers: 0 }), RangeError);
});
