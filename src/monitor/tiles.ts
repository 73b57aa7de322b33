// The monitor's reading of a log's tiles: data tiles fetched and split into records, records
// hashed and proved against the hash tiles of a signed tree, one record read again and proved.
import { NotFoundError } from '../client/errors.js';
import type { RemoteReader } from '../client/ops.js';
import { equalBytes } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { pow2 } from '../internal/num.js';
import type { Sha256 } from '../internal/sha256.js';
import { newHasher, type Hash, type Hasher } from '../tlog/hash.js';
import { storedHashIndex, tilePath, type HashReader, type Tile, type TileReader, type Tree } from '../tlog/index.js';
import { moduleVersionKey } from './key.js';
import { parseRecordText, usualRecordEnd } from './record.js';

/** inconsistent is the error for a tile or record that contradicts the signed tree. */
export const inconsistent = (why: string) => new GosumdbError('ERR_TILE_INCONSISTENT', `downloaded inconsistent tile: ${why}`);

/** moduleVersionOf returns the module version of record id, indexed as well-formed. */
export function moduleVersionOf(text: Uint8Array, id: number): { path: string; version: string } {
  const rec = parseRecordText(text);
  if (!rec.ok) throw inconsistent(`record ${id}, indexed as well-formed, reads as malformed`);
  return { path: rec.path, version: rec.version };
}

/**
 * readProvedRecord reads record id from its data tile and proves it against the hash tiles of
 * tree (read through thr), as every record a monitor reads is.
 */
export async function readProvedRecord(
  remote: RemoteReader,
  thr: HashReader,
  hasher: Hasher,
  tree: Tree,
  h: number,
  id: number,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  if (id >= tree.n) throw inconsistent(`record ${id} is not in tree#${tree.n}`);
  const width = pow2(h);
  const n = Math.floor(id / width);
  const t: Tile = { h, l: -1, n, w: Math.min(width, tree.n - n * width) };
  const { records } = await readDataTile(remote, t, signal, async (r) => splitRecords(r));
  // Only this record is hashed, and proved against its own level-0 hash.
  const text = records[id - n * width]!;
  const [want] = await thr.readHashes([storedHashIndex(0, id)]);
  if (!equalBytes(hasher.record(text), want!)) throw inconsistent(`record ${id} does not match the hash tiles of tree#${tree.n}`);
  return text;
}

/**
 * TileRequest asks for a data tile's first `w` records to be read from its bytes, which must hold
 * exactly `count` records (w, or the 2^h of a full tile cut to a partial one), proved by their
 * subtree hash when `fold` (a full tile), else by their leaf hashes.
 */
export type TileRequest = { readonly data: Uint8Array; readonly w: number; readonly count: number; readonly fold: boolean };

/**
 * HashedTile is a data tile read for the monitor: its bytes; where each record starts (record i
 * is `data[starts[i]..starts[i+1]-1)`: the blank line after it left out); where each record's
 * `"<path> <version>"` ends (-1 for a record not of the usual shape, see usualRecordEnd); the
 * index key of each usual record (moduleVersionKey, 0 for the others); and what proves them:
 * the subtree hash of a full tile, else the leaf hashes, 32 bytes each.
 */
export type HashedTile = {
  readonly data: Uint8Array;
  readonly starts: Uint32Array;
  readonly ends: Int32Array;
  readonly keys: Float64Array;
  readonly hashes: Uint8Array;
};

/**
 * tileRecord returns record i of a {@link HashedTile}, a view of its data.
 *
 * @example
 * ```ts
 * import { threadTileHasher, tileRecord } from 'gosumdb/monitor';
 * import { nobleSha256 } from 'gosumdb';
 * const data = new TextEncoder().encode('first record\n\nsecond\nrecord\n\n');
 * const tile = await threadTileHasher(nobleSha256).hashTile({ data, w: 2, count: 2, fold: true });
 * console.log(JSON.stringify(new TextDecoder().decode(tileRecord(tile, 1)))); // "second\nrecord\n"
 * ```
 */
export function tileRecord(t: HashedTile, i: number): Uint8Array {
  return t.data.subarray(t.starts[i]!, t.starts[i + 1]! - 1);
}

