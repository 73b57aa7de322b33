// A zip reader with exactly the acceptance rules of Go's archive/zip (Reader.init, File.Open and
// checksumReader), reading from a ByteSource in bounded pieces. APPNOTE.TXT §4.3 describes the
// records; every field here is attacker-controlled.
import { GosumdbError } from '../internal/errors.js';
import { decodeUtf8 } from '../internal/bytes.js';
import type { Crc32 } from './crc32.js';
import { goString } from './goutf8.js';
import type { Inflater } from './inflate.js';
import type { Reader } from './source.js';

/** ZipEntry is one central-directory record: what Go's zip.File holds that hashing needs. */
export type ZipEntry = {
  /** name as raw bytes (Go compares and hashes names as byte strings). */
  readonly name: Uint8Array;
  /** display is the name as a string, each invalid UTF-8 byte replaced by U+FFFD (as Go's JSON shows it). */
  readonly display: string;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** headerOffset is the absolute offset of the local header, or -1 if it lies outside any file. */
  readonly headerOffset: number;
  /** creatorOS is the high byte of "version made by" (3 Unix, 19 macOS, 0 MS-DOS...). */
  readonly creatorOS: number;
  /** externalAttrs holds the file mode (Unix creators: `st_mode` in the high 16 bits). */
  readonly externalAttrs: number;
};

/**
 * MAX_ZIP_ENTRIES caps the number of central-directory records read (2^20), so that a hostile
 * zip cannot exhaust memory with its listing; more fail with `ERR_ZIP_TOO_LARGE`. Go has no cap
 * (a documented difference; real modules have far fewer files).
 *
 * @example
 * ```ts
 * import { MAX_ZIP_ENTRIES } from 'gosumdb/dirhash';
 * console.log(MAX_ZIP_ENTRIES); // 1048576
 * ```
 */
export const MAX_ZIP_ENTRIES = 2 ** 20;

const sigLocal = 0x04034b50;
const sigCentral = 0x02014b50;
const sigEnd = 0x06054b50;
const sigEnd64Locator = 0x07064b50;
const sigEnd64 = 0x06064b50;
const sigDataDescriptor = 0x08074b50;
const centralLen = 46;
const localLen = 30;
const endLen = 22;
const end64LocatorLen = 20;
const end64Len = 56;
const dataDescriptorLen = 16;
const flagEncrypted = 0x1;
const flagDataDescriptor = 0x8;
const methodStore = 0;
const methodDeflate = 8;

const u16 = (b: Uint8Array, o: number): number => b[o]! + b[o + 1]! * 0x100;
const u32 = (b: Uint8Array, o: number): number => u16(b, o) + u16(b, o + 2) * 0x10000;
const u64 = (b: Uint8Array, o: number): bigint => BigInt(u32(b, o)) + (BigInt(u32(b, o + 4)) << 32n);

function malformed(what: string, cause?: unknown): GosumdbError {
  return new GosumdbError('ERR_ZIP_MALFORMED', `zip: not a valid zip file: ${what}`, cause === undefined ? undefined : { cause });
}

// Go converts uint64 fields to int64; offsets outside 0..2^53-1 cannot be read from any file.
function toOffset(v: bigint): number {
  const s = BigInt.asIntN(64, v);
  return s >= 0n && s <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(s) : -1;
}

function toSize(v: bigint): number {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Number.MAX_SAFE_INTEGER;
}

type DirectoryEnd = { records: bigint; size: bigint; offset: bigint; endOffset: number };

// Go looks for the end record in the last 1 KiB, then the last 65 KiB, taking the last signature
// whose comment length fits in what was read.
async function findEnd(r: Reader): Promise<{ buf: Uint8Array; at: number }> {
  for (const want of [1024, 65 * 1024]) {
    const n = Math.min(want, r.size);
    const buf = await r.readAt(r.size - n, n);
    for (let i = buf.length - endLen; i >= 0; i--) {
      if (u32(buf, i) === sigEnd && u16(buf, i + endLen - 2) + endLen + i <= buf.length) {
        return { buf: buf.subarray(i), at: r.size - n + i };
      }
    }
    if (n === r.size) break;
  }
  throw malformed('no end of central directory record');
}

