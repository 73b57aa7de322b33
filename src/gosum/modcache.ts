// The go command's module cache checked as `go mod verify` does, and beyond: the recorded
// .ziphash, the zip, the extracted directory and the .mod file against each other, against
// go.sum, and against the checksum database. Pure: the file system comes in through ModCacheFS.

import { hashGoMod } from '../dirhash/index.js';
import { decodeUtf8Lossy, trimSpace } from '../internal/bytes.js';
import { errorMessage, GosumdbError, isGosumdbError } from '../internal/errors.js';
import { checkIndex } from '../internal/num.js';
import { escapePath, escapeVersion, unescapePath, unescapeVersion } from '../module/index.js';
import type { Sha256 } from '../internal/sha256.js';
import { notReachedReason } from './audit.js';
import { distinctLines, type GoSum } from './parse.js';

/** ModCacheFS is the file access {@link verifyModCache} needs; paths are joined with `/`. gosumdb/node provides one over node:fs. */
export type ModCacheFS = {
  /** The entries of a directory, or undefined if it does not exist. */
  list(dir: string): Promise<readonly { readonly name: string; readonly dir: boolean }[] | undefined>;
  /** A file's contents, or undefined if it does not exist. */
  read(file: string): Promise<Uint8Array | undefined>;
  /** Whether a file or directory exists. */
  exists(path: string): Promise<boolean>;
  /** The h1 hash of a zip file's contents (Go's dirhash.HashZip). */
  hashZip(file: string): Promise<string>;
  /** The h1 hash of a directory tree whose files are named `prefix/...` (Go's dirhash.HashDir). */
  hashDir(dir: string, prefix: string): Promise<string>;
};

/**
 * ModCacheStatus is the verdict on one cached module version: intact, modified on disk, contradicted by go.sum
 * or the database, or unreadable.
 */
export type ModCacheStatus = 'ok' | 'modified' | 'mismatch' | 'error';

/** ModCacheEntry is what {@link verifyModCache} found for one module version. */
export type ModCacheEntry = {
  readonly path: string;
  readonly version: string;
  /**
   * The worst finding: `modified` (zip or directory differ from the recorded hash), then `mismatch` (go.sum or
   * the database say otherwise), then `error`.
   */
  readonly status: ModCacheStatus;
  /** The hash recorded at download time (`<version>.ziphash`). */
  readonly ziphash?: string;
  /** The hash of `<version>.zip`, if present. */
  readonly zipHash?: string;
  /** The hash of the extracted directory `<path>@<version>`, if present. */
  readonly dirHash?: string;
  /** The go.mod hash of `<version>.mod`, if present (what go.sum's `/go.mod` line must say). */
  readonly modHash?: string;
  /**
   * go.sum's hashes for this version, when `goSum` was given and has them: the first line of each
   * kind, as the go command reads it. Every other line is compared too; one that differs is a
   * `mismatch` problem.
   */
  readonly goSum?: { readonly zip?: string; readonly mod?: string };
  /** The checksum database's hashes, when `lookup` was given (and the module is not skipped). */
  readonly database?: { readonly zip?: string; readonly mod?: string };
  /** True when `lookup` was given but the module matches GONOSUMDB/GOPRIVATE: as the go command does, the database was not asked. */
  readonly databaseSkipped?: true;
  /** One message per problem, `go mod verify`'s wording where it has one ("zip has been modified (...)"). */
  readonly problems: readonly string[];
  /** The status of each problem, in the order of `problems` (`status` is the worst of them). */
  readonly problemStatuses: readonly ModCacheStatus[];
};

/** ModuleVersion names a module version to check. */
export type ModuleVersion = { readonly path: string; readonly version: string };

/** VerifyModCacheOptions configure {@link verifyModCache}. */
export type VerifyModCacheOptions = {
  /** The file system of the module cache. */
  readonly fs: ModCacheFS;
  /** The versions to check (default: every version under `cache/download`). */
  readonly modules?: readonly ModuleVersion[];
  /** go.sum files whose lines must agree with the cache. */
  readonly goSum?: GoSum | readonly GoSum[];
  /** Verified database lookups, as gosumdb/client's `Client.lookup` (go.sum lines for `path`, `version` or `version/go.mod`). */
  readonly lookup?: (path: string, version: string, signal?: AbortSignal) => Promise<string[]>;
  /** Versions checked at once (default 4). */
  readonly concurrency?: number;
  /** SHA-256 for go.mod hashes (default: noble). */
  readonly sha256?: Sha256;
  readonly signal?: AbortSignal;
};

