// The monitor's reading of a log's tiles: data tiles fetched and split into records, records
// hashed and proved against the hash tiles of a signed tree, one record read again and proved.
import { NotFoundError } from '../client/errors.js';
import type { RemoteReader } from '../client/ops.js';
import { equalBytes } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { pow2 } from '../internal/num.js';
import type { Sha256 } from '../internal/sha256.js';
import { newHasher, type Hash, type Hasher } from '../tlog/hash.js';
import { isValidRecordText } from '../tlog/note.js';
import { storedHashIndex, tilePath, type HashReader, type Tile, type TileReader, type Tree } from '../tlog/index.js';
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
  const { records } = await readDataTile(remote, { h, l: -1, n, w: Math.min(width, tree.n - n * width) }, signal);
  const text = records[id - n * width]!;
  const [want] = await thr.readHashes([storedHashIndex(0, id)]);
  const got = new Uint8Array(32);
  leafHashes(hasher, [text], got);
  if (!equalBytes(got, want!)) throw inconsistent(`record ${id} does not match the hash tiles of tree#${tree.n}`);
  return text;
}

/**
 * TileRecords are a data tile's records (views into its data), with where each record's
 * "<path> <version>" ends (usualRecordEnd; -1 for another shape).
 */
export type TileRecords = { readonly records: Uint8Array[]; readonly ends: Int32Array };

/**
 * readDataTile fetches data tile t and splits it into t.w records. A partial tile the server does
 * not serve (any more, or never: --until) is cut from the full tile, whose first records it holds.
 */
export async function readDataTile(remote: RemoteReader, t: Tile, signal: AbortSignal | undefined): Promise<TileRecords> {
  let tr: TileRecords;
  try {
    tr = splitTile(await remote(`/${tilePath(t)}`, signal));
  } catch (e) {
    const full: Tile = { ...t, w: pow2(t.h) };
    if (!(e instanceof NotFoundError) || t.w === full.w) throw withTile(t, e);
    try {
      tr = splitTile(await remote(`/${tilePath(full)}`, signal));
      tr = { records: tr.records.slice(0, t.w), ends: tr.ends.subarray(0, t.w) };
    } catch (e2) {
      throw withTile(full, e2);
    }
  }
  if (tr.records.length !== t.w) throw inconsistent(`${tilePath(t)} holds ${tr.records.length} records, want ${t.w}`);
  return tr;
}

// splitTile is tlog's splitDataTile with the record checks moved: a record of the usual shape is
// printable ASCII by construction, so only the others are checked byte by byte (measured: the
// byte loop over every record was about 10% of the monitor's CPU time; indexOf is native).
function splitTile(data: Uint8Array): TileRecords {
  const records: Uint8Array[] = [];
  const ends: number[] = [];
  let start = 0;
  while (start < data.length) {
    let i = data.indexOf(0x0a, start);
    while (i >= 0 && data[i + 1] !== 0x0a) i = data.indexOf(0x0a, i + 1);
    if (i < 0) break;
    const text = data.subarray(start, i + 1);
    const end = usualRecordEnd(text);
    if (end < 0 && !isValidRecordText(text)) break;
    records.push(text);
    ends.push(end);
    start = i + 2;
  }
  if (start !== data.length) {
    throw new GosumdbError('ERR_TILE_DATA_MALFORMED', `malformed data tile: bad record ${records.length} at byte ${start}`);
  }
  return { records, ends: Int32Array.from(ends) };
}

function withTile(t: Tile, e: unknown): unknown {
  return e instanceof GosumdbError && !(e instanceof NotFoundError)
    ? new GosumdbError(e.code, `${tilePath(t)}: ${e.message}`, { cause: e })
    : e;
}

/**
 * TileHasher computes what proves a data tile's records (RFC 6962): the hash of the subtree they
 * form when `fold` (a full tile, 2^h records), else their leaf hashes, 32 bytes each (a partial
 * tile). {@link threadTileHasher} computes them in the caller's thread; `gosumdb/node`'s
 * `workerTileHasher` in worker threads, so that hashing (two SHA-256 per record, about a third of
 * a full sync's CPU) runs beside the rest of the monitor.
 */
export type TileHasher = {
  readonly hashTile: (records: readonly Uint8Array[], fold: boolean) => Promise<Uint8Array>;
};

/**
 * threadTileHasher returns a {@link TileHasher} that hashes in the caller's thread with the
 * SHA-256 provider `sha256` (`monitorLog`'s default, with its own `sha256`).
 *
 * @example
 * ```ts
 * import { threadTileHasher } from 'gosumdb/monitor';
 * import { recordHash, formatHash } from 'gosumdb/tlog';
 * import { nobleSha256 } from 'gosumdb';
 * const records = [new TextEncoder().encode('hello world')];
 * const leaves = await threadTileHasher(nobleSha256).hashTile(records, false);
 * console.log(formatHash(leaves) === formatHash(recordHash(records[0]!))); // true
 * ```
 */
export function threadTileHasher(sha256: Sha256): TileHasher {
  const hasher = newHasher(sha256);
  return {
    hashTile: async (records, fold) => {
      const leaves = new Uint8Array(records.length * 32);
      leafHashes(hasher, records, leaves);
      return fold ? subtreeHash(hasher, leaves, records.length).slice() : leaves;
    },
  };
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

// RFC 6962 hashes of tile records into a flat buffer (32 bytes each): measured on 300 000
// records, a fresh buffer per digest made hashing about 20% of the monitor's CPU time.
function leafHashes(hasher: Hasher, records: readonly Uint8Array[], out: Uint8Array): void {
  for (let i = 0; i < records.length; i++) hasher.recordInto(records[i]!, out, 32 * i);
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