async function readEnd(r: Reader): Promise<DirectoryEnd> {
  const { buf, at } = await findEnd(r);
  const d: DirectoryEnd = { records: BigInt(u16(buf, 10)), size: BigInt(u32(buf, 12)), offset: BigInt(u32(buf, 16)), endOffset: at };
  // Go tests the 32-bit size field against 0xffff (not 0xffffffff); kept for identical verdicts.
  if (d.records === 0xffffn || d.size === 0xffffn || d.offset === 0xffffffffn) {
    const loc = at - end64LocatorLen;
    if (loc >= 0) {
      const b = await r.readAt(loc, end64LocatorLen);
      if (b.length < end64LocatorLen) throw malformed('truncated zip64 end locator');
      if (u32(b, 0) === sigEnd64Locator && u32(b, 4) === 0 && u32(b, 16) === 1) {
        const p = toOffset(u64(b, 8));
        const e = p < 0 ? new Uint8Array(0) : await r.readAt(p, end64Len);
        if (e.length < end64Len) throw malformed('truncated zip64 end record');
        if (u32(e, 0) !== sigEnd64) throw malformed('bad zip64 end record signature');
        d.records = u64(e, 32);
        d.size = u64(e, 40);
        d.offset = u64(e, 48);
        d.endOffset = p;
      }
    }
  }
  return d;
}

type HeaderResult = { entry: ZipEntry; next: number } | 'format' | 'unexpected-eof' | 'eof';

function decodeName(name: Uint8Array): string {
  return decodeUtf8(name) ?? goString(name);
}

function makeEntry(
  name: Uint8Array,
  flags: number,
  method: number,
  crc32: number,
  csize: number,
  usize: number,
  headerOffset: number,
  creatorOS: number,
  externalAttrs: number,
): ZipEntry {
  let display: string | undefined;
  return {
    name,
    get display() {
      display ??= decodeName(name);
      return display;
    },
    flags,
    method,
    crc32,
    compressedSize: csize,
    uncompressedSize: usize,
    headerOffset,
    creatorOS,
    externalAttrs,
  };
}

// Parses the zip64 extended-information extra field: only the fields whose 32-bit value is
// saturated, in order (APPNOTE §4.5.3). Returns undefined when a needed field is missing.
function zip64Fields(
  extra: Uint8Array,
  needU: boolean,
  needC: boolean,
  needO: boolean,
): { u?: bigint; c?: bigint; o?: bigint } | undefined {
  const r: { u?: bigint; c?: bigint; o?: bigint } = {};
  let x = extra;
  while (x.length >= 4) {
    const tag = u16(x, 0);
    const size = u16(x, 2);
    if (x.length - 4 < size) break;
    let f = x.subarray(4, 4 + size);
    x = x.subarray(4 + size);
    if (tag !== 0x0001) continue;
    for (const which of ['u', 'c', 'o'] as const) {
      const need = which === 'u' ? needU : which === 'c' ? needC : needO;
      if (!need) continue;
      if (f.length < 8) return undefined;
      r[which] = u64(f, 0);
      f = f.subarray(8);
      if (which === 'u') needU = false;
      else if (which === 'c') needC = false;
      else needO = false;
    }
  }
  return needC || needO ? undefined : r;
}

// One central-directory record at `at`, with Go's three outcomes for a bad one: a wrong
// signature or zip64 field ('format') and a short record ('unexpected-eof') end the listing,
// while nothing at all to read ('eof') fails the whole zip.
async function readCentral(r: Reader, at: number, base: number): Promise<HeaderResult> {
  const h = r.peek(at, centralLen) ?? (await r.readAt(at, centralLen));
  if (h.length === 0) return 'eof';
  if (h.length < centralLen) return 'unexpected-eof';
  if (u32(h, 0) !== sigCentral) return 'format';
  const creatorOS = h[5]!;
  const flags = u16(h, 8);
  const method = u16(h, 10);
  const crc32 = u32(h, 16);
  let csize = u32(h, 20);
  let usize = u32(h, 24);
  const nameLen = u16(h, 28);
  const extraLen = u16(h, 30);
  const commentLen = u16(h, 32);
  const externalAttrs = u32(h, 38);
  const offset = u32(h, 42);
  const varLen = nameLen + extraLen + commentLen;
  const v = r.peek(at + centralLen, varLen) ?? (await r.readAt(at + centralLen, varLen));
  if (varLen > 0 && v.length === 0) return 'eof';
  if (v.length < varLen) return 'unexpected-eof';
  const name = v.slice(0, nameLen);
  let headerOffset = base + offset;
  const needU = usize === 0xffffffff;
  const needC = csize === 0xffffffff;
  const needO = offset === 0xffffffff;
  if (extraLen > 0 || needC || needO) {
    const z = zip64Fields(v.subarray(nameLen, nameLen + extraLen), needU, needC, needO);
    if (z === undefined) return 'format';
    if (z.u !== undefined) usize = toSize(z.u);
    if (z.c !== undefined) csize = toSize(z.c);
    if (z.o !== undefined) headerOffset = Number.isNaN(base) ? -1 : toOffset(z.o + BigInt(base));
  }
  if (!Number.isSafeInteger(headerOffset) || headerOffset < 0) headerOffset = -1;
  return {
    entry: makeEntry(name, flags, method, crc32, csize, usize, headerOffset, creatorOS, externalAttrs),
    next: at + centralLen + varLen,
  };
}