const rank: Record<ModCacheStatus, number> = { ok: 0, error: 1, mismatch: 2, modified: 3 };

function downloadDir(gomodcache: string, path: string): string {
  return `${gomodcache}/cache/download/${escapePath(path)}/@v`;
}

// Every module version with a .zip, .ziphash or .mod under cache/download (the sumdb cache excluded).
async function cachedVersions(fs: ModCacheFS, gomodcache: string): Promise<ModuleVersion[]> {
  const root = `${gomodcache}/cache/download`;
  const out: ModuleVersion[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.list(rel === '' ? root : `${root}/${rel}`);
    for (const e of [...(entries ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!e.dir || (rel === '' && e.name === 'sumdb')) continue;
      if (e.name !== '@v') {
        await walk(rel === '' ? e.name : `${rel}/${e.name}`);
        continue;
      }
      let path: string;
      try {
        path = unescapePath(rel);
      } catch {
        continue; // not a module directory
      }
      const versions = new Set<string>();
      for (const f of (await fs.list(`${root}/${rel}/@v`)) ?? []) {
        const m = /^(.+)\.(zip|ziphash|mod)$/.exec(f.name);
        if (!m || f.dir) continue;
        try {
          versions.add(unescapeVersion(m[1]!));
        } catch {
          // a file that is not named after a version
        }
      }
      for (const version of [...versions].sort()) out.push({ path, version });
    }
  };
  await walk('');
  return out;
}

async function verifyOne(
  gomodcache: string,
  { path, version }: ModuleVersion,
  o: VerifyModCacheOptions,
  sums: readonly GoSum[],
): Promise<ModCacheEntry> {
  const { fs } = o;
  const problems: string[] = [];
  const problemStatuses: ModCacheStatus[] = [];
  let status: ModCacheStatus = 'ok';
  const worse = (s: ModCacheStatus, problem: string) => {
    problems.push(`${path} ${version}: ${problem}`);
    problemStatuses.push(s);
    if (rank[s] > rank[status]) status = s;
  };
  const found: { ziphash?: string; zipHash?: string; dirHash?: string; modHash?: string } = {};
  try {
    const base = `${downloadDir(gomodcache, path)}/${escapeVersion(version)}`;
    const zip = `${base}.zip`;
    const dir = `${gomodcache}/${escapePath(path)}@${escapeVersion(version)}`;
    const mod = await fs.read(`${base}.mod`);
    if (mod !== undefined) found.modHash = await hashGoMod(mod, o.sha256 ? { sha256: o.sha256 } : {});
    const zh = await fs.read(`${base}.ziphash`);
    const hasZip = await fs.exists(zip);
    const hasDir = await fs.exists(dir);
    if (zh === undefined) {
      if (hasZip || hasDir) worse('error', `missing ziphash: open ${base}.ziphash: no such file or directory`);
    } else {
      found.ziphash = trimSpace(decodeUtf8Lossy(zh));
      if (hasZip) {
        found.zipHash = await fs.hashZip(zip);
        if (found.zipHash !== found.ziphash) worse('modified', `zip has been modified (${zip})`);
      }
      if (hasDir) {
        found.dirHash = await fs.hashDir(dir, `${path}@${version}`);
        if (found.dirHash !== found.ziphash) worse('modified', `dir has been modified (${dir})`);
      }
    }
  } catch (e) {
    if (o.signal?.aborted && e === o.signal.reason) throw e;
    worse('error', errorMessage(e));
  }
  const cacheZip = found.ziphash ?? found.zipHash;
  // Every distinct line is compared, not only the first the go command would stop at.
  const listed = distinctLines(sums, path, version);
  for (const { hash: h } of listed.zip)
    if (cacheZip !== undefined && h !== cacheZip) worse('mismatch', `go.sum has ${h} but the module cache has ${cacheZip}`);
  for (const { hash: h } of listed.mod) {
    if (found.modHash !== undefined && h !== found.modHash)
      worse('mismatch', `go.sum has ${h} for go.mod but the module cache's go.mod hashes to ${found.modHash}`);
  }
  const [zip, mod] = [listed.zip[0]?.hash, listed.mod[0]?.hash];
  const sum = zip === undefined && mod === undefined ? undefined : { ...(zip ? { zip } : {}), ...(mod ? { mod } : {}) };
  let database: { zip?: string; mod?: string } | undefined;
  let databaseSkipped = false;
  if (o.lookup) {
    database = {};
    const ask: [keyof typeof database, string, string | undefined][] = [
      ['zip', version, cacheZip],
      ['mod', `${version}/go.mod`, found.modHash],
    ];
    for (const [kind, v, mine] of ask) {
      if (mine === undefined) continue;
      let lines: string[];
      try {
        lines = await o.lookup(path, v, o.signal);
      } catch (e) {
        // A lying database ends the check; an abort too. Anything else is this version's problem.
        if (isGosumdbError(e, 'ERR_SECURITY') || (o.signal?.aborted && e === o.signal.reason)) throw e;
        // GONOSUMDB/GOPRIVATE: the go command never asks the database about this module.
        if (isGosumdbError(e, 'ERR_SKIPPED')) {
          databaseSkipped = true;
          break;
        }
        // The database was not reached: say why in words that are the same for every version, once.
        const why = notReachedReason(e);
        if (why !== undefined) {
          worse('error', `checksum database: ${why}`);
          break;
        }
        worse('error', `checksum database: ${errorMessage(e)}`);
        continue;
      }
      const prefix = `${path} ${v} h1:`;
      const h = lines.find((l) => l.startsWith(prefix))?.slice(prefix.length - 3);
      if (h !== undefined) database[kind] = h;
      if (h !== mine)
        worse(
          'mismatch',
          `the checksum database has ${h ?? 'no hash'} for ${kind === 'mod' ? 'go.mod' : 'the zip'} but the module cache has ${mine}`,
        );
    }
  }
  return {
    path,
    version,
    status,
    ...found,
    ...(sum ? { goSum: sum } : {}),
    ...(database && !databaseSkipped ? { database } : {}),
    ...(databaseSkipped ? { databaseSkipped: true as const } : {}),
    problems,
    problemStatuses,
  };
}

/**
 * verifyModCache does what `go mod verify` does for the go command's module cache, per module
 * version: the downloaded zip and the extracted directory must both hash to the `.ziphash`
 * recorded at download time ("zip has been modified", "dir has been modified", "missing
 * ziphash"). Beyond Go, it reports the hashes themselves and the `.mod` file's go.mod hash, and
 * checks them against `goSum` lines and against the checksum database through `lookup`, which
 * `go mod verify` never does: a cache that agrees with itself can still hold what the database
 * says nobody else got. Without `modules`, every cached version is checked.
 *
 * @throws SecurityError (ERR_SECURITY) from `lookup` when the database is caught forking; the
 *   abort reason when `signal` aborts. Unreadable entries are per-version `error`s.
 * @example
 * ```ts
 * import { verifyModCache, type ModCacheFS } from 'gosumdb/gosum';
 * // An empty module cache.
 * const fs: ModCacheFS = {
 *   list: async () => undefined,
 *   read: async () => undefined,
 *   exists: async () => false,
 *   hashZip: async () => '',
 *   hashDir: async () => '',
 * };
 * console.log((await verifyModCache('/pkg/mod', { fs })).length); // 0
 * ```
 */
export async function verifyModCache(gomodcache: string, options: VerifyModCacheOptions): Promise<ModCacheEntry[]> {
  if (typeof gomodcache !== 'string') throw new TypeError('gomodcache must be a string');
  if (options === null || typeof options !== 'object' || !options.fs) throw new TypeError('verifyModCache needs options.fs');
  const concurrency = options.concurrency ?? 4;
  checkIndex(concurrency, 'concurrency');
  if (concurrency < 1) throw new RangeError('concurrency must be at least 1');
  const root = gomodcache.replace(/\/+$/, '');
  const sums: readonly GoSum[] = options.goSum === undefined ? [] : Array.isArray(options.goSum) ? options.goSum : [options.goSum as GoSum];
  let versions: readonly ModuleVersion[];
  try {
    versions = options.modules ?? (await cachedVersions(options.fs, root));
  } catch (e) {
    if (e instanceof GosumdbError) throw e;
    throw new GosumdbError('ERR_FILE_READ', `listing ${root}/cache/download: ${errorMessage(e)}`, { cause: e });
  }
  const out: ModCacheEntry[] = new Array(versions.length);
  let next = 0;
  const worker = async () => {
    while (next < versions.length) {
      const i = next++;
      out[i] = await verifyOne(root, versions[i]!, options, sums);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, versions.length) }, worker));
  return out;
}
