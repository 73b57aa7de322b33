import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, delimiter, dirname, join, normalize } from 'node:path';
import { equalBytes } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { WriteConflictError } from '../client/errors.js';
import { resolveGoEnv } from '../gosum/index.js';
import type { ClientOps, RemoteReader } from '../client/ops.js';
import type { Sha256 } from '../internal/sha256.js';
import { readRegularFile } from './fileSource.js';
import { withLockFile } from './lockfile.js';
import { nodeSha256 } from './sha256.js';

/** GoDirs are the two directories the go command keeps checksum-database state in. */
export type GoDirs = {
  /** First GOPATH entry; the latest signed trees live in `<gopath>/pkg/sumdb/<name>/latest`. */
  readonly gopath: string;
  /** GOMODCACHE; verified lookups and tiles live in `<gomodcache>/cache/download/sumdb/<name>/...`. */
  readonly gomodcache: string;
};

/**
 * goDirs finds GOPATH and GOMODCACHE from environment variables as the go command does (through
 * gosumdb/gosum's `resolveGoEnv`): the first entry of GOPATH (default `$HOME/go`), and GOMODCACHE
 * (default `<gopath>/pkg/mod`).
 *
 * @throws GosumdbError ERR_GOPATH_MISSING when there is no usable GOPATH (Go: "missing $GOPATH").
 * @example
 * ```ts
 * import { goDirs } from 'gosumdb/node';
 * console.log(goDirs({ GOPATH: '/home/me/go' }).gomodcache); // /home/me/go/pkg/mod
 * ```
 */
export function goDirs(env: Readonly<Record<string, string | undefined>>): GoDirs {
  const platform = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'darwin' : 'linux';
  const resolved = resolveGoEnv({ env, platform });
  const gopath = resolved.GOPATH.split(delimiter)[0] ?? '';
  if (gopath === '' || resolved.GOMODCACHE === '') {
    throw new GosumdbError('ERR_GOPATH_MISSING', 'could not locate sumdb file: missing $GOPATH');
  }
  return { gopath, gomodcache: resolved.GOMODCACHE };
}

/** DiskOpsOptions configure {@link diskOps}. */
export type DiskOpsOptions = Partial<GoDirs> & {
  /** The verifier key of the database. */
  readonly key: string;
  /** Where remote paths are read from (e.g. `sumdbRemote(db, httpTransport())`). */
  readonly remote: RemoteReader;
  /** Write the latest tree and verified cache files to the go command's directories (default false: reads only, writes stay in memory). */
  readonly writable?: boolean;
  /**
   * gosumdb's own state directory (see `stateDir`): when set, the latest signed tree
   * (`<name>/latest`) is remembered in `<stateDir>/<name>+<key hash>/latest`, always written, and the go
   * command's own `<GOPATH>/pkg/sumdb/<name>/latest` is the configuration file
   * `<name>/go-latest`, a second witness for `ClientOptions.witnesses`. Unless `writable`,
   * verified tiles are kept there too (`<stateDir>/<name>+<key hash>/tile/...`).
   */
  readonly stateDir?: string;
  /** Environment for the default directories (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives log messages. */
  readonly log?: (msg: string) => void;
  /** Receives the go command's "SECURITY ERROR" report. */
  readonly securityError?: (msg: string) => void;
  /** SHA-256 provider the client hashes with (default node:crypto's `nodeSha256`). */
  readonly sha256?: Sha256;
};

/**
 * diskOps returns {@link ClientOps} over the go command's own on-disk state, so an existing Go
 * module cache is reused and audits can run offline: the latest signed tree in
 * `<GOPATH>/pkg/sumdb/<name>/latest` and verified lookups and tiles in
 * `<GOMODCACHE>/cache/download/sumdb/<name>/{lookup,tile}/...`. It only reads the disk unless
 * `writable` is set; otherwise writes are kept in memory for the life of the ops. With `stateDir`,
 * the latest tree is also remembered there, whatever `writable` says. Writes replace files
 * atomically (write then rename); an empty file reads as absent, as in Go. A latest tree is
 * replaced under a lock file shared by every process, only if the file still holds the tree the
 * caller proved its new tree against (compare-and-swap), so concurrent runs never move it back.
 *
 * @throws GosumdbError ERR_GOPATH_MISSING when no directory is given and none can be found;
 *   ERR_CACHE_PATH_UNSAFE for a file name that would leave its directory;
 *   WriteConflictError (ERR_WRITE_CONFLICT) from writeConfig when the stored tree changed.
 * @example
 * ```ts
 * import { diskOps } from 'gosumdb/node';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const gopath = mkdtempSync(join(tmpdir(), 'gopath-'));
 * const ops = diskOps({ key: 'k', remote: async () => new Uint8Array(), gopath, writable: true });
 * await ops.writeCache('sum.golang.org/lookup/x@v1.0.0', new TextEncoder().encode('data'));
 * console.log((await ops.readCache('sum.golang.org/lookup/x@v1.0.0'))?.length); // 4
 * ```
 */