/**
 * hashDataTile reads a data tile as {@link TileRequest} asks, with the RFC 6962 hashes of
 * hasher: the records split and checked, keyed and hashed, all of it in one call, so that a
 * {@link TileHasher} can run it away from the monitor's thread.
 *
 * @throws GosumdbError ERR_TILE_INCONSISTENT for data that does not split into records, or into
 *   another number of records than `count` (found as soon as there are more: a hostile tile of
 *   millions of tiny records is not split to the end).
 */
export function hashDataTile(r: TileRequest, hasher: Hasher): HashedTile {
  const { data, w } = r;
  const { records, usual } = splitRecords(r);
  // Where each record starts, and after the last, where the next would (its blank line left behind).
  const starts = new Uint32Array(w + 1);
  for (let i = 0; i < w; i++) starts[i] = records[i]!.byteOffset - data.byteOffset;
  starts[w] = w < records.length ? records[w]!.byteOffset - data.byteOffset : data.length;
  const ends = new Int32Array(w);
  const keys = new Float64Array(w);
  const hashes = new Uint8Array(32 * w);
  for (let i = 0; i < w; i++) {
    const text = records[i]!;
    const end = usual[i]!;
    ends[i] = end;
    if (end >= 0) keys[i] = moduleVersionKey(text, 0, end);
    hasher.recordInto(text, hashes, 32 * i);
  }
  return { data, starts, ends, keys, hashes: r.fold ? subtreeHash(hasher, hashes, w).slice() : hashes };
}

// splitRecords splits a data tile into its records (views of its data: each ends in "\n" and is
// followed by a blank line) and checks their count, with where each record's "<path> <version>"
// ends (usualRecordEnd, -1 for another shape). The split looks at the blank lines only: a record
// that is not valid record text (a control character, say) is still hashed, so that it is either
// proved and reported malformed, or contradicts the tree. A tile that does not split at all is no
// tile of the tree (the format has no other way to hold a record).
function splitRecords(r: TileRequest): { records: Uint8Array[]; usual: number[] } {
  const { data } = r;
  const records: Uint8Array[] = [];
  const usual: number[] = [];
  let start = 0;
  while (start < data.length) {
    if (records.length === r.count) throw inconsistent(`data tile holds more than ${r.count} records`);
    let i = data.indexOf(0x0a, start);
    while (i >= 0 && data[i + 1] !== 0x0a) i = data.indexOf(0x0a, i + 1);
    if (i < 0) break;
    const text = data.subarray(start, i + 1);
    records.push(text);
    usual.push(usualRecordEnd(text));
    start = i + 2;
  }
  if (start !== data.length) throw inconsistent(`data tile does not split into records: record ${records.length} at byte ${start}`);
  if (records.length !== r.count || r.w > r.count) throw inconsistent(`data tile holds ${records.length} records, want ${r.count}`);
  return { records, usual };
}

/**
 * readDataTile fetches data tile t and reads it through `read` (a {@link TileHasher}'s
 * hashTile, or a split alone). A partial tile the server does not serve (any more, or never:
 * --until) is cut from the full tile, whose first records it holds.
 */
export async function readDataTile<T>(
  remote: RemoteReader,
  t: Tile,
  signal: AbortSignal | undefined,
  read: (r: TileRequest) => Promise<T>,
): Promise<T> {
  const fold = t.w === pow2(t.h);
  try {
    return await read({ data: await remote(`/${tilePath(t)}`, signal), w: t.w, count: t.w, fold });
  } catch (e) {
    const full: Tile = { ...t, w: pow2(t.h) };
    if (!(e instanceof NotFoundError) || t.w === full.w) throw withTile(t, e);
    try {
      return await read({ data: await remote(`/${tilePath(full)}`, signal), w: t.w, count: full.w, fold });
    } catch (e2) {
      throw withTile(full, e2);
    }
  }
}

function withTile(t: Tile, e: unknown): unknown {
  return e instanceof GosumdbError && !(e instanceof NotFoundError)
    ? new GosumdbError(e.code, `${tilePath(t)}: ${e.message}`, { cause: e })
    : e;
}

