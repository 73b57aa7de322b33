import { equalBytes, utf8 } from '../internal/bytes.js';
import type { Sha256 } from '../internal/sha256.js';
import { WriteConflictError } from './errors.js';

/** RemoteReader fetches one database path ("/latest", "/lookup/...", "/tile/..."); 404/410 throw NotFoundError. */
export type RemoteReader = (path: string, signal?: AbortSignal) => Promise<Uint8Array>;

/**
 * ClientOps is the outside world a {@link Client} works through, as Go's `sumdb.ClientOps` but
 * asynchronous and cancellable: the remote database, two configuration files (the verifier key
 * and the latest signed tree), a cache of verified lookups and tiles, and two reporting hooks.
 * Implementations must be safe for concurrent use by overlapping calls.
 */
export interface ClientOps {
  /** readRemote returns the content served at `path`; NotFoundError (ERR_NOT_FOUND) on 404/410. */
  readRemote(path: string, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * readConfig returns "key" (the verifier key), "<name>/latest" (the latest signed tree, empty if none) or a
   * witness's "<name>/<witness>" (see ClientOptions.witnesses).
   */
  readConfig(file: string): Promise<Uint8Array>;
  /** writeConfig replaces `old` with `data` atomically, or throws WriteConflictError (ERR_WRITE_CONFLICT). */
  writeConfig(file: string, old: Uint8Array, data: Uint8Array): Promise<void>;
  /** readCache returns a cached file ("<name>/lookup/...", "<name>/tile/..."), or undefined if absent. */
  readCache(file: string): Promise<Uint8Array | undefined>;
  /** writeCache stores a cache file; it is only called with data already verified. */
  writeCache(file: string, data: Uint8Array): Promise<void>;
  /** log reports progress for people. */
  log(msg: string): void;
  /** securityError receives the go command's "SECURITY ERROR" report before the client throws SecurityError. */
  securityError(msg: string): void;
  /**
   * sha256, if set, is the SHA-256 provider of the runtime these ops run in; a {@link Client}
   * hashes with it unless `ClientOptions.sha256` says otherwise. `gosumdb/node`'s ops set
   * node:crypto's `nodeSha256`; without it the portable noble one is used.
   */
  readonly sha256?: Sha256;
}

/** MemoryOpsOptions configure {@link memoryOps}. */
export type MemoryOpsOptions = {
  /** The verifier key of the database, e.g. `SUM_GOLANG_ORG_KEY`. */
  readonly key: string;
  /** Where remote paths are read from. */
  readonly remote: RemoteReader;
  /** Initial configuration files beyond "key", e.g. `{ 'sum.golang.org/latest': signedTree }`. */
  readonly config?: Readonly<Record<string, Uint8Array>>;
  /** Receives log messages (default: dropped). */
  readonly log?: (msg: string) => void;
  /** Receives the security report (default: dropped; the client still throws SecurityError). */
  readonly securityError?: (msg: string) => void;
  /** SHA-256 provider the client should hash with (see {@link ClientOps.sha256}; default: none, so noble). */
  readonly sha256?: Sha256;
};

/** MemoryOps is {@link ClientOps} whose configuration and cache live in maps the caller can inspect. */
export type MemoryOps = ClientOps & {
  /** Configuration files by name, including "key" and "<name>/latest". */
  readonly config: Map<string, Uint8Array>;
  /** Cached lookups and tiles by file name. */
  readonly cache: Map<string, Uint8Array>;
};

/**
 * memoryOps returns {@link ClientOps} that keep configuration and cache in memory, for tests,
 * short-lived processes and runtimes without a file system; `remote` supplies the network side.
 * Data is copied in and out so the client never shares buffers with the caller.
 *
 * @example
 * ```ts
 * import { memoryOps } from 'gosumdb/client';
 * import { SUM_GOLANG_ORG_KEY } from 'gosumdb/note';
 * const ops = memoryOps({ key: SUM_GOLANG_ORG_KEY, remote: async () => new Uint8Array() });
 * console.log(new TextDecoder().decode(await ops.readConfig('key')) === SUM_GOLANG_ORG_KEY); // true
 * ```
 */
export function memoryOps(options: MemoryOpsOptions): MemoryOps {
  if (typeof options?.key !== 'string') throw new TypeError('options.key must be a string');
  if (typeof options.remote !== 'function') throw new TypeError('options.remote must be a function');
  const config = new Map<string, Uint8Array>([['key', utf8(options.key)]]);
  for (const [k, v] of Object.entries(options.config ?? {})) config.set(k, v.slice());
  const cache = new Map<string, Uint8Array>();
  const remote = options.remote;
  return {
    config,
    cache,
    readRemote: (path, signal) => remote(path, signal),
    readConfig: async (file) => config.get(file)?.slice() ?? new Uint8Array(0),
    writeConfig: async (file, old, data) => {
      if (file === 'key') throw new TypeError('cannot write key');
      if (!equalBytes(config.get(file) ?? new Uint8Array(0), old)) throw new WriteConflictError();
      config.set(file, data.slice());
    },
    readCache: async (file) => cache.get(file)?.slice(),
    writeCache: async (file, data) => {
      cache.set(file, data.slice());
    },
    log: options.log ?? (() => {}),
    securityError: options.securityError ?? (() => {}),
    ...(options.sha256 === undefined ? {} : { sha256: options.sha256 }),
  };
}
