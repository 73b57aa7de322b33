import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { hashGoMod } from '../dirhash/index.js';
import { GosumdbError } from '../internal/errors.js';
import { escapePath, escapeVersion, unescapePath, unescapeVersion, type LocalHash } from '../gosum/index.js';
import { hashDir, hashZipFile } from './dirhash.js';
import { nodeSha256 } from './sha256.js';

/** ModCacheStatus is the verdict on one module version in the module cache. */
export type ModCacheStatus = 'ok' | 'modified' | 'error';

/** ModCacheEntry is what {@link verifyModCache} found for one module version. */
export type ModCacheEntry = {
  readonly path: string;
  readonly version: string;
  /** `ok`: everything present agrees; `modified`: the zip or the extracted directory differs from the recorded hash; `error`: unreadable or incomplete. */
  readonly status: ModCacheStatus;
  /** The hash recorded at download time (`<version>.ziphash`). */
  readonly ziphash?: string;
  /** The hash of `<version>.zip`, if present. */
  readonly zipHash?: string;
  /** The hash of the extracted directory `<path>@<version>`, if present. */
  readonly dirHash?: string;
  /** The go.mod hash of `<version>.mod`, if present (what go.sum's `/go.mod` line must say). */
  readonly modHash?: string;
  /** Go's `go mod verify` messages ("zip has been modified (...)", "missing ziphash: ..."). */
  readonly problems: readonly string[];
};

/** ModuleVersion names one module version: a module path and its version. */
export type ModuleVersion = { readonly path: string; readonly version: string };

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
  try {
    return await readFile(p, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GosumdbError('ERR_FILE_READ', `read ${p}: ${(e as Error).message}`, { cause: e });
  }
}

async function modHashOf(file: string): Promise<string | undefined> {
  let data: Uint8Array;
  try {
    data = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GosumdbError('ERR_FILE_READ', `read ${file}: ${(e as Error).message}`, { cause: e });
  }
  return hashGoMod(data, { sha256: nodeSha256 });
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
    return (await readText(`${base}.ziphash`))?.trim();
  };
}

// Every module version with a .zip, .ziphash or .mod under cache/download (the sumdb cache excluded).
async function cachedVersions(gomodcache: string): Promise<ModuleVersion[]> {
  const root = join(gomodcache, 'cache', 'download');
  const out: ModuleVersion[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new GosumdbError('ERR_FILE_READ', `read ${dir}: ${(e as Error).message}`, { cause: e });
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = join(dir, e.name);
      if (dir === root && e.name === 'sumdb') continue;
      if (e.name !== '@v') {
        await walk(p);
        continue;
      }
      let path: string;
      try {
        path = unescapePath(relative(root, dir).split(sep).join('/'));
      } catch {
        continue; // not a module directory
      }
      const versions = new Set<string>();
      for (const f of await readdir(p)) {
        const m = /^(.+)\.(zip|ziphash|mod)$/.exec(f);
        if (!m) continue;
        try {
          versions.add(unescapeVersion(m[1]!));
        } catch {
          // a file that is not named after a version
        }
      }
      for (const version of [...versions].sort()) out.push({ path, version });
    }
  };
  await walk(root);
  return out;
}

async function verifyOne(gomodcache: string, { path, version }: ModuleVersion): Promise<ModCacheEntry> {
  const base = join(downloadDir(gomodcache, path), escapeVersion(version));
  const zip = `${base}.zip`;
  const dir = join(gomodcache, `${escapePath(path)}@${escapeVersion(version)}`);
  const problems: string[] = [];
  const found: { ziphash?: string; zipHash?: string; dirHash?: string; modHash?: string } = {};
  let status: ModCacheStatus = 'ok';
  try {
    const modHash = await modHashOf(`${base}.mod`);
    if (modHash !== undefined) found.modHash = modHash;
    const ziphash = (await readText(`${base}.ziphash`))?.trim();
    const hasZip = await exists(zip);
    const hasDir = await exists(dir);
    if (ziphash === undefined) {
      if (hasZip || hasDir) {
        problems.push(`${path} ${version}: missing ziphash: open ${base}.ziphash: no such file or directory`);
        status = 'error';
      }
      return { path, version, status, ...found, problems };
    }
    found.ziphash = ziphash;
    if (hasZip) {
      found.zipHash = await hashZipFile(zip);
      if (found.zipHash !== ziphash) {
        problems.push(`${path} ${version}: zip has been modified (${zip})`);
        status = 'modified';
      }
    }
    if (hasDir) {
      found.dirHash = await hashDir(dir, `${path}@${version}`);
      if (found.dirHash !== ziphash) {
        problems.push(`${path} ${version}: dir has been modified (${dir})`);
        status = 'modified';
      }
    }
  } catch (e) {
    problems.push(`${path} ${version}: ${(e as Error).message}`);
    status = 'error';
  }
  return { path, version, status, ...found, problems };
}

/**
 * verifyModCache does what `go mod verify` does for the go command's module cache, per module
 * version: the downloaded zip and the extracted directory must both hash to the `.ziphash`
 * recorded at download time ("zip has been modified", "dir has been modified", "missing
 * ziphash"). It also returns the hashes themselves (and the `.mod` file's go.mod hash), so they can
 * be compared with go.sum and the checksum database, which `go mod verify` never does: pass
 * {@link modCacheLocalHash} to `auditGoSum` for that. Without `modules`, every cached version is checked.
 *
 * @throws GosumdbError `ERR_FILE_READ` if the cache cannot be listed.
 * @example
 * ```ts
 * import { verifyModCache } from 'gosumdb/node';
 * const report = await verifyModCache('/nonexistent/pkg/mod');
 * console.log(report.length); // 0
 * ```
 */
export async function verifyModCache(
  gomodcache: string,
  options: { readonly modules?: readonly ModuleVersion[]; readonly concurrency?: number } = {},
): Promise<ModCacheEntry[]> {
  if (typeof gomodcache !== 'string') throw new TypeError('gomodcache must be a string');
  const versions = options.modules ?? (await cachedVersions(gomodcache));
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  const out: ModCacheEntry[] = new Array(versions.length);
  let next = 0;
  const worker = async () => {
    while (next < versions.length) {
      const i = next++;
      out[i] = await verifyOne(gomodcache, versions[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, versions.length) }, worker));
  return out;
}
