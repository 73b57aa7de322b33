import { equalBytes } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { checkIndex, pow2 } from '../internal/num.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { splitDataTile, splitEntryBundle } from './data.js';
import { emptyRoot, HASH_SIZE, newHasher, type Hash } from './hash.js';
import type { Tree } from './note.js';
import type { Tile, TileReader } from './tile.js';

/** VerifyLogProgress reports how far {@link verifyLog} has got: records hashed out of the tree's total. */
export type VerifyLogProgress = { readonly records: number; readonly total: number };

/** VerifyLogOptions tunes {@link verifyLog}. */
export type VerifyLogOptions = {
  /** `'sumdb'` (default): data tiles `tile/H/data/N` of record texts; `'entries'`: C2SP entry bundles. */
  readonly format?: 'sumdb' | 'entries';
  /** Called after each batch of tiles with the records hashed so far. */
  readonly onProgress?: (p: VerifyLogProgress) => void;
  /** SHA-256 provider; `gosumdb/node` offers a native one, several times faster than the default. */
  readonly sha256?: Sha256;
  /** Data tiles per `readTiles` call (default 16). */
  readonly batch?: number;
  /** Aborts between batches. */
  readonly signal?: AbortSignal;
};

/**
 * verifyLog recomputes the root hash of a whole log from its data tiles (or C2SP entry bundles)
 * and checks it against a trusted tree: the basis of a full-log audit by a monitor. It streams,
 * holding one batch of tiles and log2(n) subtree hashes at a time, and reports progress after
 * each batch. It never calls `saveTiles`: nothing is authenticated until the last record.
 *
 * @throws GosumdbError `ERR_TILE_INCONSISTENT` ("downloaded inconsistent tile") if a tile holds
 *   the wrong number of records or the recomputed root differs from tree.hash;
 *   `ERR_TILE_DATA_MALFORMED` for a tile that does not parse; `ERR_READER_RESULT` if readTiles
 *   returns the wrong number of tiles; the signal's reason when aborted; whatever readTiles throws.
 * @example
 * ```ts
 * import { verifyLog, storedHashes, treeHash, type HashReader, type TileReader } from 'gosumdb/tlog';
 * const records = Array.from({ length: 10 }, (_, i) => `example.com/m v1.0.${i} h1:x=\n`);
 * const stored: Uint8Array[] = [];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (const [n, rec] of records.entries()) stored.push(...(await storedHashes(n, new TextEncoder().encode(rec), r)));
 * const tiles: TileReader = {
 *   height: 2,
 *   readTiles: async (ts) => ts.map((t) => new TextEncoder().encode(records.slice(t.n * 4, t.n * 4 + t.w).map((x) => x + '\n').join(''))),
 *   saveTiles: () => {},
 * };
 * await verifyLog(tiles, { n: 10, hash: await treeHash(10, r) }, { onProgress: (p) => console.log(p.records, '/', p.total) }); // 10 / 10
 * ```
 */
export async function verifyLog(tr: TileReader, tree: Tree, options: VerifyLogOptions = {}): Promise<void> {
  checkIndex(tree.n, 'tree size');
  if (!(tree.hash instanceof Uint8Array) || tree.hash.length !== HASH_SIZE) throw new TypeError('tree hash must be 32 bytes');
  const h = tr.height;
  if (!Number.isInteger(h) || h < 1 || h > 30) throw new RangeError('tile height must be an integer in 1..30');
  const batch = options.batch ?? 16;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError('batch must be a positive integer');
  const parse = options.format === 'entries' ? splitEntryBundle : splitDataTile;
  const hasher = newHasher(options.sha256 ?? nobleSha256);
  const inconsistent = (why: string) => new GosumdbError('ERR_TILE_INCONSISTENT', `downloaded inconsistent tile: ${why}`);

  // The hashes of the perfect subtrees covering the records so far, largest first: one per 1 bit
  // of the record count, so adding record i merges trailingZeros(i+1) pairs.
  const stack: Hash[] = [];
  const width = pow2(h);
  let done = 0;
  while (done < tree.n) {
    options.signal?.throwIfAborted();
    const tiles: Tile[] = [];
    for (let at = done; tiles.length < batch && at < tree.n; at += width) {
      tiles.push({ h, l: -1, n: at / width, w: Math.min(width, tree.n - at) });
    }
    const data: unknown = await tr.readTiles(tiles);
    if (!Array.isArray(data) || data.length !== tiles.length) {
      throw new GosumdbError('ERR_READER_RESULT', `TileReader returned bad result slice (want ${tiles.length})`);
    }
    tiles.forEach((t, i) => {
      const d: unknown = data[i];
      if (!(d instanceof Uint8Array)) throw new GosumdbError('ERR_READER_RESULT', 'TileReader returned a non-byte tile');
      const records = parse(d, t.w);
      if (records.length !== t.w)
        throw inconsistent(`data tile ${t.n} has ${records.length > t.w ? `more than ${t.w}` : records.length} records, want ${t.w}`);
      for (const rec of records) {
        let h = hasher.record(rec);
        for (let k = done; k % 2 === 1; k = (k - 1) / 2) h = hasher.node(stack.pop()!, h);
        stack.push(h);
        done++;
      }
    });
    options.onProgress?.({ records: done, total: tree.n });
  }
  // RFC 6962 §2.1: the root folds the perfect subtrees from the right.
  let root = stack.length === 0 ? emptyRoot() : stack[stack.length - 1]!;
  for (let i = stack.length - 2; i >= 0; i--) root = hasher.node(stack[i]!, root);
  if (!equalBytes(root, tree.hash)) throw inconsistent(`records do not hash to the tree of size ${tree.n}`);
}
