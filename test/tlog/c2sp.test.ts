// Data tiles (sum.golang.org's format, without id lines), C2SP tlog-checkpoint, tlog-tiles paths,
// entry bundles, and verifyLog over both formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GosumdbError } from '../../src/internal/errors.js';
import {
  emptyTreeHash,
  formatCheckpoint,
  formatHash,
  newTiles,
  parseCheckpoint,
  parseDataTile,
  parseEntryBundle,
  parseTilePath,
  parseTlogTilesPath,
  parseTree,
  readTileData,
  storedHashIndex,
  tileHashReader,
  tilePath,
  tlogTilesPath,
  verifyDataTile,
  verifyLog,
  type Tile,
  type TileReader,
} from '../../src/tlog/index.js';
import { buildLog } from './memlog.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const code = (c: string) => (e: unknown) => e instanceof GosumdbError && e.code === c;

const record = (i: number) => `example.com/m${i} v1.0.${i} h1:abc${i}=\nexample.com/m${i} v1.0.${i}/go.mod h1:def${i}=\n`;

// Serves tile/H/data/N in sum.golang.org's format (or entry bundles) and hash tiles of a log.
function dataTiles(h: number, n: number, kind: 'sumdb' | 'entries', forge?: (t: Tile, d: Uint8Array) => Uint8Array) {
  const reads: Tile[][] = [];
  const tr: TileReader = {
    height: h,
    readTiles: async (ts) => {
      reads.push([...ts]);
      return ts.map((t) => {
        const parts: Uint8Array[] = [];
        for (let i = t.n * 2 ** h; i < t.n * 2 ** h + t.w && i < n; i++) {
          const rec = enc.encode(record(i));
          parts.push(kind === 'sumdb' ? new Uint8Array([...rec, 0x0a]) : new Uint8Array([rec.length >> 8, rec.length & 255, ...rec]));
        }
        const d = new Uint8Array(parts.flatMap((p) => [...p]));
        return forge ? forge(t, d) : d;
      });
    },
    saveTiles: () => assert.fail('verifyLog never saves'),
  };
  return { tr, reads };
}

test('parseDataTile splits record texts each followed by a blank line (no id lines)', () => {
  const data = enc.encode(record(0) + '\n' + record(1) + '\n');
  assert.deepEqual(
    parseDataTile(data).map((b) => dec.decode(b)),
    [record(0), record(1)],
  );
  assert.deepEqual(parseDataTile(new Uint8Array(0)), []);
  for (const bad of [record(0), record(0) + '\n' + 'x', 'a\n\nb', 'a\x01\n\n', 'a\n\n\n']) {
    assert.throws(() => parseDataTile(enc.encode(bad)), code('ERR_TILE_DATA_MALFORMED'), JSON.stringify(bad));
  }
  assert.throws(() => parseDataTile(new Uint8Array([0x61, 0xff, 0x0a, 0x0a])), code('ERR_TILE_DATA_MALFORMED'));
});

test('parseEntryBundle reads 2-byte big-endian length prefixes', () => {
  const big = new Uint8Array(300).fill(7);
  const bundle = new Uint8Array([0x01, 0x2c, ...big, 0x00, 0x00, 0x00, 0x01, 0x41]);
  assert.deepEqual(parseEntryBundle(bundle), [big, new Uint8Array(0), new Uint8Array([0x41])]);
  for (const bad of [[0x00], [0x00, 0x02, 0x41], [0x01, 0x2c, ...big.subarray(1)]]) {
    assert.throws(() => parseEntryBundle(new Uint8Array(bad)), code('ERR_TILE_DATA_MALFORMED'));
  }
});

test('verifyDataTile checks data-tile records against the verified level-0 hash tile', async () => {
  const n = 11;
  const { r, hash } = await buildLog(n, (i) => enc.encode(record(i)));
  const hashTiles = new Map<string, Uint8Array>();
  for (const t of newTiles(2, 0, n)) hashTiles.set(tilePath(t), await readTileData(t, r));
  const tr: TileReader = { height: 2, readTiles: async (ts) => ts.map((t) => hashTiles.get(tilePath(t))!), saveTiles: () => {} };
  const thr = tileHashReader({ n, hash }, tr);
  const t = parseTilePath('tile/2/data/002.p/3');
  const { tr: data } = dataTiles(2, n, 'sumdb');
  const [bytes] = await data.readTiles([t]);
  const records = parseDataTile(bytes!);
  await verifyDataTile(t, records, thr);
  await assert.rejects(verifyDataTile(t, records.slice(0, 2), thr), code('ERR_TILE_INCONSISTENT'));
  await assert.rejects(verifyDataTile(t, [records[0]!, records[2]!, records[1]!], thr), code('ERR_TILE_INCONSISTENT'));
  await assert.rejects(verifyDataTile({ ...t, n: 1 }, records, thr), code('ERR_TILE_INCONSISTENT'));
  await assert.rejects(verifyDataTile({ ...t, l: 0 }, records, thr), RangeError);
  assert.equal(storedHashIndex(0, 8), 15);
});

