/**
 * moduleVersionKey returns the index key of the module version `bytes[start..end)` (the text
 * `"<path> <version>"`): a 53-bit hash, an integer that SQLite stores in 8 bytes and JavaScript
 * holds exactly. Equal texts have equal keys; two texts may share a key (for 46 million module
 * versions, the chance that any two do is about 1 in 8), so a key only finds candidates that
 * stores check against the records' text. Not a cryptographic hash: a collision costs a re-read,
 * never a verdict.
 *
 * @example
 * ```ts
 * import { moduleVersionKey } from 'gosumdb/monitor';
 * const mv = new TextEncoder().encode('golang.org/x/mod v0.7.0 h1:...');
 * const k = moduleVersionKey(mv, 0, 23);
 * console.log(Number.isSafeInteger(k), k === moduleVersionKey(mv.slice(0, 23), 0, 23)); // true true
 * ```
 */
export function moduleVersionKey(bytes: Uint8Array, start: number, end: number): number {
  // Two 32-bit multiplicative lanes over the bytes, each finished with murmur3's mixer; 21 bits of
  // one and 32 of the other make the key. (Bit operations on hash state, not on sizes.)
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ (end - start);
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (mix(a) >>> 11) * 0x100000000 + mix(b);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
