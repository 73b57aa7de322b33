import { latin1 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { checkIndex } from '../internal/num.js';
import { checkName, Summary } from './hash1.js';
import { crc32Ieee, type Crc32 } from './crc32.js';
import { portableInflater, type Inflater } from './inflate.js';
import { Reader, toSource, type ByteSource } from './source.js';
import { readDirectory, readEntry, type ZipEntry } from './zip.js';

/**
 * MAX_ZIP_FILE is the module-zip size limit (500 MiB), Go's zip.MaxZipFile: the most a module
 * zip, and the content it holds, may weigh. It is also hashZip's default content cap.
 *
 * @example
 * ```ts
 * import { MAX_ZIP_FILE } from 'gosumdb/dirhash';
 * console.log(MAX_ZIP_FILE); // 524288000
 * ```
 */
export const MAX_ZIP_FILE = 500 * 1024 * 1024;

/** ZipOptions selects the backends and the content limit for reading a zip. */
export type ZipOptions = {
  /** SHA-256 provider; default the portable `@noble/hashes` one. */
  readonly sha256?: Sha256;
  /** Raw-DEFLATE decompressor; default the portable one ({@link portableInflater}). */
  readonly inflate?: Inflater;
  /** CRC-32; default the portable one. */
  readonly crc32?: Crc32;
  /**
   * maxSize caps the total uncompressed bytes hashed (default {@link MAX_ZIP_FILE}, the
   * module-zip limit, which the go command enforces before any hash is trusted).
   */
  readonly maxSize?: number;
};

// Entries whose compressed data is at most this large are inflated in one call (measured: a
// one-shot inflate is several times faster than a stream for the small files modules are made of).
const wholeLimit = 4 * 2 ** 20;

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** zipFiles lists the names Go's HashZip hashes, sorted, each with the entry read for it. */
export function zipFiles(entries: readonly ZipEntry[]): { name: Uint8Array; entry: ZipEntry }[] {
  // Go maps each name to its last entry, then opens that entry once per listed name.
  const last = new Map<string, ZipEntry>();
  for (const e of entries) last.set(latin1(e.name), e);
  return entries.map((e) => ({ name: e.name, entry: last.get(latin1(e.name))! })).sort((a, b) => compareBytes(a.name, b.name));
}

/**
 * hashZip returns the `h1:` hash of the files in a zip, exactly as Go's dirhash.HashZip: every
 * entry's raw name (directories and duplicates included, a duplicate name hashing the content
 * of its last entry), sorted by bytes, with its content verified against the declared size and
 * CRC-32. Stored and deflate entries, zip64 and data descriptors are supported.
 *
 * The zip is read through `zip.read` in bounded pieces (the central directory, then one entry at
 * a time), so a zip on disk is never held in memory.
 *
 * @param zip - the zip bytes, or a {@link ByteSource} over them.
 * @throws GosumdbError `ERR_ZIP_MALFORMED` (bad structure, sizes that lie, corrupt DEFLATE data),
 *   `ERR_ZIP_CRC` (checksum mismatch), `ERR_ZIP_UNSUPPORTED` (unknown method, encryption),
 *   `ERR_ZIP_TOO_LARGE` (content over `maxSize`, more than 2^20 entries), `ERR_ZIP_READ`
 *   (the source failed), `ERR_DIRHASH_NEWLINE` (a name contains a newline).
 * @example
 * ```ts
 * import { hashZip } from 'gosumdb/dirhash';
 * // An empty zip: just the 22-byte end of central directory record.
 * const empty = new Uint8Array(22);
 * empty.set([0x50, 0x4b, 0x05, 0x06]);
 * console.log(await hashZip(empty)); // h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export async function hashZip(zip: Uint8Array | ByteSource, options: ZipOptions = {}): Promise<string> {
  const r = new Reader(toSource(zip));
  const entries = await readDirectory(r);
  return hashEntries(r, zipFiles(entries), options);
}

/** hashEntries hashes already listed entries (shared by hashZip and hashModuleZip). */
export async function hashEntries(
  r: Reader,
  files: readonly { name: Uint8Array; entry: ZipEntry }[],
  options: ZipOptions,
): Promise<string> {
  const sha256 = options.sha256 ?? nobleSha256;
  const maxSize = options.maxSize ?? MAX_ZIP_FILE;
  checkIndex(maxSize, 'maxSize');
  let total = 0;
  for (const f of files) {
    total += f.entry.uncompressedSize;
    if (total > maxSize) {
      throw new GosumdbError('ERR_ZIP_TOO_LARGE', `zip: total uncompressed size too large (max size is ${maxSize} bytes)`);
    }
  }
  const readOpts = { inflate: options.inflate ?? portableInflater, crc32: options.crc32 ?? crc32Ieee, wholeLimit };
  const summary = new Summary(sha256);
  for (const f of files) {
    checkName(f.name, () => f.entry.display);
    let digest: Uint8Array | undefined;
    let h: ReturnType<Sha256['create']> | undefined;
    for await (const chunk of readEntry(r, f.entry, readOpts)) {
      if (digest === undefined && h === undefined && chunk.length === f.entry.uncompressedSize) {
        digest = sha256.hash(chunk);
        continue;
      }
      h ??= sha256.create();
      h.update(chunk);
    }
    summary.add(f.name, digest ?? (h ?? sha256.create()).digest(), () => f.entry.display);
  }
  return summary.sum();
}
