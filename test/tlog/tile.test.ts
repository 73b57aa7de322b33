// Tiles: Go's tile-path table, NewTiles (pinning the newer x/mod rule against v0.7.0), hash tiles
// against a memory log, and tileHashReader's promise: nothing is used or saved before it is
// verified against the tree hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GosumdbError } from '../../src/internal/errors.js';
import {
  checkRecord,
  checkTree,
  hashFromTile,
  newTiles,
  parseTilePath,
  proveRecord,
  proveTree,
  readTileData,
  recordHash,
  storedHashCount,
  storedHashIndex,
  tileForIndex,
  tileHashReader,
  tilePath,
  treeHash,
  type HashReader,
  type Tile,
  type TileReader,
} from '../../src/tlog/index.js';
import { buildLog } from './memlog.js';

const enc = new TextEncoder();
const code = (c: string) => (e: unknown) => e instanceof GosumdbError && e.code === c;

// A tile server over a memory log, recording what is read and saved; `forge` rewrites tile data.
async function tileServer(h: number, n: number, r: HashReader, forge?: (t: Tile, d: Uint8Array) => Uint8Array) {
  const tiles = new Map<string, Uint8Array>();
  for (const t of newTiles(h, 0, n)) tiles.set(tilePath(t), await readTileData(t, r));
  const log = { read: [] as string[], saved: [] as string[] };
  const tr: TileReader = {
    height: h,
    readTiles: async (ts) =>
      ts.map((t) => {
        log.read.push(tilePath(t));
        const d = tiles.get(tilePath(t));
        assert.ok(d, `tile ${tilePath(t)} exists`);
        return forge ? forge(t, d.slice()) : d.slice();
      }),
    saveTiles: (ts, data) => {
      assert.equal(ts.length, data.length);
      log.saved.push(...ts.map(tilePath));
    },
  };
  return { tr, log };
}

test("Go's TestTilePath table", () => {
  const table: [string, Tile | undefined][] = [
    ['tile/4/0/001', { h: 4, l: 0, n: 1, w: 16 }],
    ['tile/4/0/001.p/5', { h: 4, l: 0, n: 1, w: 5 }],
    ['tile/3/5/x123/x456/078', { h: 3, l: 5, n: 123456078, w: 8 }],
    ['tile/3/5/x123/x456/078.p/2', { h: 3, l: 5, n: 123456078, w: 2 }],
    ['tile/1/0/x003/x057/500', { h: 1, l: 0, n: 3057500, w: 2 }],
    ['tile/3/5/123/456/078', undefined],
    ['tile/3/-1/123/456/078', undefined],
    ['tile/1/data/x003/x057/500', { h: 1, l: -1, n: 3057500, w: 2 }],
  ];
  for (const [path, tile] of table) {
    if (tile) {
      assert.equal(tilePath(tile), path);
      assert.deepEqual(parseTilePath(path), tile);
    } else {
      assert.throws(() => parseTilePath(path), code('ERR_TILE_PATH_MALFORMED'), path);
    }
  }
  assert.throws(() => parseTilePath('tile/8/0/x009/x007/x199/x254/x740/992'), code('ERR_TILE_PATH_MALFORMED'));
  assert.throws(() => tilePath({ h: 0, l: 0, n: 0, w: 1 }), RangeError);
  assert.throws(() => tilePath({ h: 2, l: 0, n: 0, w: 5 }), RangeError);
});