test('C2SP checkpoint: parse, format, and the go.sum tree note as a checkpoint', () => {
  const tree = 'go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';
  const c = parseCheckpoint(enc.encode(tree));
  const t = parseTree(enc.encode(tree));
  assert.equal(c.origin, 'go.sum database tree');
  assert.equal(c.tree.n, t.n);
  assert.deepEqual(c.tree.hash, t.hash);
  assert.deepEqual(c.extensions, []);
  const withExt = 'example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n— extension\nmore\n';
  const c2 = parseCheckpoint(enc.encode(withExt));
  assert.deepEqual(c2.extensions, ['— extension', 'more']);
  assert.deepEqual(c2.tree.hash, emptyTreeHash);
  assert.equal(dec.decode(formatCheckpoint(c2)), withExt);
  for (const bad of [
    '\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n',
    'o\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n',
    'o\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n',
    'o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    'o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n',
    'o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n',
    'o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n',
    'o\n1\n',
    'o\n18446744073709551616\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n',
  ]) {
    assert.throws(() => parseCheckpoint(enc.encode(bad)), code('ERR_CHECKPOINT_MALFORMED'), JSON.stringify(bad));
  }
  assert.throws(() => parseCheckpoint(new Uint8Array([0x6f, 0xff, 0x0a])), code('ERR_CHECKPOINT_MALFORMED'));
  assert.throws(
    () => parseCheckpoint(enc.encode('o\n18446744073709551615\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n')),
    code('ERR_TREE_SIZE_UNSAFE'),
  );
  assert.throws(() => formatCheckpoint({ origin: 'a\nb', tree: { n: 0, hash: emptyTreeHash }, extensions: [] }), RangeError);
});

test('C2SP tlog-tiles paths: hash tiles and entry bundles at height 8', () => {
  const cases: [string, Tile][] = [
    ['tile/0/000', { h: 8, l: 0, n: 0, w: 256 }],
    ['tile/0/x001/x234/067.p/7', { h: 8, l: 0, n: 1234067, w: 7 }],
    ['tile/63/999', { h: 8, l: 63, n: 999, w: 256 }],
    ['tile/entries/000.p/1', { h: 8, l: -1, n: 0, w: 1 }],
    ['tile/entries/x001/000', { h: 8, l: -1, n: 1000, w: 256 }],
  ];
  for (const [path, t] of cases) {
    assert.equal(tlogTilesPath(t), path);
    assert.deepEqual(parseTlogTilesPath(path), t);
  }
  for (const bad of [
    'tile/64/000',
    'tile/8/0/000',
    'tile/0/000.p/256',
    'tile/0/000.p/0',
    'tile/0/000.p/007',
    'tile/00/000',
    'tile/entries/x000/001',
    'tile/data/000',
    'tile/0/1000',
  ]) {
    assert.throws(() => parseTlogTilesPath(bad), code('ERR_TILE_PATH_MALFORMED'), bad);
  }
  assert.throws(() => tlogTilesPath({ h: 2, l: 0, n: 0, w: 4 }), RangeError);
});

test('verifyLog recomputes the root from data tiles and from entry bundles, with progress', async () => {
  for (const n of [0, 1, 2, 3, 255, 256, 257, 1000]) {
    const { hash } = await buildLog(n, (i) => enc.encode(record(i)));
    for (const kind of ['sumdb', 'entries'] as const) {
      const { tr, reads } = dataTiles(4, n, kind);
      const progress: number[] = [];
      await verifyLog(tr, { n, hash }, { format: kind, batch: 3, onProgress: (p) => progress.push(p.records) });
      assert.equal(progress.at(-1) ?? 0, n, `n=${n}`);
      assert.ok(progress.every((x, i) => i === 0 || x > progress[i - 1]!));
      assert.deepEqual(
        reads.flat().map((t) => t.n),
        Array.from({ length: Math.ceil(n / 16) }, (_, i) => i),
      );
      assert.ok(reads.every((b) => b.length <= 3));
    }
  }
});

