// workerTileHasher: data tiles read in worker threads, checked against independent computations:
// tlog's recordHash and nodeHash (noble; pinned by the Go vectors) folded here by hand, and keys
// from each module version's own path and version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { isGosumdbError } from '../../src/internal/errors.js';
import { moduleVersionKey, tileRecord } from '../../src/monitor/index.js';
import { workerTileHasher } from '../../src/node/index.js';
import { dataTileContent, syntheticModule } from '../../src/server/index.js';
import { nodeHash, recordHash, type Hash } from '../../src/tlog/index.js';

const enc = new TextEncoder();

// Records of the usual shape (both lines of a module version), with two others: one go.sum line
// only, and a long multi-line text (past the leaf buffer's first size).
function tileOf(n: number, from: number): { texts: Uint8Array[]; mvs: (string | undefined)[] } {
  const texts: Uint8Array[] = [];
  const mvs: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 3) {
      texts.push(enc.encode('example.com/one v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'));
      mvs.push(undefined);
    } else if (i === 5) {
      texts.push(enc.encode(`${'x'.repeat(700)}\n${'y'.repeat(700)}\n`));
      mvs.push(undefined);
    } else {
      const m = syntheticModule(from + i);
      texts.push(m.text);
      mvs.push(`${m.path} ${m.version}`);
    }
  }
  return { texts, mvs };
}

function subtree(leaves: Hash[]): Hash {
  let level = leaves;
  while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, i) => nodeHash(level[2 * i]!, level[2 * i + 1]!));
  return level[0]!;
}

test('records, keys, leaf hashes of a partial tile and the subtree hash of a full one, as computed independently', async () => {
  const hasher = workerTileHasher({ workers: 2 });
  try {
    const partial = tileOf(37, 0);
    const full = tileOf(256, 1000);
    const small = tileOf(2, 5000);
    // Asked at once, answered by two workers: each answer reaches its own request.
    const [p, f, s] = await Promise.all([
      hasher.hashTile({ data: dataTileContent(partial.texts), w: 37, count: 37, fold: false }),
      hasher.hashTile({ data: dataTileContent(full.texts), w: 256, count: 256, fold: true }),
      hasher.hashTile({ data: dataTileContent(small.texts), w: 2, count: 2, fold: true }),
    ]);
    assert.equal(p.hashes.length, 37 * 32);
    for (const [i, r] of partial.texts.entries()) {
      assert.deepEqual(tileRecord(p, i), r, `record ${i}`);
      assert.deepEqual(p.hashes.subarray(32 * i, 32 * i + 32), recordHash(r), `record ${i}`);
      const mv = partial.mvs[i];
      assert.equal(p.keys[i], mv === undefined ? 0 : moduleVersionKey(enc.encode(mv), 0, enc.encode(mv).length), `key ${i}`);
      assert.equal(p.ends[i]! >= 0, mv !== undefined, `usual ${i}`);
    }
    assert.deepEqual(f.hashes, subtree(full.texts.map(recordHash)));
    assert.deepEqual(s.hashes, subtree(small.texts.map(recordHash)));
    // A full tile cut to its first records (a partial tile not served).
    const cut = await hasher.hashTile({ data: dataTileContent(full.texts), w: 5, count: 256, fold: false });
    assert.deepEqual(cut.hashes, new Uint8Array(Buffer.concat(full.texts.slice(0, 5).map(recordHash))));
  } finally {
    await hasher.close();
  }
});

test("a worker's errors are the caller's: a tile that does not split, too few or too many records", async () => {
  const hasher = workerTileHasher({ workers: 1 });
  try {
    const { texts } = tileOf(4, 0);
    const data = dataTileContent(texts);
    await assert.rejects(hasher.hashTile({ data: data.subarray(0, data.length - 1), w: 4, count: 4, fold: false }), (e: unknown) =>
      isGosumdbError(e, 'ERR_TILE_INCONSISTENT'),
    );
    // A record that is not valid record text (a control character) is hashed all the same: the
    // monitor proves it against the tree, then reports it malformed.
    const odd = data.slice();
    odd[10] = 0x01;
    const oddText = odd.subarray(0, texts[0]!.length);
    const hashed = await hasher.hashTile({ data: odd, w: 4, count: 4, fold: false });
    assert.deepEqual(hashed.hashes.subarray(0, 32), new Uint8Array(recordHash(oddText)));
    for (const [w, count] of [
      [4, 5],
      [3, 3],
      [5, 4],
    ] as const) {
      await assert.rejects(hasher.hashTile({ data, w, count, fold: false }), (e: unknown) => isGosumdbError(e, 'ERR_TILE_INCONSISTENT'));
    }
    // A hostile tile of millions of tiny records (8 MiB, as much as a response may hold) is refused
    // at the first record too many: split to the end, its records would not fit the worker's heap.
    const tiny = new Uint8Array(8 << 20).fill(0x0a);
    for (let i = 0; i < tiny.length; i += 3) tiny[i] = 0x61;
    await assert.rejects(hasher.hashTile({ data: tiny, w: 256, count: 256, fold: true }), (e: unknown) =>
      isGosumdbError(e, 'ERR_TILE_INCONSISTENT'),
    );
    // The worker goes on after an error.
    assert.equal((await hasher.hashTile({ data, w: 4, count: 4, fold: false })).hashes.length, 4 * 32);
  } finally {
    await hasher.close();
  }
});

test('after close every read is refused; 0 workers read in this thread; a negative count is a RangeError', async () => {
  const hasher = workerTileHasher({ workers: 1 });
  await hasher.close();
  const request = { data: enc.encode('a\n\n'), w: 1, count: 1, fold: false };
  await assert.rejects(hasher.hashTile(request), /tile hasher: closed/);
  const inThread = workerTileHasher({ workers: 0 });
  assert.deepEqual((await inThread.hashTile(request)).hashes, recordHash(enc.encode('a\n')));
  await inThread.close();
  assert.throws(() => workerTileHasher({ workers: -1 }), RangeError);
  assert.throws(() => workerTileHasher({ workers: 1.5 }), RangeError);
});

test('a process with nothing else to do waits for the tiles being read and for close, then exits', async () => {
  // In a process of its own: a thread that did not hold the process open while reading or ending
  // would leave the top-level await unsettled (exit 13); an idle thread that held it would never
  // let it end. Once without closing the hasher; once closing two threads, one still starting.
  for (const [workers, close] of [
    [1, false],
    [2, true],
  ] as const) {
    const script = [
      `import { workerTileHasher } from ${JSON.stringify(new URL('../../src/node/index.js', import.meta.url).href)};`,
      `const hasher = workerTileHasher({ workers: ${workers} });`,
      "const data = new TextEncoder().encode('a\\n\\n');",
      `const tiles = await Promise.all([${close ? '1' : '1, 2, 3'}].map(() => hasher.hashTile({ data, w: 1, count: 1, fold: false })));`,
      close ? 'await hasher.close();' : '',
      'console.log(tiles.map((t) => t.hashes.length).join(" "));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `workers ${workers}, close ${close}: ${r.stderr}`);
    assert.equal(r.stdout, close ? '32\n' : '32 32 32\n');
  }
});
