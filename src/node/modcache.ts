import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashGoMod } from '../dirhash/index.js';
import { decodeUtf8Lossy, trimSpace } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import {
  escapePath,
  escapeVersion,
  verifyModCache as verifyCore,
  type LocalHash,
  type ModCacheEntry,
  type ModCacheFS,
  type VerifyModCacheOptions,
} from '../gosum/index.js';
import { hashDirOnDisk, hashZipFile } from './dirhash.js';
import { readRegularFile } from './fileSource.js';
import { nodeSha256 } from './sha256.js';

export type { ModCacheEntry, ModCacheStatus, ModuleVersion } from '../gosum/index.js';

function downloadDir(gomodcache: string, path: string): string {
  return join(gomodcache, 'cache', 'download', ...escapePath(path).split('/'), '@v');
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new GosumdbError('ERR_FILE_READ', `stat ${p}: ${(e as Error).message}`, { cause: e });
  }
}

async function readText(p: string): Promise<string | undefined> {
  const data = await readRegularFile(p);
  return data === undefined ? undefined : decodeUtf8Lossy(data);
}

async function modHashOf(file: string): Promise<string | undefined> {
  const data = await readRegularFile(file);
  return data === undefined ? undefined : hashGoMod(data, { sha256: nodeSha256 });
}

/**
 * modCacheLocalHash returns a `localHash` for `auditGoSum` (gosumdb/gosum) that hashes the go
 * command's module cache: `<gomodcache>/cache/download/<path>/@v/<version>.zip` (rehashed, or its
 * `.ziphash` when only that is left) for zip lines, and `<version>.mod` for `/go.mod` lines.
 * Versions not in the cache give undefined.
 *
 * @example
 * ```ts
 * import { modCacheLocalHash } from 'gosumdb/node';
 * const local = modCacheLocalHash('/nonexistent/pkg/mod');
 * console.log(await local('rsc.io/quote', 'v1.5.2', 'zip')); // undefined
 * ```
 */
export function modCacheLocalHash(gomodcache: string): LocalHash {
  if (typeof gomodcache !== 'string') throw new TypeError('gomodcache must be a string');
  return async (path, version, kind) => {
    const base = join(downloadDir(gomodcache, path), escapeVersion(version));
    if (kind === 'go.mod') return modHashOf(`${base}.mod`);
    if (await exists(`${base}.zip`)) return hashZipFile(`${base}.zip`);
    const ziphash = await readText(`${base}.ziphash`);
    return ziphash === undefined ? undefined : trimSpace(ziphash);
  };
}

/**
 * nodeModCacheFS is the {@link ModCacheFS} of gosumdb/gosum's `verifyModCache` over node:fs, with
 * native SHA-256 and inflate for the zip and directory hashes.
 *
 * @example
 * ```ts
 * import { nodeModCacheFS } from 'gosumdb/node';
 * console.log(await nodeModCacheFS().exists('/nonexistent/pkg/mod')); // false
 * ```
 */
export function nodeModCacheFS(): ModCacheFS {
  return {
    async list(dir) {
      try {
        return (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, dir: e.isDirectory() }));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw new GosumdbError('ERR_FILE_READ', `read ${dir}: ${(e as Error).message}`, { cause: e });
      }
    },
    read: (file) => readRegularFile(file),
    exists,
    hashZip: (file) => hashZipFile(file),
    hashDir: (dir, prefix) => hashDirOnDisk(dir, prefix),
  };
}

/**
 * verifyModCacheOnDisk does what `go mod verify` does for the go command's module cache, per module
 * version: the downloaded zip and the extracted directory must both hash to the `.ziphash`
 * recorded at download time ("zip has been modified", "dir has been modified", "missing
 * ziphash"). It is gosumdb/gosum's `verifyModCache` over node:fs ({@link nodeModCacheFS}), so
 * it also returns the hashes and checks them against `goSum` lines and the checksum database
 * (`lookup`, e.g. a `Client`'s), which `go mod verify` never does. Without `modules`, every
 * cached version is checked.
 *
 * @throws GosumdbError `ERR_FILE_READ` if the cache cannot be listed; SecurityError from `lookup`.
 * @example
 * ```ts
 * import { verifyModCacheOnDisk } from 'gosumdb/node';
 * const report = await verifyModCacheOnDisk('/nonexistent/pkg/mod');
 * console.log(report.length); // 0
 * ```
 */
export async function verifyModCacheOnDisk(
  gomodcache: string,
  options: Omit<VerifyModCacheOptions, 'fs'> & { readonly fs?: ModCacheFS } = {},
): Promise<ModCacheEntry[]> {
  if (typeof gomodcache !== 'string') throw new TypeError('gomodcache must be a string');
  return verifyCore(gomodcache, { sha256: nodeSha256, ...options, fs: options.fs ?? nodeModCacheFS() });
}