test('verifyLog refuses a tile of millions of tiny records at the first one too many, in both formats', async () => {
  const n = 40;
  const { hash } = await buildLog(n, (i) => enc.encode(record(i)));
  // 8 MiB, as much as a response may hold: 2.8 million 'a\n' records, or 4 million empty entries.
  const hostile = { sumdb: new Uint8Array(8 << 20).fill(0x0a), entries: new Uint8Array(8 << 20) };
  for (let i = 0; i < hostile.sumdb.length; i += 3) hostile.sumdb[i] = 0x61;
  for (const kind of ['sumdb', 'entries'] as const) {
    const { tr } = dataTiles(4, n, kind, (t, d) => (t.n === 1 ? hostile[kind] : d));
    await assert.rejects(
      verifyLog(tr, { n, hash }, { format: kind }),
      (e) => code('ERR_TILE_INCONSISTENT')(e) && /data tile 1 has more than 16 records, want 16/.test((e as Error).message),
      kind,
    );
  }
});

test('verifyLog rejects any changed, missing, extra or reordered record, and a wrong tree', async () => {
  const n = 40;
  const { hash } = await buildLog(n, (i) => enc.encode(record(i)));
  const forges: [string, (t: Tile, d: Uint8Array) => Uint8Array][] = [
    [
      'changed byte',
      (t, d) => {
        if (t.n === 1) d[5]! ^= 1;
        return d;
      },
    ],
    ['missing record', (t, d) => (t.n === 2 ? d.subarray(0, d.length - enc.encode(record(47)).length - 1) : d)],
    ['extra record', (t, d) => (t.n === 0 ? new Uint8Array([...d, ...enc.encode('x\n\n')]) : d)],
  ];
  for (const [what, forge] of forges) {
    const { tr } = dataTiles(4, n, 'sumdb', forge);
    await assert.rejects(verifyLog(tr, { n, hash }), (e) => e instanceof GosumdbError && /TILE/.test(e.code), what);
  }
  const swapped: TileReader = {
    height: 4,
    readTiles: async (ts) => {
      const d = await dataTiles(4, n, 'sumdb').tr.readTiles(ts);
      return ts.map((t, i) =>
        t.n === 0 ? enc.encode(record(1) + '\n' + record(0) + '\n' + dec.decode(d[i]!).split('\n\n').slice(2).join('\n\n')) : d[i]!,
      );
    },
    saveTiles: () => {},
  };
  await assert.rejects(verifyLog(swapped, { n, hash }), code('ERR_TILE_INCONSISTENT'));
  await assert.rejects(verifyLog(dataTiles(4, n, 'sumdb').tr, { n: n - 1, hash }), code('ERR_TILE_INCONSISTENT'));
  await assert.rejects(verifyLog(dataTiles(4, n, 'sumdb').tr, { n, hash: emptyTreeHash }), code('ERR_TILE_INCONSISTENT'));
  const ac = new AbortController();
  ac.abort(new Error('stop'));
  await assert.rejects(verifyLog(dataTiles(4, n, 'sumdb').tr, { n, hash }, { signal: ac.signal }), /stop/);
  assert.equal(formatHash(emptyTreeHash), '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
});

test('a C2SP entry bundle is verified against the tree through height-8 hash tiles', async () => {
  const n = 300;
  const entry = (i: number) => enc.encode(`entry ${i}`);
  const { r, hash } = await buildLog(n, entry);
  const hashTiles: TileReader = {
    height: 8,
    readTiles: (ts) => Promise.all(ts.map((t) => readTileData(t, r))),
    saveTiles: () => {},
  };
  const thr = tileHashReader({ n, hash }, hashTiles);
  const t = parseTlogTilesPath('tile/entries/001.p/44');
  const bundle = new Uint8Array(Array.from({ length: 44 }, (_, k) => [0, entry(256 + k).length, ...entry(256 + k)]).flat());
  await verifyDataTile(t, parseEntryBundle(bundle), thr);
  bundle[bundle.length - 1]! ^= 1;
  await assert.rejects(verifyDataTile(t, parseEntryBundle(bundle), thr), code('ERR_TILE_INCONSISTENT'));
});

test('readTileData of a path at a level too high to index (tile/8/128/...) is a RangeError at once, never a hang', async () => {
  const t = parseTilePath('tile/8/128/000.p/2');
  assert.deepEqual(t, { h: 8, l: 128, n: 0, w: 2 });
  await assert.rejects(readTileData(t, { readHashes: async (ix) => ix.map(() => new Uint8Array(32)) }), RangeError);
});