test('newer x/mod NewTiles lists only strictly needed tiles; v0.7.0 listed more', () => {
  const paths = (h: number, a: number, b: number) => newTiles(h, a, b).map(tilePath);
  // v0.7.0 answers (from the generator's Go): 5→6 at h=2 is
  //   [tile/2/0/001.p/1 tile/2/0/001 .p/2 tile/2/1/000.p/1]; newer: only the final width of the
  // changed level-0 tile; level 1 (one hash before and after) is unchanged.
  assert.deepEqual(paths(2, 5, 6), ['tile/2/0/001.p/2']);
  assert.deepEqual(paths(2, 7, 7), []);
  assert.deepEqual(paths(2, 0, 16), ['tile/2/0/000', 'tile/2/0/001', 'tile/2/0/002', 'tile/2/0/003', 'tile/2/1/000', 'tile/2/2/000.p/1']);
  assert.deepEqual(paths(8, 255, 257), ['tile/8/0/000', 'tile/8/0/001.p/1', 'tile/8/1/000.p/1']);
  assert.throws(() => newTiles(0, 0, 1), RangeError);
  assert.throws(() => newTiles(2, 5, 4), RangeError);
});

test('growing a log tile by tile publishes every tile a reader of the new tree needs', async () => {
  // The newer rule's promise: after publishing newTiles(h, i, i+1) for each step, the tiles of
  // newTiles(h, 0, n) all exist with the right data, and every stored hash is readable from its tile.
  const { stored, r } = await buildLog(100);
  const published = new Map<string, Uint8Array>();
  for (let i = 0; i < 100; i++) {
    for (const t of newTiles(2, i, i + 1)) published.set(tilePath(t), await readTileData(t, r));
    for (const t of newTiles(2, 0, i + 1)) assert.deepEqual(published.get(tilePath(t)), await readTileData(t, r), tilePath(t));
    for (let x = storedHashIndex(0, i); x < storedHashCount(i + 1); x++) {
      const t = tileForIndex(2, x);
      const data = published.get(tilePath({ ...t, w: Math.max(t.w, widthAt(t, i + 1)) }));
      assert.ok(data, `tile for ${x}`);
      assert.deepEqual(hashFromTile({ ...t, w: data.length / 32 }, data, x), stored[x]);
    }
  }
  function widthAt(t: Tile, n: number): number {
    const hashes = Math.floor(n / 4 ** t.l);
    return Math.min(4, hashes - t.n * 4);
  }
});

test('tileHashReader: every hash and proof verified from honest tiles, and every read tile saved', async () => {
  const n = 100;
  const { stored, r, hash } = await buildLog(n);
  const { tr, log } = await tileServer(2, n, r);
  const thr = tileHashReader({ n, hash }, tr);
  for (let j = 0; j < n; j++) {
    const [h] = await thr.readHashes([storedHashIndex(0, j)]);
    assert.deepEqual(h, stored[storedHashIndex(0, j)]);
    const p = await proveRecord(n, j, thr);
    checkRecord(p, n, hash, j, recordHash(enc.encode(`leaf ${j}`)));
    const q = await proveTree(n, j + 1, thr);
    checkTree(q, n, hash, j + 1, await treeHash(j + 1, r));
    assert.deepEqual(await treeHash(j + 1, thr), await treeHash(j + 1, r));
  }
  assert.deepEqual(log.saved, log.read);
  await assert.rejects(thr.readHashes([storedHashIndex(0, n)]), code('ERR_INDEX_NOT_IN_TREE'));
  await assert.rejects(thr.readHashes([2 * n]), code('ERR_INDEX_NOT_IN_TREE'));
});

test('tileHashReader rejects a forged tile wherever it sits and saves nothing', async () => {
  const n = 100;
  const { r, hash } = await buildLog(n);
  const indexes = [storedHashIndex(0, 0), storedHashIndex(0, 57), storedHashIndex(0, 99), storedHashIndex(2, 3)];
  const allTiles = newTiles(2, 0, n);
  for (const victim of allTiles) {
    const { tr, log } = await tileServer(2, n, r, (t, d) => {
      if (tilePath(t) === tilePath(victim)) d[d.length - 1]! ^= 0x80;
      return d;
    });
    const thr = tileHashReader({ n, hash }, tr);
    for (const x of indexes) {
      log.read.length = 0;
      try {
        await thr.readHashes([x]);
        assert.ok(!log.read.includes(tilePath(victim)), `forged ${tilePath(victim)} was read but accepted for ${x}`);
      } catch (e) {
        assert.ok(code('ERR_TILE_INCONSISTENT')(e), String(e));
        assert.ok(log.read.includes(tilePath(victim)));
      }
    }
    assert.ok(!log.saved.includes(tilePath(victim)), `forged ${tilePath(victim)} saved`);
  }
});

