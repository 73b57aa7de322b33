import { equalBytes } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { checkIndex, parseDecimal, pow2, shr } from '../internal/num.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { HASH_SIZE, newHasher, type Hash, type Hasher } from './hash.js';
import type { Tree } from './note.js';
import { readExactly, splitStoredHashIndex, storedHashIndex, subTreeIndexes, type HashReader } from './tlog.js';

/**
 * Tile describes a transparency-log tile (Go's `tlog.Tile`): a tile of height h at level l,
 * number n lists w consecutive hashes at tree level h*l starting at hash n*2^h. A complete tile
 * has w = 2^h; a partial tile fewer. Level l = -1 is a data tile holding record texts instead of
 * hashes. Ranges: 1 <= h <= 30, -1 <= l, 0 <= n, 1 <= w <= 2^h.
 */
export type Tile = { readonly h: number; readonly l: number; readonly n: number; readonly w: number };

function checkHeight(h: number): void {
  if (!Number.isInteger(h) || h < 1 || h > 30) throw new RangeError(`tile height must be an integer in 1..30, got ${String(h)}`);
}

function checkTile(t: Tile): void {
  checkHeight(t.h);
  if (!Number.isSafeInteger(t.l) || t.l < -1) throw new RangeError(`tile level must be a safe integer >= -1, got ${String(t.l)}`);
  checkIndex(t.n, 'tile number');
  if (!Number.isInteger(t.w) || t.w < 1 || t.w > pow2(t.h))
    throw new RangeError(`tile width must be an integer in 1..2^h, got ${String(t.w)}`);
}

/**
 * tileForIndex returns the tile of height h, and the least width, that stores the hash with the
 * given stored-hash index (Go's `tlog.TileForIndex`).
 *
 * @throws RangeError if h is not in 1..30 or index is not a non-negative safe integer.
 * @example
 * ```ts
 * import { tileForIndex, storedHashIndex, tilePath } from 'gosumdb/tlog';
 * console.log(tilePath(tileForIndex(8, storedHashIndex(0, 1000)))); // tile/8/0/003.p/233
 * ```
 */
export function tileForIndex(h: number, index: number): Tile {
  checkHeight(h);
  checkIndex(index, 'index');
  return locate(h, index).tile;
}

// locate finds the tile holding index and the byte range of its data whose tile hash is that hash.
function locate(h: number, index: number): { tile: Tile; start: number; end: number } {
  const split = splitStoredHashIndex(index);
  const l = Math.floor(split.level / h);
  const level = split.level - l * h; // level within the tile
  const n = shr(split.n * pow2(level), h);
  const within = split.n - shr(n * pow2(h), level); // hash number within the tile, at that level
  const w = (within + 1) * pow2(level);
  return { tile: { h, l, n, w }, start: within * pow2(level) * HASH_SIZE, end: w * HASH_SIZE };
}

const nobleHasher = newHasher(nobleSha256);

// tileHash is the hash of the subtree whose 2^k leaves are the hashes in data.
function tileHash(hasher: Hasher, data: Uint8Array): Hash {
  if (data.length === HASH_SIZE) return data.slice();
  const half = data.length / 2;
  return hasher.node(tileHash(hasher, data.subarray(0, half)), tileHash(hasher, data.subarray(half)));
}

/** indexPath encodes a tile number as 3-digit path elements, all but the last prefixed with `x`. */
export function indexPath(n: number): string {
  let s = String(n % 1000).padStart(3, '0');
  while (n >= 1000) {
    n = Math.floor(n / 1000);
    s = `x${String(n % 1000).padStart(3, '0')}/${s}`;
  }
  return s;
}

/**
 * parseIndexPath reads a tile number back from {@link indexPath}'s elements (the caller's pattern
 * has checked their syntax); undefined above 2^53-1. Callers re-format and compare, which rejects
 * non-canonical paths.
 */