export function diskOps(options: DiskOpsOptions): ClientOps & GoDirs {
  if (typeof options?.key !== 'string') throw new TypeError('options.key must be a string');
  if (typeof options.remote !== 'function') throw new TypeError('options.remote must be a function');
  let gopath = options.gopath;
  let gomodcache = options.gomodcache;
  if (gopath === undefined) {
    const found = goDirs(options.env ?? process.env);
    gopath = found.gopath;
    gomodcache ??= found.gomodcache;
  }
  gomodcache ??= join(gopath, 'pkg', 'mod');
  const sumdbDir = join(gopath, 'pkg', 'sumdb');
  const cacheDir = join(gomodcache, 'cache', 'download', 'sumdb');
  const writable = options.writable ?? false;
  // Writes kept in memory (see `writable`): configuration files by their path, cache files by
  // their name (an audit keeps thousands; measured on 15 000 lookups, keys made by path.join
  // held about 10 MB of string pieces).
  const overlay = new Map<string, Uint8Array>();
  const cacheOverlay = new Map<string, Uint8Array>();
  const key = new TextEncoder().encode(options.key);
  const remote = options.remote;
  let configLock: Promise<void> = Promise.resolve();

  const state = options.stateDir === undefined ? undefined : normalize(options.stateDir);
  // Where a configuration file lives, and whether it is really written.
  const configFile = (file: string): { target: string; onDisk: boolean } => {
    if (state !== undefined && file.endsWith('/go-latest'))
      return { target: safeJoin(sumdbDir, `${file.slice(0, -'go-latest'.length)}latest`), onDisk: writable };
    if (state !== undefined) return { target: inState(file), onDisk: true };
    return { target: safeJoin(sumdbDir, file), onDisk: writable };
  };
  // Without a writable go cache, the verified tiles are kept with the remembered tree: the next
  // run re-checks that tree against them (as the go command does with its cache) before it
  // proves the database's new tree consistent, instead of asking the database for them again.
  const [dbName = '', keyHash = ''] = options.key.split('+');
  const tilePrefix = `${dbName}/tile/`;
  // gosumdb's state is kept per database, that is per key: `<name>+<key hash>/...`, so that a
  // test database that borrows a real name (or a new key) starts its own history.
  const inState = (file: string): string =>
    safeJoin(state!, file.startsWith(`${dbName}/`) ? `${dbName}+${keyHash}${file.slice(dbName.length)}` : file);
  const cached = dirListings(cacheDir);
  const stateFiles = state !== undefined ? dirListings(state) : undefined;
  const stateTile = (file: string): string | undefined =>
    state !== undefined && !writable && file.startsWith(tilePrefix) ? inState(file) : undefined;
  const readConfig = async (file: string): Promise<Uint8Array> => {
    if (file === 'key') return key.slice();
    const { target } = configFile(file);
    return overlay.get(target)?.slice() ?? (await readOrUndefined(target)) ?? new Uint8Array(0);
  };

  return {
    gopath,
    gomodcache,
    readRemote: (path, signal) => remote(path, signal),
    readConfig,
    async writeConfig(file, old, data) {
      if (file === 'key') throw new TypeError('cannot write key');
      const { target, onDisk } = configFile(file);
      const swap = async (): Promise<void> => {
        const current = await readConfig(file);
        if (current.length > 0 && !equalBytes(current, old)) throw new WriteConflictError();
        if (onDisk) await atomicWrite(target, data, true);
        else overlay.set(target, data.slice());
      };
      // Compare-and-swap, serialized within this process by a promise chain and across processes
      // by a lock file, so that the compare and the rename happen with no writer in between.
      const run = configLock.then(async () => {
        if (!onDisk) return swap();
        await mkdirFor(target);
        return withLockFile(`${target}.lock`, swap);
      });
      configLock = run.catch(() => {});
      return run;
    },
    async readCache(file) {
      const target = safeJoin(cacheDir, file);
      const kept = stateTile(file);
      const inMemory = cacheOverlay.get(file);
      // As in Go, a cache file that cannot be read is simply absent.
      let data = inMemory ?? ((await cached.has(target)) ? await readOrUndefined(target).catch(() => undefined) : undefined);
      if ((data === undefined || data.length === 0) && kept !== undefined && (await stateFiles!.has(kept)))
        data = await readOrUndefined(kept).catch(() => undefined);
      return data && data.length > 0 ? data.slice() : undefined;
    },
    async writeCache(file, data) {
      const target = safeJoin(cacheDir, file);
      const kept = stateTile(file);
      if (writable) {
        await atomicWrite(target, data);
        cached.add(target);
      } else if (kept !== undefined) {
        await atomicWrite(kept, data);
        stateFiles!.add(kept);
      } else cacheOverlay.set(file, data.slice());
    },
    log: options.log ?? (() => {}),
    securityError: options.securityError ?? (() => {}),
    sha256: options.sha256 ?? nodeSha256,
  };
}

