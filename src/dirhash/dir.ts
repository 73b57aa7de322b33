import { compareUtf8 } from '../internal/bytes.js';
import { hash1, type FileContent, type HashOptions } from './hash1.js';

/** DirEntry is one name in a directory listing; `isDir` is false for symbolic links (not followed). */
export type DirEntry = { readonly name: string; readonly isDir: boolean };

/**
 * DirSource is a directory tree to hash, addressed by slash-separated paths relative to its
 * root ('' is the root). `gosumdb/node` provides one over a real directory (`nodeDirSource`);
 * tests and browsers can provide one over memory.
 */
export interface DirSource {
  /** list returns the entries of a directory; the root must be a directory. */
  list(rel: string): Promise<readonly DirEntry[]>;
  /** open returns the content of a file (following symbolic links, as Go's os.Open). */
  open(rel: string): FileContent | Promise<FileContent>;
}

/** cleanPath is Go's path.Clean: the shortest equivalent slash path. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const el of p.split('/')) {
    if (el === '' || el === '.') continue;
    if (el === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else {
      out.push(el);
    }
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

// Go's filepath.Walk visits names in sorted (byte) order, depth first, and does not follow links.
async function walk(src: DirSource, rel: string, out: string[]): Promise<void> {
  const entries = [...(await src.list(rel))].sort((a, b) => compareUtf8(a.name, b.name));
  for (const e of entries) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDir) await walk(src, child, out);
    else out.push(child);
  }
}

async function listed(src: DirSource, prefix: string): Promise<{ names: string[]; rels: string[] }> {
  if (typeof prefix !== 'string') throw new TypeError('prefix must be a string');
  if (src === null || typeof src !== 'object' || typeof src.list !== 'function' || typeof src.open !== 'function') {
    throw new TypeError('src must be a DirSource { list, open }');
  }
  const rels: string[] = [];
  await walk(src, '', rels);
  // Go's filepath.Join(prefix, rel) cleans the joined name.
  const names = rels.map((rel) => cleanPath(prefix === '' ? rel : `${prefix}/${rel}`));
  return { names, rels };
}

/**
 * dirFiles lists the files of a directory tree as Go's dirhash.DirFiles: depth first in byte
 * order, with the root replaced by `prefix` (joined and cleaned as Go's filepath.Join), forward
 * slashes, directories omitted and symbolic links listed as files.
 *
 * @throws whatever the source throws (for `nodeDirSource`, GosumdbError `ERR_DIRHASH_NOT_DIR` or
 *   `ERR_FILE_READ`).
 * @example
 * ```ts
 * import { dirFiles, type DirSource } from 'gosumdb/dirhash';
 * const src: DirSource = {
 *   list: async (rel) => (rel === '' ? [{ name: 'b', isDir: true }, { name: 'a.go', isDir: false }] : [{ name: 'c.go', isDir: false }]),
 *   open: () => new Uint8Array(0),
 * };
 * console.log(await dirFiles(src, 'example.com/m@v1.0.0')); // [ 'example.com/m@v1.0.0/a.go', 'example.com/m@v1.0.0/b/c.go' ]
 * ```
 */
export async function dirFiles(src: DirSource, prefix: string): Promise<string[]> {
  return (await listed(src, prefix)).names;
}

/**
 * hashDir returns the `h1:` hash of a directory tree as Go's dirhash.HashDir(dir, prefix,
 * Hash1): {@link hash1} over {@link dirFiles}, reading each file through the source.
 *
 * @throws GosumdbError `ERR_DIRHASH_NEWLINE` for a name with a newline; whatever the source throws.
 * @example
 * ```ts
 * import { hashDir, type DirSource } from 'gosumdb/dirhash';
 * const src: DirSource = {
 *   list: async () => [{ name: 'go.mod', isDir: false }],
 *   open: () => new TextEncoder().encode('module example.com/m\n'),
 * };
 * console.log(await hashDir(src, 'example.com/m@v1.0.0')); // h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=
 * ```
 */
export async function hashDir(src: DirSource, prefix: string, options: HashOptions = {}): Promise<string> {
  const { names, rels } = await listed(src, prefix);
  const byName = new Map<string, string>();
  names.forEach((n, i) => {
    byName.set(n, rels[i]!);
  });
  return hash1(names, (name) => src.open(byName.get(name)!), options);
}
