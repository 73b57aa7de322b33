// Builds zip files for tests, field by field, so that each hostile variant is explicit. Uses
// node:zlib for deflate and CRC-32, independent of the code under test.
import { crc32, deflateRawSync } from 'node:zlib';
import { createHash } from 'node:crypto';

export type FixtureEntry = {
  name: string | Uint8Array;
  data: Uint8Array;
  method?: number;
  flags?: number;
  crc?: number;
  usize?: number;
  csize?: number;
  raw?: Uint8Array;
  /** Reuse the local header and data of an earlier entry (index) instead of writing new ones. */
  sameDataAs?: number;
};

function le(n: number, bytes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes; i++) {
    out.push(n % 256);
    n = Math.floor(n / 256);
  }
  return out;
}

export function buildZip(entries: readonly FixtureEntry[], opts: { records?: number } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const offsets: number[] = [];
  const sizes: number[] = [];
  let off = 0;
  const push = (b: Uint8Array | number[]) => {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    parts.push(u);
    off += u.length;
  };
  const enc = new TextEncoder();
  for (const [i, e] of entries.entries()) {
    const name = typeof e.name === 'string' ? enc.encode(e.name) : e.name;
    const method = e.method ?? 0;
    const shared = e.sameDataAs !== undefined ? entries[e.sameDataAs] : undefined;
    const comp = e.raw ?? (shared ? new Uint8Array(0) : method === 8 ? new Uint8Array(deflateRawSync(e.data)) : e.data);
    const crc = e.crc ?? crc32(e.data);
    const usize = e.usize ?? e.data.length;
    const csize = e.csize ?? (shared ? sizes[e.sameDataAs!]! : comp.length);
    const flags = (e.flags ?? 0) | 0x800;
    let at = off;
    if (e.sameDataAs !== undefined) {
      at = offsets[e.sameDataAs]!;
    } else {
      push([
        ...le(0x04034b50, 4),
        ...le(20, 2),
        ...le(flags, 2),
        ...le(method, 2),
        0,
        0,
        0x21,
        0,
        ...le(crc, 4),
        ...le(csize, 4),
        ...le(usize, 4),
        ...le(name.length, 2),
        0,
        0,
      ]);
      push(name);
      push(comp);
    }
    offsets[i] = at;
    sizes[i] = csize;
    central.push(
      Uint8Array.from([
        ...le(0x02014b50, 4),
        ...le(0x314, 2),
        ...le(20, 2),
        ...le(flags, 2),
        ...le(method, 2),
        0,
        0,
        0x21,
        0,
        ...le(crc, 4),
        ...le(csize, 4),
        ...le(usize, 4),
        ...le(name.length, 2),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0xa4,
        0x81,
        ...le(at, 4),
      ]),
      name,
    );
  }
  const dirOffset = off;
  let dirSize = 0;
  for (const c of central) {
    push(c);
    dirSize += c.length;
  }
  const records = opts.records ?? entries.length;
  push([
    ...le(0x06054b50, 4),
    0,
    0,
    0,
    0,
    ...le(records % 65536, 2),
    ...le(records % 65536, 2),
    ...le(dirSize, 4),
    ...le(dirOffset, 4),
    0,
    0,
  ]);
  const out = new Uint8Array(off);
  let p = 0;
  for (const b of parts) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

/** expectedH1 computes Go's Hash1 summary directly from names and contents (an independent oracle). */
export function expectedH1(files: readonly { name: string; data: Uint8Array }[]): string {
  const enc = new TextEncoder();
  const cmp = (a: string, b: string) => Buffer.compare(Buffer.from(enc.encode(a)), Buffer.from(enc.encode(b)));
  const lines = [...files]
    .sort((a, b) => cmp(a.name, b.name))
    .map((f) => `${createHash('sha256').update(f.data).digest('hex')}  ${f.name}\n`)
    .join('');
  return 'h1:' + createHash('sha256').update(lines).digest('base64');
}