/**
 * readDirectory lists a zip's central directory with Go's archive/zip rules: records are read
 * until the first bad one, and the listing is accepted if its count matches the end record's
 * modulo 65536; a prefix before the zip (a self-extractor stub) is allowed.
 */
export async function readDirectory(r: Reader): Promise<ZipEntry[]> {
  const end = await readEnd(r);
  const bigBase = BigInt.asIntN(64, BigInt(end.endOffset) - end.size - end.offset);
  const dirStart = BigInt.asIntN(64, bigBase + end.offset);
  if (dirStart < 0n || dirStart >= BigInt(r.size)) throw malformed('central directory offset out of range');
  // Go adds the (int64) base to every header offset; a base beyond ±2^53 only yields offsets
  // outside any file, which -1 stands for.
  let base = bigBase >= -BigInt(Number.MAX_SAFE_INTEGER) && bigBase <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(bigBase) : Number.NaN;
  let at = Number(dirStart);
  const entries: ZipEntry[] = [];
  let last: HeaderResult;
  for (;;) {
    last = await readCentral(r, at, base);
    if (last === 'format' && base !== 0 && entries.length === 0) {
      // Go retries once with no prefix, for zips whose offsets ignore a prepended stub.
      base = 0;
      const o = toOffset(end.offset);
      if (o < 0) throw malformed('central directory offset out of range');
      at = o;
      continue;
    }
    if (last === 'format' || last === 'unexpected-eof') break;
    if (last === 'eof') throw malformed('unexpected end of central directory');
    if (entries.length >= MAX_ZIP_ENTRIES) {
      throw new GosumdbError('ERR_ZIP_TOO_LARGE', `zip: too many entries (more than ${MAX_ZIP_ENTRIES})`);
    }
    entries.push(last.entry);
    at = last.next;
  }
  if (entries.length % 65536 !== Number(end.records % 65536n)) {
    throw malformed(
      last === 'format'
        ? `bad central directory record after ${entries.length} entries`
        : `truncated central directory record after ${entries.length} entries`,
    );
  }
  return entries;
}

/** EntryReadOptions are the pluggable pieces of reading an entry. */
export type EntryReadOptions = {
  readonly inflate: Inflater;
  readonly crc32: Crc32;
  /** Entries up to this compressed size are read and inflated in one piece. */
  readonly wholeLimit: number;
};

const storedChunk = 2 ** 20;
const firstPush = 32 * 1024;
const pushBudget = 8 * 2 ** 20;
const maxWholeOutput = 16 * 2 ** 20;

function entryError(e: ZipEntry, code: string, what: string, cause?: unknown): GosumdbError {
  return new GosumdbError(code, `zip: ${JSON.stringify(e.display)}: ${what}`, cause === undefined ? undefined : { cause });
}

async function bodyOffset(r: Reader, e: ZipEntry): Promise<number> {
  const h = e.headerOffset < 0 ? new Uint8Array(0) : await r.readAt(e.headerOffset, localLen);
  if (h.length < localLen) throw entryError(e, 'ERR_ZIP_MALFORMED', 'local header out of range');
  if (u32(h, 0) !== sigLocal) throw entryError(e, 'ERR_ZIP_MALFORMED', 'not a valid zip file: bad local header signature');
  return e.headerOffset + localLen + u16(h, 26) + u16(h, 28);
}

// A stored entry's bytes, read in pieces of at most storedChunk.
async function* readStored(r: Reader, body: number, avail: number): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < avail; ) {
    const chunk = await r.readAt(body + off, Math.min(storedChunk, avail - off));
    off += chunk.length;
    yield chunk;
  }
}

function badDeflate(e: ZipEntry, err: unknown): GosumdbError {
  return entryError(e, 'ERR_ZIP_MALFORMED', `bad DEFLATE data: ${(err as Error).message}`, err);
}

// A small DEFLATE entry read and inflated in one piece (the inflater stops past the declared size).
async function* inflateWhole(r: Reader, e: ZipEntry, body: number, avail: number, inflate: Inflater): AsyncGenerator<Uint8Array> {
  const data = await r.readAt(body, avail);
  let out: Uint8Array;
  try {
    out = inflate.inflateSync(data, e.uncompressedSize);
  } catch (err) {
    throw badDeflate(e, err);
  }
  yield out;
}