export function parseIndexPath(s: string): number | undefined {
  let n = 0;
  for (const part of s.split('/')) n = n * 1000 + Number(part.replace('x', ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

// pathOf formats a tile path without validation (for error messages about invalid tiles).
function pathOf(t: Tile): string {
  const p = t.w === pow2(t.h) ? '' : `.p/${t.w}`;
  return `tile/${t.h}/${t.l === -1 ? 'data' : t.l}/${indexPath(t.n)}${p}`;
}

/**
 * hashFromTile returns the hash with the given stored-hash index from tile t's data, where t is
 * `tileForIndex(t.h, index)` or a wider tile at the same position (Go's `tlog.HashFromTile`).
 *
 * @throws GosumdbError `ERR_TILE_INVALID` if t is not a valid hash tile ("invalid tile"), data is
 *   shorter than t.w hashes, or index is not in t.
 * @example
 * ```ts
 * import { hashFromTile, recordHash, storedHashIndex } from 'gosumdb/tlog';
 * const a = recordHash(new TextEncoder().encode('a'));
 * const b = recordHash(new TextEncoder().encode('b'));
 * const data = new Uint8Array([...a, ...b]);
 * const h = hashFromTile({ h: 2, l: 0, n: 0, w: 2 }, data, storedHashIndex(1, 0)); // nodeHash(a, b)
 * ```
 */
export function hashFromTile(t: Tile, data: Uint8Array, index: number): Hash {
  return hashFromTileWith(nobleHasher, t, data, index);
}

function hashFromTileWith(hasher: Hasher | TileHasher, t: Tile, data: Uint8Array, index: number): Hash {
  if (!(data instanceof Uint8Array)) throw new TypeError('tile data must be a Uint8Array');
  checkIndex(index, 'index');
  const valid =
    Number.isInteger(t.h) &&
    t.h >= 1 &&
    t.h <= 30 &&
    Number.isInteger(t.l) &&
    t.l >= 0 &&
    t.l < 64 &&
    Number.isSafeInteger(t.n) &&
    t.n >= 0 &&
    Number.isInteger(t.w) &&
    t.w >= 1 &&
    t.w <= pow2(t.h);
  if (!valid) throw new GosumdbError('ERR_TILE_INVALID', `invalid tile ${pathOf(t)}`);
  if (data.length < t.w * HASH_SIZE) {
    throw new GosumdbError('ERR_TILE_INVALID', `data len ${data.length} too short for tile ${pathOf(t)}`);
  }
  const { tile, start, end } = locate(t.h, index);
  if (t.l !== tile.l || t.n !== tile.n || t.w < tile.w) {
    throw new GosumdbError('ERR_TILE_INVALID', `index ${index} is in ${pathOf(tile)} not ${pathOf(t)}`);
  }
  return 'range' in hasher ? hasher.range(t, data, start, end) : tileHash(hasher, data.subarray(start, end));
}

// A TileHasher computes subtree hashes over ranges of tile data, remembering them per tile and
// data: a tile hash is a pure function of the bytes, so a remembered one is reused only for the
// same bytes (compared in full), whatever tree they are checked against. Every lookup re-checks
// the tiles on its path to the tree hash (as Go's TileHashReader does); measured on the audit
// bench (1500 lookups, one tree), recomputing them was about 0.3 ms of CPU per lookup.
type TileHasher = { readonly node: Hasher['node']; range(t: Tile, data: Uint8Array, start: number, end: number): Hash };

function tileHasher(hasher: Hasher): TileHasher {
  const memo = new Map<string, { data: Uint8Array; hashes: Map<number | string, Hash> }>();
  return {
    node: hasher.node,
    range(t, data, start, end) {
      const key = keyOf(t);
      let m = memo.get(key);
      if (m === undefined || !equalBytes(m.data, data)) {
        m = { data: data.slice(), hashes: new Map() };
        memo.set(key, m);
      }
      // start and end are multiples of 32, at most 32 * 2^h: counted in hashes, the pair is one
      // exact number below 2^53 up to h = 26, and a string above (Go allows heights up to 30).
      const at = t.h <= 26 ? (start / 32) * (2 ** t.h + 1) + end / 32 : `${start}:${end}`;
      let h = m.hashes.get(at);
      if (h === undefined) {
        h = tileHash(hasher, data.subarray(start, end));
        m.hashes.set(at, h);
      }
      return h.slice();
    },
  };
}

/**
 * tilePath returns the tile's coordinate path `tile/H/L/NNN[.p/W]` (Go's `tlog.Tile.Path`): N in
 * 3-digit path elements, all but the last prefixed with `x` (123456789 is `x123/x456/789`),
 * `.p/W` only for a partial tile, and `data` for level -1.
 *
 * @throws RangeError if t is out of range (see {@link Tile}).
 * @example
 * ```ts
 * import { tilePath } from 'gosumdb/tlog';
 * console.log(tilePath({ h: 3, l: 4, n: 1234067, w: 1 })); // tile/3/4/x001/x234/067.p/1
 * ```
 */
export function tilePath(t: Tile): string {
  checkTile(t);
  return pathOf(t);
}

const tilePathRe = /^tile\/([0-9]+)\/(data|[0-9]+)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([0-9]+))?$/;

/**
 * parseTilePath parses a tile coordinate path (Go's `tlog.ParseTilePath`), accepting exactly the
 * paths {@link tilePath} produces: canonical numbers, height 1..30, `.p/W` only with W < 2^H.
 *
 * @throws GosumdbError `ERR_TILE_PATH_MALFORMED` (`malformed tile path "..."`), also for a tile
 *   number above 2^53-1 (Go accepts up to 2^63-1).
 * @example
 * ```ts
 * import { parseTilePath } from 'gosumdb/tlog';
 * console.log(parseTilePath('tile/8/data/x001/234.p/5')); // { h: 8, l: -1, n: 1234, w: 5 }
 * ```
 */
export function parseTilePath(path: string): Tile {
  if (typeof path !== 'string') throw new TypeError('tile path must be a string');
  const bad = () => new GosumdbError('ERR_TILE_PATH_MALFORMED', `malformed tile path ${JSON.stringify(path)}`);
  const m = tilePathRe.exec(path);
  if (!m) throw bad();
  const h = parseDecimal(m[1]!);
  if (!h.ok || h.value < 1 || h.value > 30) throw bad();
  let l = -1;
  if (m[2] !== 'data') {
    const lv = parseDecimal(m[2]!);
    if (!lv.ok) throw bad();
    l = lv.value;
  }
  let w = pow2(h.value);
  if (m[4] !== undefined) {
    const wv = parseDecimal(m[4]);
    if (!wv.ok || wv.value < 1 || wv.value >= w) throw bad();
    w = wv.value;
  }
  const n = parseIndexPath(m[3]!);
  if (n === undefined) throw bad();
  const t: Tile = { h: h.value, l, n, w };
  if (pathOf(t) !== path) throw bad();
  return t;
}

/**
 * newTiles returns the tiles of height h that a log must publish when it grows from oldTreeSize
 * to newTreeSize records (Go's `tlog.NewTiles` as of x/mod v0.17.0): at each level, the complete
 * tiles finished by the growth and the final partial tile, only where that level changed. x/mod
 * v0.7.0 also lists every intermediate width of each partial tile and re-lists unchanged ones.
 *
 * @throws RangeError if h is not in 1..30 or not 0 <= oldTreeSize <= newTreeSize (safe integers).
 * @example
 * ```ts
 * import { newTiles, tilePath } from 'gosumdb/tlog';
 * console.log(newTiles(2, 5, 6).map(tilePath)); // [ 'tile/2/0/001.p/2' ]
 * ```
 */
export function newTiles(h: number, oldTreeSize: number, newTreeSize: number): Tile[] {
  checkHeight(h);
  checkIndex(oldTreeSize, 'oldTreeSize');
  checkIndex(newTreeSize, 'newTreeSize');
  if (oldTreeSize > newTreeSize) throw new RangeError('newTiles: oldTreeSize > newTreeSize');
  const full = pow2(h);
  const tiles: Tile[] = [];
  for (let l = 0; shr(newTreeSize, h * l) > 0; l++) {
    const oldN = shr(oldTreeSize, h * l);
    const newN = shr(newTreeSize, h * l);
    if (oldN === newN) continue;
    for (let n = shr(oldN, h); n < shr(newN, h); n++) tiles.push({ h, l, n, w: full });
    const n = shr(newN, h);
    const w = newN - n * full;
    if (w > 0) tiles.push({ h, l, n, w });
  }
  return tiles;
}

/**
 * readTileData reads the hashes of tile t from r and returns them concatenated, the bytes a tile
 * server serves at `tilePath(t)` (Go's `tlog.ReadTileData`).
 *
 * @throws RangeError if t is out of range or a data tile; GosumdbError `ERR_READER_RESULT` if r
 *   returns the wrong number of hashes; whatever r throws.
 * @example
 * ```ts
 * import { readTileData, storedHashes, type HashReader } from 'gosumdb/tlog';
 * const stored: Uint8Array[] = [];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (let n = 0; n < 3; n++) stored.push(...(await storedHashes(n, new TextEncoder().encode(`record ${n}\n`), r)));
 * const data = await readTileData({ h: 2, l: 0, n: 0, w: 3 }, r);
 * console.log(data.length / 32); // 3
 * ```
 */
export async function readTileData(t: Tile, r: HashReader): Promise<Uint8Array> {
  checkTile(t);
  if (t.l < 0) throw new RangeError('readTileData: data tiles hold records, not hashes');
  const start = t.n * pow2(t.h);
  const indexes: number[] = [];
  for (let i = 0; i < t.w; i++) indexes.push(storedHashIndex(t.h * t.l, start + i));
  const hashes = await readExactly(r, indexes);
  const out = new Uint8Array(t.w * HASH_SIZE);
  hashes.forEach((h, i) => {
    out.set(h, i * HASH_SIZE);
  });
  return out;
}

/**
 * TileReader reads tiles of a log (Go's `tlog.TileReader`, async). `readTiles` returns the data
 * of each requested tile (`tiles[i].w * 32` bytes) typically from a cache or a tile server; data
 * from a server is suspect and must not be persisted by `readTiles` itself. `saveTiles` is called
 * only with tiles whose data has been verified against a trusted tree, so it may persist them.
 */
export interface TileReader {
  readonly height: number;
  readTiles(tiles: readonly Tile[]): Promise<Uint8Array[]>;
  saveTiles(tiles: readonly Tile[], data: readonly Uint8Array[]): void;
}

// tileParent returns t's k'th parent tile in the tiles of a tree of size n, or undefined.
function tileParent(t: Tile, k: number, n: number): Tile | undefined {
  const l = t.l + k;
  const tn = shr(t.n, k * t.h);
  let w = pow2(t.h);
  const max = shr(n, l * t.h);
  if (tn * pow2(t.h) + w >= max) {
    if (tn * pow2(t.h) >= max) return undefined;
    w = max - tn * pow2(t.h);
  }
  return { h: t.h, l, n: tn, w };
}

const keyOf = (t: Tile) => `${t.l}/${t.n}/${t.w}`;

function inconsistent(): GosumdbError {
  return new GosumdbError('ERR_TILE_INCONSISTENT', 'downloaded inconsistent tile');
}

/** TileHashReaderOptions tune {@link tileHashReader}. */
export type TileHashReaderOptions = {
  /** SHA-256 provider for verifying tiles (default: the portable noble one; `gosumdb/node` has `nodeSha256`). */
  readonly sha256?: Sha256;
};

/**
 * tileHashReader returns a {@link HashReader} that answers from the tiles of the given tree
 * (Go's `tlog.TileHashReader`). For each request it plans the tiles holding the requested hashes
 * plus those needed to recompute the tree hash, fetches them in one `readTiles` call, verifies
 * them against `tree.hash` (tree-hash tiles directly, other tiles through their parents), and
 * only then calls `saveTiles` and returns hashes. Every hash it returns is proven to be in the tree.
 * A reader remembers the subtree hashes it computed for each tile's exact bytes, so reusing one
 * reader for many requests re-checks each tile without hashing it again.
 * `options.sha256` picks the SHA-256 provider (verdicts are the same with any correct provider).
 *
 * @throws (from readHashes) GosumdbError `ERR_TILE_INCONSISTENT` ("downloaded inconsistent tile")
 *   when fetched tiles do not match the tree or have the wrong length; `ERR_INDEX_NOT_IN_TREE`
 *   ("indexes not in tree") for an index beyond the tree; `ERR_READER_RESULT` when readTiles
 *   returns the wrong number of tiles; whatever readTiles throws.
 * @example
 * ```ts
 * import { tileHashReader, readTileData, storedHashes, treeHash, storedHashIndex, tilePath } from 'gosumdb/tlog';
 * import type { HashReader, TileReader } from 'gosumdb/tlog';
 * const stored: Uint8Array[] = [];
 * const local: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (let n = 0; n < 5; n++) stored.push(...(await storedHashes(n, new TextEncoder().encode(`record ${n}\n`), local)));
 * const tree = { n: 5, hash: await treeHash(5, local) };
 * const server: TileReader = {
 *   height: 2,
 *   readTiles: (tiles) => Promise.all(tiles.map((t) => readTileData(t, local))), // e.g. HTTP GET tilePath(t)
 *   saveTiles: (tiles) => console.log('verified', tiles.map(tilePath).join(' ')),
 *   // verified tile/2/1/000.p/1 tile/2/0/001.p/1 tile/2/0/000
 * };
 * const [h] = await tileHashReader(tree, server).readHashes([storedHashIndex(0, 3)]);
 * ```
 */
export function tileHashReader(tree: Tree, tr: TileReader, options: TileHashReaderOptions = {}): HashReader {
  checkIndex(tree.n, 'tree size');
  if (!(tree.hash instanceof Uint8Array) || tree.hash.length !== HASH_SIZE) throw new TypeError('tree hash must be 32 bytes');
  if (options.sha256 !== undefined && typeof options.sha256?.hash !== 'function')
    throw new TypeError('options.sha256 must be a Sha256 provider');
  const trusted: Tree = { n: tree.n, hash: tree.hash.slice() };
  const hasher = tileHasher(options.sha256 === undefined ? nobleHasher : newHasher(options.sha256));
  return { readHashes: (indexes) => readTileHashes(hasher, trusted, tr, indexes) };
}

async function readTileHashes(hasher: TileHasher, tree: Tree, tr: TileReader, indexes: readonly number[]): Promise<Hash[]> {
  const h = tr.height;
  checkHeight(h);
  if (indexes.length === 0) return [];
  const order = new Map<string, number>();
  const tiles: Tile[] = [];
  const add = (t: Tile): number => {
    order.set(keyOf(t), tiles.length);
    tiles.push(t);
    return tiles.length - 1;
  };

  // Tiles needed to recompute the tree hash: if it matches, they are authenticated.
  const stx = tree.n === 0 ? [] : subTreeIndexes(tree.n);
  const stxTile = stx.map((x) => {
    const t = tileParent(locate(h, x).tile, 0, tree.n)!;
    return order.get(keyOf(t)) ?? add(t);
  });

  // Tiles holding the requested hashes, after the parents that authenticate them.
  const limit = tree.n === 0 ? 0 : storedHashIndex(0, tree.n);
  const indexTile = indexes.map((x) => {
    checkIndex(x, 'index');
    if (x >= limit) throw new GosumdbError('ERR_INDEX_NOT_IN_TREE', 'indexes not in tree');
    const t = locate(h, x).tile;
    let k = 0;
    let at: number | undefined;
    for (; ; k++) {
      const p = tileParent(t, k, tree.n);
      // An index below storedHashIndex(0, n) always has an ancestor among the tree-hash tiles.
      if (p === undefined) throw inconsistent();
      at = order.get(keyOf(p));
      if (at !== undefined) break;
    }
    for (k--; k >= 0; k--) {
      const p = tileParent(t, k, tree.n)!;
      at = add(p);
    }
    return at;
  });

  const data: unknown = await tr.readTiles(tiles);
  if (!Array.isArray(data) || data.length !== tiles.length) {
    throw new GosumdbError(
      'ERR_READER_RESULT',
      `TileReader returned bad result slice (len=${Array.isArray(data) ? data.length : 0}, want ${tiles.length})`,
    );
  }
  const got = data as unknown[];
  tiles.forEach((t, i) => {
    const d = got[i];
    if (!(d instanceof Uint8Array) || d.length !== t.w * HASH_SIZE) throw inconsistent();
  });
  const tileData = (got as Uint8Array[]).map((d) => d.slice());

  // Authenticate: first the tree-hash tiles against the tree hash, then each child through its parent.
  if (stx.length > 0) {
    const at = (i: number) => hashFromTileWith(hasher, tiles[stxTile[i]!]!, tileData[stxTile[i]!]!, stx[i]!);
    let th = at(stx.length - 1);
    for (let i = stx.length - 2; i >= 0; i--) th = hasher.node(at(i), th);
    if (!equalBytes(th, tree.hash)) throw inconsistent();
  }
  const firstChild = new Set(stxTile).size;
  for (let i = firstChild; i < tiles.length; i++) {
    const t = tiles[i]!;
    const p = tileParent(t, 1, tree.n)!;
    const j = order.get(keyOf(p))!;
    const want = hashFromTileWith(hasher, p, tileData[j]!, storedHashIndex(p.l * p.h, t.n));
    if (!equalBytes(want, hasher.range(t, tileData[i]!, 0, tileData[i]!.length))) throw inconsistent();
  }

  tr.saveTiles(
    tiles,
    tileData.map((d) => d.slice()),
  );
  return indexes.map((x, i) => hashFromTileWith(hasher, tiles[indexTile[i]!]!, tileData[indexTile[i]!]!, x));
}
