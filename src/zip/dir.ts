import { compareUtf8 } from '../internal/bytes.js';
import type { CheckedFiles, FileError } from '../dirhash/checkzip.js';
import type { FileContent } from '../dirhash/hash1.js';
import { checkFilesKeep, isVendoredPackage, type FileKind, type ModuleFile } from './files.js';
import { createZip, type CreateOptions } from './create.js';

/** TreeEntry is one name in a directory listing, with Lstat's kind and size (links not followed). */
export type TreeEntry = { readonly name: string; readonly kind: FileKind; readonly size: number };

/**
 * TreeSource is a directory tree to zip, addressed by slash-separated paths relative to its root
 * ('' is the root). `gosumdb/node` provides one over a real directory (`nodeTreeSource`).
 */
export interface TreeSource {
  /** list returns the entries of a directory. */
  list(rel: string): Promise<readonly TreeEntry[]>;
  /** open returns the content of a regular file. */
  open(rel: string): FileContent | Promise<FileContent>;
}

/** DirListing is what {@link listFilesInDir} found: the files to offer, and what the walk skipped. */
export type DirListing = { readonly files: readonly ModuleFile[]; readonly omitted: readonly FileError[] };

const vcsDirs = new Set(['.bzr', '.git', '.hg', '.svn']);

/**
 * listFilesInDir walks a tree as CreateFromDir does (depth first, names in byte order, links not
 * followed) and returns its files and what it skipped: version-control directories (`.git`,
 * `.hg`, `.svn`, `.bzr`), directories holding a `go.mod` that is not a directory (nested
 * modules), paths in vendored packages, and anything that is not a regular file.
 *
 * @example
 * ```ts
 * import { listFilesInDir, type TreeSource } from 'gosumdb/zip';
 * const tree: TreeSource = {
 *   list: async (rel) => (rel === '' ? [{ name: 'go.mod', kind: 'file', size: 9 }, { name: '.git', kind: 'dir', size: 0 }] : []),
 *   open: () => new TextEncoder().encode('module m\n'),
 * };
 * const { files, omitted } = await listFilesInDir(tree);
 * console.log(files.map((f) => f.path), omitted); // [ 'go.mod' ] [ { path: '.git', err: 'directory is a version control repository' } ]
 * ```
 */
export async function listFilesInDir(tree: TreeSource): Promise<DirListing> {
  if (tree === null || typeof tree !== 'object' || typeof tree.list !== 'function' || typeof tree.open !== 'function') {
    throw new TypeError('tree must be a TreeSource { list, open }');
  }
  const files: ModuleFile[] = [];
  const omitted: FileError[] = [];
  const walk = async (rel: string, entries: readonly TreeEntry[]): Promise<void> => {
    for (const e of [...entries].sort((a, b) => compareUtf8(a.name, b.name))) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (isVendoredPackage(p)) {
        omitted.push({ path: p, err: 'file is in vendor directory' });
        // Go's walk goes on into a vendored directory (its files are then omitted one by one).
        if (e.kind === 'dir') await walk(p, await tree.list(p));
        continue;
      }
      if (e.kind === 'dir') {
        if (vcsDirs.has(e.name)) {
          omitted.push({ path: p, err: 'directory is a version control repository' });
          continue;
        }
        const children = await tree.list(p);
        if (children.some((c) => c.name === 'go.mod' && c.kind !== 'dir')) {
          omitted.push({ path: p, err: 'directory is in another module' });
          continue;
        }
        await walk(p, children);
        continue;
      }
      if (e.kind !== 'file') {
        omitted.push({ path: p, err: 'not a regular file' });
        continue;
      }
      files.push({ path: p, kind: 'file', size: e.size, open: () => tree.open(p) });
    }
  };
  await walk('', await tree.list(''));
  return { files, omitted };
}

/**
 * checkDir reports which files of a tree a module zip holds, leaves out or refuses, as Go's
 * zip.CheckDir: {@link checkFiles} over {@link listFilesInDir}'s files, with the walk's own
 * omissions appended. Paths stay relative to the tree's root.
 *
 * @example
 * ```ts
 * import { checkDir, type TreeSource } from 'gosumdb/zip';
 * const tree: TreeSource = { list: async () => [{ name: 'x:y.go', kind: 'file', size: 1 }], open: () => new Uint8Array(1) };
 * console.log((await checkDir(tree)).invalid[0]?.err); // malformed file path "x:y.go": invalid char ':'
 * ```
 */
export async function checkDir(tree: TreeSource): Promise<CheckedFiles> {
  const { files, omitted } = await listFilesInDir(tree);
  const { cf } = checkFilesKeep(files);
  return { ...cf, omitted: [...cf.omitted, ...omitted] };
}

/**
 * createFromDir builds the module zip of `path@version` from a directory tree as Go's
 * zip.CreateFromDir: {@link createZip} over {@link listFilesInDir}'s files.
 *
 * @throws every error of {@link createZip}; whatever the tree throws.
 * @example
 * ```ts
 * import { createFromDir, type TreeSource } from 'gosumdb/zip';
 * import { hashZip } from 'gosumdb/dirhash';
 * const gomod = new TextEncoder().encode('module example.com/m\n');
 * const tree: TreeSource = { list: async () => [{ name: 'go.mod', kind: 'file', size: gomod.length }], open: () => gomod };
 * console.log(await hashZip(await createFromDir(tree, 'example.com/m', 'v1.0.0'))); // h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=
 * ```
 */
export async function createFromDir(tree: TreeSource, path: string, version: string, options: CreateOptions = {}): Promise<Uint8Array> {
  const { files } = await listFilesInDir(tree);
  return createZip(path, version, files, options);
}