// A large DEFLATE entry inflated as it is read. Each push's output is held at once, so the push
// size adapts to the compression ratio seen so far: about pushBudget bytes out per push, from
// 4 KiB up to the inflater's chunk size.
async function* inflateStreaming(r: Reader, e: ZipEntry, body: number, avail: number, inflate: Inflater): AsyncGenerator<Uint8Array> {
  const inf = inflate.create(e.uncompressedSize);
  let step = Math.min(firstPush, inflate.chunkSize);
  for (let off = 0; off < avail || off === 0; ) {
    const chunk = await r.readAt(body + off, Math.min(step, avail - off));
    off += chunk.length;
    const final = off >= avail;
    let outs: Uint8Array[];
    try {
      outs = await inf.push(chunk, final);
    } catch (err) {
      throw badDeflate(e, err);
    }
    let produced = 0;
    for (const o of outs) produced += o.length;
    const ratio = Math.max(1, produced / Math.max(1, chunk.length));
    step = Math.max(4096, Math.min(inflate.chunkSize, Math.floor(pushBudget / ratio)));
    yield* outs;
    if (final) break;
  }
}

/**
 * readEntry yields an entry's verified content in chunks, as Go's File.Open plus reading to EOF:
 * the declared uncompressed size must match exactly, and the CRC-32 (from the central directory,
 * and from the data descriptor when flagged) must match; a CRC of 0 without a data descriptor is
 * not checked, as in Go. Directory entries (names ending in '/') read as empty and must declare
 * no content (newer Go; Go 1.19 read them like files). Errors name the entry.
 */
export async function* readEntry(r: Reader, e: ZipEntry, opts: EntryReadOptions): AsyncGenerator<Uint8Array> {
  const body = await bodyOffset(r, e);
  if (e.name.length > 0 && e.name[e.name.length - 1] === 0x2f) {
    if (e.uncompressedSize !== 0) throw entryError(e, 'ERR_ZIP_MALFORMED', 'not a valid zip file: directory entry has content');
    return;
  }
  if (e.method !== methodStore && e.method !== methodDeflate) {
    throw entryError(e, 'ERR_ZIP_UNSUPPORTED', `unsupported compression algorithm ${e.method}`);
  }
  // Go does not look at the encryption flag and fails later on the ciphertext; refusing
  // outright gives a clearer error and never hashes ciphertext.
  if ((e.flags & flagEncrypted) !== 0) throw entryError(e, 'ERR_ZIP_UNSUPPORTED', 'encrypted entries are not supported');
  // Like Go's io.SectionReader, compressed data running past the end of the zip is cut short.
  const avail = Math.max(0, Math.min(e.compressedSize, r.size - body));
  const content =
    e.method === methodStore
      ? readStored(r, body, avail)
      : avail <= opts.wholeLimit && e.uncompressedSize <= maxWholeOutput
        ? inflateWhole(r, e, body, avail, opts.inflate)
        : inflateStreaming(r, e, body, avail, opts.inflate);
  let crc = 0;
  let n = 0;
  for await (const chunk of content) {
    if (n + chunk.length > e.uncompressedSize) {
      throw entryError(e, 'ERR_ZIP_MALFORMED', `not a valid zip file: content longer than the declared ${e.uncompressedSize} bytes`);
    }
    n += chunk.length;
    crc = opts.crc32(crc, chunk);
    yield chunk;
  }
  if (n !== e.uncompressedSize) {
    throw entryError(e, 'ERR_ZIP_MALFORMED', `unexpected EOF: content is ${n} bytes, declared ${e.uncompressedSize}`);
  }
  if ((e.flags & flagDataDescriptor) !== 0) {
    // The descriptor's signature is optional (APPNOTE §4.3.9.3); its sizes are ignored, as in Go.
    const d = await r.readAt(body + e.compressedSize, dataDescriptorLen);
    const signed = d.length >= 4 && u32(d, 0) === sigDataDescriptor;
    const crcAt = signed ? 4 : 0;
    if (d.length < (signed ? 16 : 12)) throw entryError(e, 'ERR_ZIP_MALFORMED', 'unexpected EOF: truncated data descriptor');
    if (u32(d, crcAt) !== e.crc32)
      throw entryError(e, 'ERR_ZIP_CRC', 'checksum error: data descriptor CRC-32 differs from the central directory');
    if (crc !== e.crc32) throw entryError(e, 'ERR_ZIP_CRC', 'checksum error');
  } else if (e.crc32 !== 0 && crc !== e.crc32) {
    throw entryError(e, 'ERR_ZIP_CRC', 'checksum error');
  }
}
