import { decodeUtf8, equalBytes } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { checkIndex, pow2 } from '../internal/num.js';
import { recordHash } from './hash.js';
import type { Tile } from './tile.js';
import { readExactly, storedHashIndex, type HashReader } from './tlog.js';

/**
 * parseDataTile splits the data of a go.sum database data tile (`tile/H/data/N`) into its record
 * texts. As sum.golang.org serves them (and x/mod's server since it dropped id lines), each
 * record text is followed by a blank line; each text must be valid record text (UTF-8, no control
 * characters but newline, ending in a newline, no blank lines).
 *
 * @throws GosumdbError `ERR_TILE_DATA_MALFORMED` ("malformed data tile") if the data does not
 *   split into valid record texts.
 * @example
 * ```ts
 * import { parseDataTile } from 'gosumdb/tlog';
 * const data = new TextEncoder().encode('a v1.0.0 h1:x=\na v1.0.0/go.mod h1:y=\n\nb v1.0.0 h1:z=\n\n');
 * console.log(parseDataTile(data).length); // 2
 * ```
 */
export function parseDataTile(data: Uint8Array): Uint8Array[] {
  if (!(data instanceof Uint8Array)) throw new TypeError('data tile must be a Uint8Array');
  return splitDataTile(data).map((r) => r.slice());
}

/**
 * splitDataTile is {@link parseDataTile} returning views into data instead of copies. With
 * `max`, it stops at record max + 1 (a tile that holds more records than it may is wrong
 * however its rest reads; a hostile one of millions of tiny records is not split to its end).
 */
export function splitDataTile(data: Uint8Array, max = Number.POSITIVE_INFINITY): Uint8Array[] {
  // One pass, the checks of isValidRecordText inline (measured: the split and a second pass over
  // each record were about 8% of the monitor's CPU time): a control character other than a
  // newline ends the records read, and a record with non-ASCII bytes must be UTF-8.
  const records: Uint8Array[] = [];
  let start = 0;
  let ascii = true;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c >= 0x20) {
      if (c >= 0x80) ascii = false;
      continue;
    }
    if (c !== 0x0a) break;
    if (data[i + 1] !== 0x0a) continue;
    const text = data.subarray(start, i + 1);
    if (!ascii && decodeUtf8(text) === undefined) break;
    records.push(text);
    if (records.length > max) return records;
    start = i + 2;
    i++;
    ascii = true;
  }
  if (start !== data.length) {
    throw new GosumdbError('ERR_TILE_DATA_MALFORMED', `malformed data tile: bad record ${records.length} at byte ${start}`);
  }
  return records;
}

/**
 * parseEntryBundle splits a C2SP tlog-tiles entry bundle (`tile/entries/N`) into its entries:
 * each is a 2-byte big-endian length followed by that many bytes of entry data.
 *
 * @throws GosumdbError `ERR_TILE_DATA_MALFORMED` ("malformed entry bundle") if the data ends
 *   inside a length prefix or an entry.
 * @example
 * ```ts
 * import { parseEntryBundle } from 'gosumdb/tlog';
 * const entries = parseEntryBundle(new Uint8Array([0, 2, 104, 105, 0, 0]));
 * console.log(entries.map((e) => e.length)); // [ 2, 0 ]
 * ```
 */
export function parseEntryBundle(data: Uint8Array): Uint8Array[] {
  if (!(data instanceof Uint8Array)) throw new TypeError('entry bundle must be a Uint8Array');
  return splitEntryBundle(data);
}

/** splitEntryBundle is {@link parseEntryBundle}, stopping at entry max + 1 as splitDataTile does. */
export function splitEntryBundle(data: Uint8Array, max = Number.POSITIVE_INFINITY): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let i = 0;
  while (i < data.length) {
    if (i + 2 > data.length) break;
    const len = data[i]! * 256 + data[i + 1]!;
    if (i + 2 + len > data.length) break;
    entries.push(data.slice(i + 2, i + 2 + len));
    if (entries.length > max) return entries;
    i += 2 + len;
  }
  if (i !== data.length) {
    throw new GosumdbError('ERR_TILE_DATA_MALFORMED', `malformed entry bundle: truncated entry ${entries.length} at byte ${i}`);
  }
  return entries;
}

/**
 * verifyDataTile checks that records are exactly the records of data tile t (a `tile/H/data/N`
 * or C2SP `tile/entries/N`, so t.l = -1): t.w of them, each with the record hash at its position
 * in the level-0 hashes that r returns. With r a {@link tileHashReader} those hashes are
 * themselves proven against the tree, so the records are too.
 *
 * @throws GosumdbError `ERR_TILE_INCONSISTENT` ("downloaded inconsistent tile") if the count or
 *   any record hash differs; RangeError if t is not a data tile; whatever r throws.
 * @example
 * ```ts
 * import { verifyDataTile, storedHashes, type HashReader } from 'gosumdb/tlog';
 * const records = ['a\n', 'b\n', 'c\n'].map((s) => new TextEncoder().encode(s));
 * const stored: Uint8Array[] = [];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (const [n, rec] of records.entries()) stored.push(...(await storedHashes(n, rec, r)));
 * await verifyDataTile({ h: 2, l: -1, n: 0, w: 3 }, records, r); // throws if any record differs
 * ```
 */
export async function verifyDataTile(t: Tile, records: readonly Uint8Array[], r: HashReader): Promise<void> {
  if (t.l !== -1) throw new RangeError('verifyDataTile: not a data tile');
  checkIndex(t.n, 'tile number');
  if (!Number.isInteger(t.h) || t.h < 1 || t.h > 30 || !Number.isInteger(t.w) || t.w < 1 || t.w > pow2(t.h)) {
    throw new RangeError('verifyDataTile: invalid tile');
  }
  if (!Array.isArray(records)) throw new TypeError('records must be an array');
  const inconsistent = new GosumdbError('ERR_TILE_INCONSISTENT', 'downloaded inconsistent tile');
  if (records.length !== t.w) throw inconsistent;
  const start = t.n * pow2(t.h);
  const want = await readExactly(
    r,
    records.map((_, i) => storedHashIndex(0, start + i)),
  );
  records.forEach((rec, i) => {
    if (!equalBytes(recordHash(rec), want[i]!)) throw inconsistent;
  });
}
