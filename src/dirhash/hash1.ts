import { GosumdbError } from '../internal/errors.js';
import { nobleSha256, type Sha256, type Sha256Hasher } from '../internal/sha256.js';
import { compareUtf8, encodeBase64, utf8 } from '../internal/bytes.js';

/** FileContent is what an opener returns: the whole content, or its chunks in order. */
export type FileContent = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** FileOpener returns the content of one named file, as Go's `open func(string) (io.ReadCloser, error)`. */
export type FileOpener = (name: string) => FileContent | Promise<FileContent>;

/** HashOptions selects the SHA-256 provider; the default is the portable `@noble/hashes` one. */
export type HashOptions = { readonly sha256?: Sha256 };

const newline = 0x0a;
const hexDigits = utf8('0123456789abcdef');

// Lowercase hex as bytes, without building a string per file.
function hexBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length * 2);
  for (let i = 0; i < b.length; i++) {
    out[2 * i] = hexDigits[b[i]! >>> 4]!;
    out[2 * i + 1] = hexDigits[b[i]! & 15]!;
  }
  return out;
}
const twoSpaces = utf8('  ');
const lf = utf8('\n');

/** checkName rejects a name containing a newline, which would forge an extra summary line. */
export function checkName(name: Uint8Array, display: () => string): void {
  if (name.includes(newline)) {
    throw new GosumdbError('ERR_DIRHASH_NEWLINE', `dirhash: filenames with newlines are not supported: ${JSON.stringify(display())}`);
  }
}

/**
 * Summary accumulates the `find . -type f | sort | sha256sum` text that Hash1 hashes.
 * Names are raw bytes so that zip names that are not UTF-8 hash exactly as Go hashes them.
 */
export class Summary {
  private readonly h: Sha256Hasher;

  constructor(sha256: Sha256) {
    this.h = sha256.create();
  }

  /** add appends one line; `fileHash` is the SHA-256 of the file's content. */
  add(name: Uint8Array, fileHash: Uint8Array, display: () => string): void {
    checkName(name, display);
    this.h.update(hexBytes(fileHash)).update(twoSpaces).update(name).update(lf);
  }

  /** sum returns the `h1:` hash of the lines added so far. */
  sum(): string {
    return 'h1:' + encodeBase64(this.h.digest());
  }
}

/** hashContent returns the SHA-256 of a file's content given as bytes or chunks. */
async function hashContent(content: FileContent, sha256: Sha256): Promise<Uint8Array> {
  if (content instanceof Uint8Array) return sha256.hash(content);
  const h = sha256.create();
  if (Symbol.asyncIterator in content) {
    for await (const chunk of content) h.update(chunk);
  } else {
    for (const chunk of content) h.update(chunk);
  }
  return h.digest();
}

/**
 * hash1 computes the `h1:` directory hash of the named files, exactly as Go's dirhash.Hash1: the
 * SHA-256 of one line per file (`<hex sha256>  <name>\n`) with the names in UTF-8 byte order
 * (Go's sort.Strings, not JavaScript's UTF-16 order), encoded as `h1:` + standard base64.
 * Files are opened one at a time, in that order.
 *
 * @param files - file names as they appear in the hash (duplicates are hashed twice, as in Go).
 * @param open - returns the content of one file.
 * @throws GosumdbError `ERR_DIRHASH_NEWLINE` if a name contains a newline; whatever `open` throws.
 * @example
 * ```ts
 * import { hash1 } from 'gosumdb/dirhash';
 * const files: Record<string, string> = { 'm@v1.0.0/go.mod': 'module m\n' };
 * const h = await hash1(Object.keys(files), (name) => new TextEncoder().encode(files[name]));
 * console.log(h); // h1:rWWSQIXZLd+puBSoX6K2bFxL8K/E8nwFH0r/Fo7rCKw=
 * ```
 */
export async function hash1(files: readonly string[], open: FileOpener, options: HashOptions = {}): Promise<string> {
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) throw new TypeError('files must be an array of strings');
  if (typeof open !== 'function') throw new TypeError('open must be a function');
  const sha256 = options.sha256 ?? nobleSha256;
  const sorted = [...files].sort(compareUtf8);
  const summary = new Summary(sha256);
  for (const file of sorted) {
    const name = utf8(file);
    checkName(name, () => file);
    summary.add(name, await hashContent(await open(file), sha256), () => file);
  }
  return summary.sum();
}

/**
 * hashGoMod returns the hash recorded on go.sum's `/go.mod` lines: {@link hash1} over the single
 * file `go.mod` with the given content, as the go command computes it. The bytes are hashed as
 * they are: no newline, BOM or CRLF normalisation.
 *
 * @example
 * ```ts
 * import { hashGoMod } from 'gosumdb/dirhash';
 * console.log(await hashGoMod(new TextEncoder().encode('module example.com/m\n'))); // h1:flS2VctbRrTv+sBE+VKgxx6hlkMGPVz9MGOmzMYFg3k=
 * ```
 */
export async function hashGoMod(content: Uint8Array, options: HashOptions = {}): Promise<string> {
  if (!(content instanceof Uint8Array)) throw new TypeError('content must be a Uint8Array');
  return hash1(['go.mod'], () => content, options);
}
