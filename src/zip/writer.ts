import { GosumdbError } from '../internal/errors.js';
import { utf8 } from '../internal/bytes.js';
import { crc32Ieee, type Crc32 } from '../dirhash/crc32.js';

/** ZipWriteEntry is one file to store: its full name in the zip and its content. */
export type ZipWriteEntry = { readonly name: string; readonly data: Uint8Array };

// Little-endian field writer over one growing list of parts.
class Out {
  readonly parts: Uint8Array[] = [];
  size = 0;

  push(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
  }

  fields(spec: readonly (readonly [number, 2 | 4 | 8])[]): void {
    const n = spec.reduce((a, [, w]) => a + w, 0);
    const b = new Uint8Array(n);
    const v = new DataView(b.buffer);
    let o = 0;
    for (const [x, w] of spec) {
      if (w === 2) v.setUint16(o, x, true);
      else if (w === 4) v.setUint32(o, x, true);
      else v.setBigUint64(o, BigInt(x), true);
      o += w;
    }
    this.push(b);
  }
}

const u16max = 0xffff;
const u32max = 0xffffffff;
// 1980-01-01 00:00 in MS-DOS form, the earliest time a zip can carry.
const dosDate = 0x21;

/**
 * writeZip stores the entries, uncompressed and in order, as one zip file: a local header and
 * the content per entry, then the central directory; the UTF-8 flag for non-ASCII names, and
 * the zip64 end records when there are 65535 entries or more. Any zip reader, Go's included,
 * reads back the same names and contents, so the `h1:` hash is Go's, though the bytes differ
 * from Go's deflated zips.
 */
export function writeZip(entries: readonly ZipWriteEntry[], crc32: Crc32 = crc32Ieee): Uint8Array {
  const out = new Out();
  const central = new Out();
  for (const e of entries) {
    const name = utf8(e.name);
    if (name.length > u16max) throw new GosumdbError('ERR_ZIP_TOO_LARGE', `zip: file name too long: ${e.name.slice(0, 80)}...`);
    const offset = out.size;
    if (offset + e.data.length > u32max)
      throw new GosumdbError('ERR_ZIP_TOO_LARGE', 'zip: content too large for a zip without zip64 sizes');
    const crc = crc32(0, e.data);
    const flags = [...e.name].some((c) => c.charCodeAt(0) > 0x7f) ? 0x800 : 0;
    out.fields([
      [0x04034b50, 4],
      [20, 2],
      [flags, 2],
      [0, 2],
      [0, 2],
      [dosDate, 2],
      [crc, 4],
      [e.data.length, 4],
      [e.data.length, 4],
      [name.length, 2],
      [0, 2],
    ]);
    out.push(name);
    out.push(e.data);
    central.fields([
      [0x02014b50, 4],
      [20, 2],
      [20, 2],
      [flags, 2],
      [0, 2],
      [0, 2],
      [dosDate, 2],
      [crc, 4],
      [e.data.length, 4],
      [e.data.length, 4],
      [name.length, 2],
      [0, 2],
      [0, 2],
      [0, 2],
      [0, 2],
      [0o100644 * 0x10000, 4],
      [offset, 4],
    ]);
    central.push(name);
  }
  const dirOffset = out.size;
  for (const p of central.parts) out.push(p);
  const count = entries.length;
  if (count >= u16max) {
    const end64 = out.size;
    out.fields([
      [0x06064b50, 4],
      [44, 8],
      [45, 2],
      [45, 2],
      [0, 4],
      [0, 4],
      [count, 8],
      [count, 8],
      [central.size, 8],
      [dirOffset, 8],
    ]);
    out.fields([
      [0x07064b50, 4],
      [0, 4],
      [end64, 8],
      [1, 4],
    ]);
  }
  const short = Math.min(count, u16max);
  out.fields([
    [0x06054b50, 4],
    [0, 2],
    [0, 2],
    [short, 2],
    [short, 2],
    [central.size, 4],
    [dirOffset, 4],
    [0, 2],
  ]);
  const zip = new Uint8Array(out.size);
  let o = 0;
  for (const p of out.parts) {
    zip.set(p, o);
    o += p.length;
  }
  return zip;
}
