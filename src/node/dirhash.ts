import { constants, type Dirent } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { decodeUtf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import {
  checkZip,
  dirFiles as coreDirFiles,
  hashDir as coreHashDir,
  hashModuleZip,
  hashZip,
  type CheckedFiles,
  type DirSource,
  type ZipOptions,
} from '../dirhash/index.js';
import { fileSource } from './fileSource.js';
import { nodeCrc32, nodeInflater } from './inflate.js';
import { nodeSha256 } from './sha256.js';

/**
 * nodeZipOptions selects the native backends (node:crypto SHA-256, node:zlib inflate and CRC-32)
 * for the dirhash functions: `hashZip(bytes, nodeZipOptions)`.
 *
 * @example
 * ```ts
 * import { nodeZipOptions } from 'gosumdb/node';
 * import { hashZip } from 'gosumdb/dirhash';
 * const empty = new Uint8Array(22);
 * empty.set([0x50, 0x4b, 0x05, 0x06]);
 * console.log(await hashZip(empty, nodeZipOptions)); // h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export const nodeZipOptions: ZipOptions = { sha256: nodeSha256, inflate: nodeInflater, crc32: nodeCrc32 };

function ioError(what: string, e: unknown): GosumdbError {
  return new GosumdbError('ERR_FILE_READ', `${what}: ${(e as Error).message}`, { cause: e });
}

const chunkSize = 2 ** 20;

async function* readRegular(path: string): AsyncGenerator<Uint8Array> {
  let fh;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (Go would block forever here).
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(`open ${path}`, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new GosumdbError('ERR_DIRHASH_IRREGULAR_FILE', `${path}: not a regular file`);
    const buf = new Uint8Array(Math.min(chunkSize, Math.max(1, st.size)));
    for (;;) {
      let n: number;
      try {
        n = (await fh.read(buf, 0, buf.length, null)).bytesRead;
      } catch (e) {
        throw ioError(`read ${path}`, e);
      }
      if (n === 0) return;
      yield buf.slice(0, n);
    }
  } finally {
    await fh.close();
  }
}

/**
 * nodeDirSource is a {@link DirSource} over a real directory. Like Go's filepath.Walk it does not
 * follow symbolic links while walking; a link is listed as a file and read through (a link to a
 * directory then fails). Unlike Go, a special file (FIFO, device, socket) fails with
 * `ERR_DIRHASH_IRREGULAR_FILE` instead of blocking or reading a device.
 *
 * @example
 * ```ts
 * import { nodeDirSource } from 'gosumdb/node';
 * import { hashDir } from 'gosumdb/dirhash';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const dir = mkdtempSync(join(tmpdir(), 'ex-'));
 * writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n');
 * console.log(await hashDir(nodeDirSource(dir), 'example.com/m@v1.0.0')); // h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=
 * ```
 */
export function nodeDirSource(dir: string): DirSource {
  if (typeof dir !== 'string') throw new TypeError('dir must be a string');
  const abs = (rel: string) => (rel === '' ? dir : join(dir, ...rel.split('/')));
  return {
    async list(rel) {
      if (rel === '') {
        let st;
        try {
          st = await lstat(resolve(dir)); // cleaned first, as Go's walk does: `link/` is the link
        } catch (e) {
          throw ioError(`lstat ${dir}`, e);
        }
        // Go's HashDir walks from lstat too: a symbolic link to a directory is no directory (it panics).
        if (!st.isDirectory())
          throw new GosumdbError('ERR_DIRHASH_NOT_DIR', `${dir}: not a directory${st.isSymbolicLink() ? ' (a symbolic link)' : ''}`);
      }
      let ents: Dirent<Buffer>[];
      try {
        ents = await readdir(abs(rel), { withFileTypes: true, encoding: 'buffer' });
      } catch (e) {
        throw ioError(`open ${abs(rel)}`, e);
      }
      return ents.map((e) => {
        // Go hashes a name's bytes; a name that is not UTF-8 cannot be carried as a string, so it is refused.
        const name = decodeUtf8(e.name);
        if (name === undefined) {
          throw new GosumdbError(
            'ERR_DIRHASH_NAME_NOT_UTF8',
            `${abs(rel)}: a file name is not UTF-8: ${JSON.stringify(e.name.toString('latin1'))}`,
          );
        }
        return { name: sep === '/' ? name : name.replaceAll(sep, '/'), isDir: e.isDirectory() };
      });
    },
    open: (rel) => readRegular(abs(rel)),
  };
}

/**
 * hashDirOnDisk returns the `h1:` hash of a directory on disk as Go's dirhash.HashDir(dir, prefix, Hash1),
 * reading with native SHA-256. See {@link nodeDirSource} for links and special files.
 *
 * @throws GosumdbError `ERR_DIRHASH_NOT_DIR` (also for a symbolic link, as Go walks from lstat),
 *   `ERR_FILE_READ`, `ERR_DIRHASH_IRREGULAR_FILE`, `ERR_DIRHASH_NEWLINE`, `ERR_DIRHASH_NAME_NOT_UTF8`
 *   (Go hashes a name's bytes, which a string cannot carry).
 * @example
 * ```ts
 * import { hashDirOnDisk } from 'gosumdb/node';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const dir = mkdtempSync(join(tmpdir(), 'ex-'));
 * writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n');
 * console.log(await hashDirOnDisk(dir, 'example.com/m@v1.0.0')); // h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=
 * ```
 */
export function hashDirOnDisk(dir: string, prefix: string): Promise<string> {
  return coreHashDir(nodeDirSource(dir), prefix, { sha256: nodeSha256 });
}

/**
 * dirFilesOnDisk lists the files of a directory on disk as Go's dirhash.DirFiles(dir, prefix).
 *
 * @throws GosumdbError `ERR_DIRHASH_NOT_DIR`, `ERR_FILE_READ`.
 * @example
 * ```ts
 * import { dirFilesOnDisk } from 'gosumdb/node';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const dir = mkdtempSync(join(tmpdir(), 'ex-'));
 * writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n');
 * console.log(await dirFilesOnDisk(dir, 'example.com/m@v1.0.0')); // [ 'example.com/m@v1.0.0/go.mod' ]
 * ```
 */
export function dirFilesOnDisk(dir: string, prefix: string): Promise<string[]> {
  return coreDirFiles(nodeDirSource(dir), prefix);
}

async function withFile<T>(path: string, f: (src: Awaited<ReturnType<typeof fileSource>>) => Promise<T>): Promise<T> {
  const src = await fileSource(path);
  try {
    return await f(src);
  } finally {
    await src.close();
  }
}

/**
 * hashZipFile returns the `h1:` hash of a zip file as Go's dirhash.HashZip, streaming it from
 * disk with the native backends (memory stays bounded whatever the zip's size).
 *
 * @throws GosumdbError `ERR_FILE_READ` and every error of `hashZip` from gosumdb/dirhash.
 * @example
 * ```ts
 * import { hashZipFile } from 'gosumdb/node';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const p = join(mkdtempSync(join(tmpdir(), 'ex-')), 'empty.zip');
 * writeFileSync(p, new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]));
 * console.log(await hashZipFile(p)); // h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export function hashZipFile(path: string, options: ZipOptions = {}): Promise<string> {
  return withFile(path, (src) => hashZip(src, { ...nodeZipOptions, ...options }));
}

/**
 * checkZipFile checks a module zip file as Go's zip.CheckZip (see `checkZip` in gosumdb/dirhash).
 *
 * @throws GosumdbError `ERR_FILE_READ` and every error of `checkZip`.
 * @example
 * ```ts
 * import { checkZipFile } from 'gosumdb/node';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const p = join(mkdtempSync(join(tmpdir(), 'ex-')), 'empty.zip');
 * writeFileSync(p, new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]));
 * console.log(await checkZipFile(p, 'example.com/m', 'v1.0.0')); // { valid: [], omitted: [], invalid: [] }
 * ```
 */
export function checkZipFile(path: string, modPath: string, version: string): Promise<CheckedFiles> {
  return withFile(path, (src) => checkZip(src, modPath, version));
}

/**
 * hashModuleZipFile checks a module zip file, then hashes it, streaming with the native backends.
 *
 * @throws GosumdbError `ERR_FILE_READ`, `ERR_MODULE_ZIP_INVALID` and every error of `hashModuleZip`.
 * @example
 * ```ts
 * import { hashModuleZipFile } from 'gosumdb/node';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const p = join(mkdtempSync(join(tmpdir(), 'ex-')), 'empty.zip');
 * writeFileSync(p, new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]));
 * console.log(await hashModuleZipFile(p, 'example.com/m', 'v1.0.0')); // h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export function hashModuleZipFile(path: string, modPath: string, version: string, options: ZipOptions = {}): Promise<string> {
  return withFile(path, (src) => hashModuleZip(src, modPath, version, { ...nodeZipOptions, ...options }));
}
