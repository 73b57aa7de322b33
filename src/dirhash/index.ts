/**
 * gosumdb/dirhash: the `h1:` hashes that go.sum records, bit for bit as Go's
 * golang.org/x/mod/sumdb/dirhash computes them, and the module-zip rules of golang.org/x/mod/zip.
 *
 * - {@link hash1} hashes a list of named files; {@link hashGoMod} a go.mod file (go.sum's
 *   `/go.mod` lines); {@link hashZip} a zip, read in bounded pieces from bytes or a {@link ByteSource}.
 * - {@link hashDir} and {@link dirFiles} walk a directory tree given as a {@link DirSource}, as
 *   Go's HashDir and DirFiles (`gosumdb/node` provides one over real directories).
 * - {@link checkZip} sorts a module zip's files into valid / omitted / invalid as Go's
 *   zip.CheckZip; {@link hashModuleZip} checks, then hashes.
 * - Hostile zips (corrupt structure, lying sizes, bombs, bad CRCs) fail with a GosumdbError whose
 *   `code` starts with `ERR_ZIP_` and whose message names the entry.
 *
 * Everything here is runtime-neutral (SHA-256 from @noble/hashes, this package's own DEFLATE
 * decoder with Go's verdicts, a JS CRC-32); `gosumdb/node` adds the native ones, files and
 * directories. Differences from Go, all failing closed: content over 500 MiB and more than 2^20
 * entries are refused, encrypted entries are refused, and directory entries follow Go 1.20+.
 *
 * @module
 */
export { hash1, hashGoMod, type FileContent, type FileOpener, type HashOptions } from './hash1.js';
export { hashZip, MAX_ZIP_FILE, type ZipOptions } from './hashzip.js';
export { bytesSource, type ByteSource } from './source.js';
export { crc32Ieee, type Crc32 } from './crc32.js';
export { portableInflater, type Inflater, type InflateStream } from './inflate.js';
export { MAX_ZIP_ENTRIES } from './zip.js';
export { dirFiles, hashDir, type DirEntry, type DirSource } from './dir.js';
export {
  checkZip,
  checkedFilesError,
  hashModuleZip,
  MAX_GO_MOD,
  MAX_LICENSE,
  type CheckedFiles,
  type FileError,
} from './checkzip.js';
