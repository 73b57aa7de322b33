import { GosumdbError } from '../internal/errors.js';
import { decodeUtf8, hasPrefix, latin1, utf8 } from '../internal/bytes.js';
import { canonicalVersion, check, checkFilePath } from '../module/index.js';
import { goQuote } from '../internal/quote.js';
import { cleanPath } from './dir.js';
import { goQuoteBytes } from './goutf8.js';
import { hashEntries, MAX_ZIP_FILE, zipFiles, type ZipOptions } from './hashzip.js';
import { Reader, toSource, type ByteSource } from './source.js';
import { readDirectory, type ZipEntry } from './zip.js';

/**
 * MAX_GO_MOD is the size limit of a module's go.mod file (16 MiB), Go's zip.MaxGoMod.
 *
 * @example
 * ```ts
 * import { MAX_GO_MOD } from 'gosumdb/dirhash';
 * console.log(MAX_GO_MOD); // 16777216
 * ```
 */
export const MAX_GO_MOD = 16 * 2 ** 20;

/**
 * MAX_LICENSE is the size limit of a module's LICENSE file (16 MiB), Go's zip.MaxLICENSE.
 *
 * @example
 * ```ts
 * import { MAX_LICENSE } from 'gosumdb/dirhash';
 * console.log(MAX_LICENSE); // 16777216
 * ```
 */
export const MAX_LICENSE = 16 * 2 ** 20;

/** FileError is a file path with the reason it was left out of a module zip (Go's zip.FileError). */
export type FileError = { readonly path: string; readonly err: string };

/**
 * CheckedFiles is the verdict on a module zip's files (Go's zip.CheckedFiles): the valid files,
 * the omitted ones (always empty for a zip, as in Go), the invalid ones with reasons, and a size
 * error when the zip or its content is too large.
 */
export type CheckedFiles = {
  readonly valid: readonly string[];
  readonly omitted: readonly FileError[];
  readonly invalid: readonly FileError[];
  readonly sizeError?: string;
};

// strToFold: a key with foldKey(s) === foldKey(t) iff Go's strings.EqualFold(s, t). Each code
// point maps to the smallest member of its simple case-folding orbit (reached through
// JavaScript's single-character case mappings), A-Z then to a-z, so that ASCII names without
// upper case are their own key, as in Go's fast path.
function foldRune(ch: string): string {
  let best = ch;
  for (const c of [ch.toLowerCase(), ch.toUpperCase(), ch.toUpperCase().toLowerCase(), ch.toLowerCase().toUpperCase()]) {
    if ([...c].length === 1 && c.codePointAt(0)! < best.codePointAt(0)!) best = c;
  }
  return best >= 'A' && best <= 'Z' ? best.toLowerCase() : best;
}

const plainAscii = /^[\x00-\x40\x5b-\x7f]*$/;