test('a reused tileHashReader remembers tile hashes by exact bytes: a tile forged after it verified is still rejected', async () => {
  const n = 100;
  const { r, hash, stored } = await buildLog(n);
  // Every tile of the tree, honest until `forging` names one, then that one with a flipped bit.
  let forging: string | undefined;
  const { tr, log } = await tileServer(2, n, r, (t, d) => {
    if (tilePath(t) === forging) d[d.length - 1]! ^= 0x80;
    return d;
  });
  const thr = tileHashReader({ n, hash }, tr);
  const indexes = [storedHashIndex(0, 0), storedHashIndex(0, 57), storedHashIndex(0, 99), storedHashIndex(2, 3)];
  for (const x of indexes) assert.deepEqual(await thr.readHashes([x]), [stored[x]]);
  for (const victim of newTiles(2, 0, n).map(tilePath)) {
    forging = victim;
    for (const x of indexes) {
      log.read.length = 0;
      try {
        assert.deepEqual(await thr.readHashes([x]), [stored[x]]);
        assert.ok(!log.read.includes(victim), `forged ${victim} was read but accepted for ${x}`);
      } catch (e) {
        assert.ok(code('ERR_TILE_INCONSISTENT')(e), String(e));
        assert.ok(log.read.includes(victim));
      }
    }
    // Honest again: the same reader answers as before.
    forging = undefined;
    for (const x of indexes) assert.deepEqual(await thr.readHashes([x]), [stored[x]]);
  }
});

test('tileHashReader authenticates child tiles even when tree-hash indexes share a tile (x/mod v0.7.0 does not)', async () => {
  // Tree of 7 at h=2: the tree hash needs 3 hashes from 2 tiles. x/mod v0.7.0 then skips
  // authenticating the first child tile (it counts indexes, not tiles): for index 0 it returns
  // the hash from a forged tile/2/0/000 and saves it (checked with a Go program against
  // Debian's x/mod). gosumdb verifies it against its parent and rejects it.
  const { r, hash } = await buildLog(7);
  const { tr, log } = await tileServer(2, 7, r, (t, d) => {
    if (tilePath(t) === 'tile/2/0/000') d[0]! ^= 1;
    return d;
  });
  await assert.rejects(tileHashReader({ n: 7, hash }, tr).readHashes([0]), code('ERR_TILE_INCONSISTENT'));
  assert.deepEqual(log.read, ['tile/2/1/000.p/1', 'tile/2/0/001.p/3', 'tile/2/0/000']);
  assert.deepEqual(log.saved, []);
});

test('tileHashReader rejects tiles for another tree, wrong lengths and bad reader results', async () => {
  const { r, hash } = await buildLog(20);
  const other = await buildLog(20, (i) => enc.encode(`other ${i}`));
  const { tr } = await tileServer(2, 20, other.r);
  await assert.rejects(tileHashReader({ n: 20, hash }, tr).readHashes([0]), code('ERR_TILE_INCONSISTENT'));
  const short = await tileServer(2, 20, r, (_t, d) => d.subarray(0, d.length - 1));
  await assert.rejects(tileHashReader({ n: 20, hash }, short.tr).readHashes([0]), code('ERR_TILE_INCONSISTENT'));
  assert.deepEqual(short.log.saved, []);
  const none: TileReader = { height: 2, readTiles: async () => [], saveTiles: () => assert.fail('saved') };
  await assert.rejects(tileHashReader({ n: 20, hash }, none).readHashes([0]), code('ERR_READER_RESULT'));
  const failing: TileReader = {
    height: 2,
    readTiles: async () => Promise.reject(new Error('offline')),
    saveTiles: () => assert.fail('saved'),
  };
  await assert.rejects(tileHashReader({ n: 20, hash }, failing).readHashes([0]), /offline/);
});

