import { GosumdbError } from '../internal/errors.js';
import { checkModule, checkedFilesError } from '../dirhash/checkzip.js';
import { hash1, type FileContent, type HashOptions } from '../dirhash/hash1.js';
import type { Crc32 } from '../dirhash/crc32.js';
import { checkFilesKeep, type ModuleFile } from './files.js';
import { writeZip } from './writer.js';

/** CreateOptions selects the hash and CRC-32 providers (defaults: the portable ones). */
export type CreateOptions = HashOptions & { readonly crc32?: Crc32 };

/** ModuleContent is one file of a module zip: its full name (`path@version/file`) and content. */
export type ModuleContent = { readonly name: string; readonly data: Uint8Array };

// Reads at most size+1 bytes: more than declared is Go's "larger than declared size".
async function readDeclared(f: ModuleFile): Promise<Uint8Array> {
  const content: FileContent = await f.open();
  const tooLarge = () => new GosumdbError('ERR_MODULE_FILE_SIZE', `file ${JSON.stringify(f.path)} is larger than declared size`);
  if (content instanceof Uint8Array) {
    if (content.length > f.size) throw tooLarge();
    return content.slice();
  }
  const parts: Uint8Array[] = [];
  let n = 0;
  const take = (chunk: Uint8Array) => {
    n += chunk.length;
    if (n > f.size) throw tooLarge();
    parts.push(chunk);
  };
  if (Symbol.asyncIterator in content) for await (const c of content) take(c);
  else for (const c of content) take(c);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * moduleContents checks a module version and its files as Go's zip.Create does, then reads the
 * valid files in order: the content of the module zip, without the zip.
 *
 * @throws GosumdbError `ERR_MODULE_VERSION_INVALID` / `ERR_MODULE_PATH_INVALID` (checked first),
 *   `ERR_ZIP_TOO_LARGE` (the files' sizes add up to more than 500 MiB), `ERR_MODULE_ZIP_INVALID`
 *   (Go's list of invalid files), `ERR_MODULE_FILE_SIZE` (a file holds more than its declared
 *   size); whatever `open` throws.
 * @example
 * ```ts
 * import { moduleContents } from 'gosumdb/zip';
 * const data = new TextEncoder().encode('module example.com/m\n');
 * const files = await moduleContents('example.com/m', 'v1.0.0', [{ path: 'go.mod', kind: 'file', size: data.length, open: () => data }]);
 * console.log(files.map((f) => f.name)); // [ 'example.com/m@v1.0.0/go.mod' ]
 * ```
 */
export async function moduleContents(path: string, version: string, files: readonly ModuleFile[]): Promise<ModuleContent[]> {
  checkModule(path, version);
  const { cf, keep } = checkFilesKeep(files);
  if (cf.sizeError !== undefined) throw new GosumdbError('ERR_ZIP_TOO_LARGE', `create zip: ${cf.sizeError}`);
  const err = checkedFilesError(cf);
  if (err !== undefined) throw new GosumdbError('ERR_MODULE_ZIP_INVALID', `create zip: ${err}`);
  const prefix = `${path}@${version}/`;
  const out: ModuleContent[] = [];
  for (const f of keep) out.push({ name: prefix + f.path, data: await readDeclared(f) });
  return out;
}

/**
 * createZip builds the module zip of `path@version` from a file list, as golang.org/x/mod/zip's
 * Create: the version must be canonical and match the path, the files pass {@link checkFiles}
 * (omitted files are left out), and each valid file is stored under `path@version/`. The zip's
 * `h1:` hash is what the go command records; its bytes differ from Go's (entries are stored, not
 * deflated).
 *
 * @throws every error of {@link moduleContents}.
 * @example
 * ```ts
 * import { createZip } from 'gosumdb/zip';
 * import { hashZip } from 'gosumdb/dirhash';
 * const data = new TextEncoder().encode('module example.com/m\n');
 * const zip = await createZip('example.com/m', 'v1.0.0', [{ path: 'go.mod', kind: 'file', size: data.length, open: () => data }]);
 * console.log(await hashZip(zip)); // h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=
 * ```
 */
export async function createZip(
  path: string,
  version: string,
  files: readonly ModuleFile[],
  options: CreateOptions = {},
): Promise<Uint8Array> {
  return writeZip(await moduleContents(path, version, files), options.crc32);
}

/**
 * hashFiles returns the `h1:` hash of the module zip {@link createZip} would build, without
 * building it: Go's dirhash.Hash1 over the valid files' full names and contents.
 *
 * @throws every error of {@link moduleContents}.
 * @example
 * ```ts
 * import { hashFiles, type ModuleFile } from 'gosumdb/zip';
 * const data = new TextEncoder().encode('module example.com/m\n');
 * const files: ModuleFile[] = [{ path: 'go.mod', kind: 'file', size: data.length, open: () => data }];
 * console.log(await hashFiles('example.com/m', 'v1.0.0', files)); // h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=
 * ```
 */
export async function hashFiles(path: string, version: string, files: readonly ModuleFile[], options: HashOptions = {}): Promise<string> {
  const contents = await moduleContents(path, version, files);
  const byName = new Map(contents.map((c) => [c.name, c.data]));
  return hash1([...byName.keys()], (name) => byName.get(name)!, options);
}