// dirListings answers "is this file under root there?" from one readdir per directory, each read
// at most once per run and only when its parent lists it: a cold cache costs one failed readdir,
// not one failed open per lookup and tile (measured: 1500 lookups spent ~0.65 s CPU in failed
// opens). Files this process writes are added; files others add meanwhile are missed, which only
// costs a network read (everything read is verified either way).
function dirListings(root: string): { has(path: string): Promise<boolean>; add(path: string): void } {
  const listings = new Map<string, Promise<Set<string> | undefined>>();
  const list = (dir: string): Promise<Set<string> | undefined> => {
    let p = listings.get(dir);
    if (!p) {
      const listed = dir === root ? Promise.resolve(true) : has(dir);
      p = listed.then((yes) =>
        yes
          ? readdir(dir).then(
              (names) => new Set(names),
              () => undefined,
            )
          : undefined,
      );
      listings.set(dir, p);
    }
    return p;
  };
  const has = async (path: string): Promise<boolean> => (await list(dirname(path)))?.has(basename(path)) ?? false;
  const add = (path: string): void => {
    for (let p = path; p !== root && p !== dirname(p); p = dirname(p)) {
      const dir = dirname(p);
      const name = basename(p);
      const before = listings.get(dir);
      if (before !== undefined)
        listings.set(
          dir,
          before.then((set) => (set ?? new Set<string>()).add(name)),
        );
    }
  };
  return { has, add };
}

// File names come from the client (database name, escaped module paths, tile paths); refuse any
// that could climb out of the directory, whatever produced them.
function safeJoin(dir: string, file: string): string {
  const parts = file.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
    throw new GosumdbError('ERR_CACHE_PATH_UNSAFE', `unsafe sumdb file name ${JSON.stringify(file)}`);
  }
  // The parts are plain names, so joining needs no normalizing (path.join builds each result
  // from dozens of string pieces).
  return dir.endsWith('/') ? `${dir}${file}` : `${dir}/${file}`;
}

async function readOrUndefined(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readRegularFile(path);
  } catch (e) {
    // As before, a directory where a file should be is no file; anything else that is not a
    // regular file (a FIFO, /dev/zero) or is too large is an error, never a hang or a huge read.
    const cause = (e as { cause?: { code?: unknown } }).cause;
    if (cause?.code === 'EISDIR') return undefined;
    throw new GosumdbError('ERR_FILE', `reading ${path}: ${(e as Error).message}`, { cause: e });
  }
}

let tmpCounter = 0;

async function mkdirFor(path: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    throw new GosumdbError('ERR_FILE', `creating ${dirname(path)}: ${(e as Error).message}`, { cause: e });
  }
}

// Writes through a temporary file renamed over path, so readers see the old file or the new one.
// A latest tree (`locked`) is written by the lock holder through one temporary name, which the
// next holder replaces (a killed run leaves no temporary files to pile up), and synced before
// the rename so that a crash cannot leave a torn tree either. The temporary file is always a new
// one (O_EXCL): whatever sits at its name (a symbolic link planted in a shared state directory,
// a FIFO) is removed, never followed, truncated or opened.
async function atomicWrite(path: string, data: Uint8Array, locked = false): Promise<void> {
  const tmp = locked ? `${path}.tmp` : `${path}.tmp-${process.pid}-${++tmpCounter}`;
  try {
    if (locked) await unlink(tmp).catch(() => {});
    // The directory usually exists already: made only when the open says it is missing (a
    // mkdir per write was a third of the CPU the audit bench spent writing its ~400 tiles).
    const fh = await open(tmp, 'wx').catch(async (e: unknown) => {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
      await mkdir(dirname(path), { recursive: true });
      return open(tmp, 'wx');
    });
    try {
      await fh.writeFile(data);
      if (locked) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    throw new GosumdbError('ERR_FILE', `writing ${path}: ${(e as Error).message}`, { cause: e });
  }
}