test('tileHashReader hands saveTiles copies and keeps its own', async () => {
  const { stored, r, hash } = await buildLog(9);
  const { tr } = await tileServer(2, 9, r);
  const saving: TileReader = {
    ...tr,
    saveTiles: (_ts, data) => {
      for (const d of data) d.fill(0);
    },
  };
  const thr = tileHashReader({ n: 9, hash }, saving);
  const [h] = await thr.readHashes([storedHashIndex(0, 5)]);
  assert.deepEqual(h, stored[storedHashIndex(0, 5)]);
});

test('hashFromTile: Go errors for invalid tiles, short data and foreign indexes', async () => {
  const { r } = await buildLog(8);
  const data = await readTileData({ h: 2, l: 0, n: 0, w: 4 }, r);
  assert.throws(() => hashFromTile({ h: 2, l: 0, n: 0, w: 4 }, data.subarray(0, 96), 0), code('ERR_TILE_INVALID'));
  assert.throws(() => hashFromTile({ h: 2, l: -1, n: 0, w: 4 }, data, 0), code('ERR_TILE_INVALID'));
  assert.throws(() => hashFromTile({ h: 2, l: 0, n: 1, w: 4 }, data, 0), code('ERR_TILE_INVALID'));
  assert.throws(() => hashFromTile({ h: 2, l: 0, n: 0, w: 2 }, data, storedHashIndex(0, 3)), code('ERR_TILE_INVALID'));
  assert.throws(() => tileForIndex(31, 0), RangeError);
});

// A SHA-256 provider over node:crypto (independent of the default noble one) that counts its calls.
function countingSha256() {
  const calls = { n: 0 };
  const sha256 = {
    hash: (d: Uint8Array) => {
      calls.n++;
      return new Uint8Array(createHash('sha256').update(d).digest());
    },
    create: () => assert.fail('tileHashReader hashes one-shot'),
  };
  return { calls, sha256 };
}

test('tileHashReader hashes with options.sha256, with the same answers and verdicts', async () => {
  const n = 100;
  const { stored, r, hash } = await buildLog(n);
  const { calls, sha256 } = countingSha256();
  const { tr } = await tileServer(2, n, r);
  const thr = tileHashReader({ n, hash }, tr, { sha256 });
  const indexes = [storedHashIndex(0, 0), storedHashIndex(0, 57), storedHashIndex(0, 99), storedHashIndex(2, 3)];
  assert.deepEqual(
    await thr.readHashes(indexes),
    indexes.map((x) => stored[x]),
  );
  assert.ok(calls.n > 0, 'the provider was used');

  const before = calls.n;
  await tileHashReader({ n, hash }, tr).readHashes(indexes);
  assert.equal(calls.n, before, 'without the option the provider is not used');

  for (const victim of newTiles(2, 0, n)) {
    const forged = await tileServer(2, n, r, (t, d) => {
      if (tilePath(t) === tilePath(victim)) d[0]! ^= 1;
      return d;
    });
    const reader = tileHashReader({ n, hash }, forged.tr, { sha256 });
    for (const x of indexes) {
      forged.log.read.length = 0;
      const got = await reader.readHashes([x]).catch((e: unknown) => e);
      if (forged.log.read.includes(tilePath(victim)))
        assert.ok(code('ERR_TILE_INCONSISTENT')(got), `forged ${tilePath(victim)} accepted for ${x}`);
      else assert.deepEqual(got, [stored[x]]);
    }
    assert.ok(!forged.log.saved.includes(tilePath(victim)));
  }
  assert.throws(() => tileHashReader({ n, hash }, tr, { sha256: {} as never }), TypeError);
});