/** foldKey returns a key equal for two strings iff Go's strings.EqualFold holds (shared with gosumdb/zip). */
export function foldKey(s: string): string {
  if (plainAscii.test(s)) return s;
  let out = '';
  for (const ch of s) out += foldRune(ch);
  return out;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return cleanPath(p.slice(0, i + 1));
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Collisions is Go's collisionChecker: case-fold collisions, a path both file and directory, repeated files. */
export class Collisions {
  private readonly seen = new Map<string, { path: string; isDir: boolean }>();

  check(p: string, isDir: boolean): string | undefined {
    for (;;) {
      const fold = foldKey(p);
      const other = this.seen.get(fold);
      if (other) {
        if (p !== other.path) return `case-insensitive file name collision: ${goQuote(other.path)} and ${goQuote(p)}`;
        if (isDir !== other.isDir) return `entry ${goQuote(p)} is both a file and a directory`;
        if (!isDir) return `multiple entries for file ${goQuote(p)}`;
      } else {
        this.seen.set(fold, { path: p, isDir });
      }
      const parent = dirOf(p);
      if (parent === '.') return undefined;
      p = parent;
      isDir = true;
    }
  }
}

/** checkModule checks a module version as Go's zip functions do first: canonical, then module.Check. */
export function checkModule(path: string, version: string): void {
  if (typeof path !== 'string' || typeof version !== 'string') throw new TypeError('path and version must be strings');
  const canon = canonicalVersion(version);
  if (canon !== version) {
    throw new GosumdbError('ERR_MODULE_VERSION_INVALID', `version ${goQuote(version)} is not canonical (should be ${goQuote(canon)})`);
  }
  check(path, version);
}

function verdict(entries: readonly ZipEntry[], path: string, version: string): CheckedFiles {
  const prefixText = `${path}@${version}/`;
  const prefix = utf8(prefixText);
  const valid: string[] = [];
  const invalid: FileError[] = [];
  const collisions = new Collisions();
  let sizeError: string | undefined;
  let size = 0;
  for (const zf of entries) {
    const fail = (err: string) => invalid.push({ path: zf.display, err });
    if (!hasPrefix(zf.name, prefix)) {
      fail(`path does not have prefix ${goQuote(prefixText)}`);
      continue;
    }
    const restBytes = zf.name.subarray(prefix.length);
    if (restBytes.length === 0) continue;
    const isDir = restBytes[restBytes.length - 1] === 0x2f;
    // Go cleans the name as bytes, before any UTF-8 check: '/' and '.' are ASCII, so a
    // byte-per-character string gives the same verdict.
    const bytewise = latin1(restBytes.subarray(0, isDir ? -1 : undefined));
    if (cleanPath(bytewise) !== bytewise) {
      fail('file path is not clean');
      continue;
    }
    const rest = decodeUtf8(restBytes);
    if (rest === undefined) {
      fail(`malformed file path ${goQuoteBytes(restBytes.subarray(0, isDir ? -1 : undefined))}: invalid UTF-8`);
      continue;
    }
    const name = isDir ? rest.slice(0, -1) : rest;
    try {
      checkFilePath(name);
    } catch (e) {
      if (!(e instanceof GosumdbError)) throw e;
      fail(e.message);
      continue;
    }
    const collision = collisions.check(name, isDir);
    if (collision !== undefined) {
      fail(collision);
      continue;
    }
    if (isDir) continue;
    const base = baseOf(name);
    if (foldKey(base) === foldKey('go.mod')) {
      if (base !== name) {
        fail('go.mod file not in module root directory');
        continue;
      }
      if (name !== 'go.mod') {
        fail('go.mod files must have lowercase names');
        continue;
      }
    }
    const sz = zf.uncompressedSize;
    if (MAX_ZIP_FILE - size >= sz) size += sz;
    else sizeError ??= `total uncompressed size of module contents too large (max size is ${MAX_ZIP_FILE} bytes)`;
    if (name === 'go.mod' && sz > MAX_GO_MOD) {
      fail(`go.mod file too large (max size is ${MAX_GO_MOD} bytes)`);
      continue;
    }
    if (name === 'LICENSE' && sz > MAX_LICENSE) {
      fail(`LICENSE file too large (max size is ${MAX_LICENSE} bytes)`);
      continue;
    }
    valid.push(zf.display);
  }
  return sizeError === undefined ? { valid, omitted: [], invalid } : { valid, omitted: [], invalid, sizeError };
}

async function open(
  zip: Uint8Array | ByteSource,
  path: string,
  version: string,
): Promise<{ r: Reader; entries: ZipEntry[]; cf: CheckedFiles }> {
  checkModule(path, version);
  const src = toSource(zip);
  const r = new Reader(src);
  if (src.size > MAX_ZIP_FILE) {
    const sizeError = `module zip file is too large (${src.size} bytes; limit is ${MAX_ZIP_FILE} bytes)`;
    return { r, entries: [], cf: { valid: [], omitted: [], invalid: [], sizeError } };
  }
  const entries = await readDirectory(r);
  return { r, entries, cf: verdict(entries, path, version) };
}

/**
 * checkZip sorts the files of a module zip for `path@version` into valid and invalid (with Go's
 * reasons), as golang.org/x/mod/zip's CheckZip: every name must start with `path@version/`, be
 * clean and a valid file path, not collide with another under Unicode case folding or as file
 * and directory, go.mod only in the root and lower case, go.mod and LICENSE at most 16 MiB, the
 * zip and its total content at most 500 MiB. It reads only the central directory.
 *
 * Case folding follows JavaScript's case mappings, which agree with Go's simple folding on
 * ordinary scripts.
 *
 * @throws GosumdbError `ERR_MODULE_VERSION_INVALID` / `ERR_MODULE_PATH_INVALID` for a bad
 *   path@version (checked first, as Go does); `ERR_ZIP_*` for a zip that cannot be read.
 * @example
 * ```ts
 * import { checkZip } from 'gosumdb/dirhash';
 * const empty = new Uint8Array(22);
 * empty.set([0x50, 0x4b, 0x05, 0x06]);
 * console.log(await checkZip(empty, 'example.com/m', 'v1.0.0')); // { valid: [], omitted: [], invalid: [] }
 * ```
 */
export async function checkZip(zip: Uint8Array | ByteSource, path: string, version: string): Promise<CheckedFiles> {
  return (await open(zip, path, version)).cf;
}

/**
 * checkedFilesError returns Go's CheckedFiles.Err text: the size error if any, else one
 * `path: reason` line per invalid file; undefined when the zip is a valid module zip.
 *
 * @example
 * ```ts
 * import { checkedFilesError } from 'gosumdb/dirhash';
 * console.log(checkedFilesError({ valid: [], omitted: [], invalid: [{ path: 'x', err: 'path does not have prefix "m@v1.0.0/"' }] }));
 * // x: path does not have prefix "m@v1.0.0/"
 * ```
 */
export function checkedFilesError(cf: CheckedFiles): string | undefined {
  if (cf.sizeError !== undefined) return cf.sizeError;
  if (cf.invalid.length > 0) return cf.invalid.map((e) => `${e.path}: ${e.err}`).join('\n');
  return undefined;
}

/**
 * hashModuleZip checks a module zip as {@link checkZip}, then returns its `h1:` hash as
 * {@link hashZip}: what the go command does before it trusts a downloaded module zip.
 *
 * @throws GosumdbError `ERR_MODULE_ZIP_INVALID` (message: Go's list of invalid files) or
 *   `ERR_ZIP_TOO_LARGE` (a size error); every error of {@link checkZip} and {@link hashZip}.
 * @example
 * ```ts
 * import { hashModuleZip } from 'gosumdb/dirhash';
 * const empty = new Uint8Array(22);
 * empty.set([0x50, 0x4b, 0x05, 0x06]);
 * console.log(await hashModuleZip(empty, 'example.com/m', 'v1.0.0')); // h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export async function hashModuleZip(
  zip: Uint8Array | ByteSource,
  path: string,
  version: string,
  options: ZipOptions = {},
): Promise<string> {
  const { r, entries, cf } = await open(zip, path, version);
  if (cf.sizeError !== undefined) throw new GosumdbError('ERR_ZIP_TOO_LARGE', `${path}@${version}: ${cf.sizeError}`);
  const err = checkedFilesError(cf);
  if (err !== undefined) throw new GosumdbError('ERR_MODULE_ZIP_INVALID', `${path}@${version}: invalid module zip:\n${err}`);
  return hashEntries(r, zipFiles(entries), options);
}