/**
 * TileHasher reads data tiles for the monitor (`hashDataTile`: records split, checked, keyed and
 * hashed). {@link threadTileHasher} does it in the caller's thread; `gosumdb/node`'s
 * `workerTileHasher` in worker threads, beside the monitor (two SHA-256 per record and the
 * splitting are about half of a full sync's CPU).
 */
export type TileHasher = {
  readonly hashTile: (r: TileRequest) => Promise<HashedTile>;
};

/**
 * threadTileHasher returns a {@link TileHasher} that works in the caller's thread with the
 * SHA-256 provider `sha256` (`monitorLog`'s default, with its own `sha256`).
 *
 * @example
 * ```ts
 * import { threadTileHasher, tileRecord } from 'gosumdb/monitor';
 * import { recordHash, formatHash } from 'gosumdb/tlog';
 * import { nobleSha256 } from 'gosumdb';
 * const record = 'example.com/m v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
 * const data = new TextEncoder().encode(`${record}\n`);
 * const tile = await threadTileHasher(nobleSha256).hashTile({ data, w: 1, count: 1, fold: false });
 * console.log(new TextDecoder().decode(tileRecord(tile, 0)) === record); // true
 * console.log(formatHash(tile.hashes) === formatHash(recordHash(tileRecord(tile, 0)))); // true
 * ```
 */
export function threadTileHasher(sha256: Sha256): TileHasher {
  const hasher = newHasher(sha256);
  return { hashTile: async (r) => hashDataTile(r, hasher) };
}

/**
 * checkTiles proves every record of the data tiles is in tree, from their hashes (a
 * {@link TileHasher}'s): a full tile's subtree hash against the hash stored at level h of the
 * tree, a partial tile's leaf hashes against the level-0 hashes, all read in one call through a
 * tile hash reader that proves them against the tree's signed hash.
 */
export async function checkTiles(
  tiles: readonly { readonly tile: Tile; readonly hashes: Uint8Array }[],
  thr: HashReader,
  tree: Tree,
): Promise<void> {
  const indexes: number[] = [];
  const got: Hash[] = [];
  const where: string[] = [];
  for (const { tile, hashes } of tiles) {
    const start = tile.n * pow2(tile.h);
    if (tile.w === pow2(tile.h)) {
      if (hashes.length !== 32) throw new RangeError(`${tilePath(tile)}: want one subtree hash, got ${hashes.length} bytes`);
      indexes.push(storedHashIndex(tile.h, tile.n));
      got.push(hashes);
      where.push(tilePath(tile));
    } else {
      if (hashes.length !== 32 * tile.w) throw new RangeError(`${tilePath(tile)}: want ${tile.w} leaf hashes, got ${hashes.length} bytes`);
      for (let i = 0; i < tile.w; i++) {
        indexes.push(storedHashIndex(0, start + i));
        got.push(hashes.subarray(32 * i, 32 * i + 32));
        where.push(`record ${start + i} of ${tilePath(tile)}`);
      }
    }
  }
  const want = await thr.readHashes(indexes);
  got.forEach((g, i) => {
    if (!equalBytes(g, want[i]!)) throw inconsistent(`${where[i]!} does not match the hash tiles of tree#${tree.n}`);
  });
}

// subtreeHash folds n (a power of two) leaf hashes in out, in place, into their subtree hash,
// returned as a view of out.
function subtreeHash(hasher: Hasher, out: Uint8Array, n: number): Hash {
  for (; n > 1; n /= 2) {
    for (let i = 0; i < n / 2; i++) hasher.nodeInto(out.subarray(64 * i, 64 * i + 64), out, 32 * i);
  }
  return out.subarray(0, 32);
}

/**
 * Tiles verified against the tree are kept (a few hundred at most: the monitor moves right), so
 * each hash tile is downloaded once per run; tileHashReader re-proves them on every use anyway.
 */
export function cachedTileReader(tr: TileReader): TileReader {
  const verified = new Map<string, Uint8Array>();
  return {
    height: tr.height,
    readTiles: (tiles) => Promise.all(tiles.map(async (t) => verified.get(tilePath(t)) ?? (await tr.readTiles([t]))[0]!)),
    saveTiles: (tiles, data) => {
      tiles.forEach((t, i) => {
        verified.set(tilePath(t), data[i]!);
      });
      while (verified.size > 256) verified.delete(verified.keys().next().value!);
    },
  };
}
