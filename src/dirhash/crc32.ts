/**
 * Crc32 updates a CRC-32 (IEEE, as zip uses) with more data: `crc32(crc, data)` where the first
 * call passes 0. The portable default is {@link crc32Ieee}; `gosumdb/node` passes zlib's.
 */
export type Crc32 = (crc: number, data: Uint8Array) => number;

// Slice-by-8 tables (8 x 256 entries) for the reflected polynomial 0xEDB88320. CRC values are
// 32-bit data, not sizes, so bitwise operators are right here.
const tables: Uint32Array[] = [];
{
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[i] = c;
  }
  tables.push(t0);
  for (let j = 1; j < 8; j++) {
    const prev = tables[j - 1]!;
    const t = new Uint32Array(256);
    for (let i = 0; i < 256; i++) t[i] = (prev[i]! >>> 8) ^ t0[prev[i]! & 0xff]!;
    tables.push(t);
  }
}
const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/**
 * crc32Ieee is the portable CRC-32 (IEEE 802.3, the zip checksum), Go's crc32.ChecksumIEEE
 * computed incrementally.
 *
 * @example
 * ```ts
 * import { crc32Ieee } from 'gosumdb/dirhash';
 * console.log(crc32Ieee(0, new TextEncoder().encode('hello')).toString(16)); // 3610a686
 * ```
 */
export const crc32Ieee: Crc32 = (crc, data) => {
  let c = ~crc >>> 0;
  let i = 0;
  const n = data.length;
  for (; i + 8 <= n; i += 8) {
    const a = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      t7[a & 0xff]! ^
      t6[(a >>> 8) & 0xff]! ^
      t5[(a >>> 16) & 0xff]! ^
      t4[a >>> 24]! ^
      t3[data[i + 4]!]! ^
      t2[data[i + 5]!]! ^
      t1[data[i + 6]!]! ^
      t0[data[i + 7]!]!;
  }
  for (; i < n; i++) c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
};
