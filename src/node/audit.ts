import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '../client/client.js';
import { mirrorRemote } from '../client/mirrors.js';
import type { MirrorEndpoint } from '../client/mirrors.js';
import { sumdbRemote } from '../client/remote.js';
import { resolveSumDB, type GoEnv, type SumDBConfig } from '../client/resolve.js';
import type { Transport } from '../client/transport.js';
import { hashGoMod } from '../dirhash/index.js';
import { GosumdbError } from '../internal/errors.js';
import { escapePath, escapeVersion, type LocalHash } from '../gosum/index.js';
import { hashZipFile } from './dirhash.js';
import { diskOps, goDirs, type GoDirs } from './diskOps.js';
import { httpTransport, type HttpTransportOptions } from './http.js';
import { nodeSha256 } from './sha256.js';

/** GoSumDBClientOptions configure {@link goSumDBClient}. */
export type GoSumDBClientOptions = {
  /** The go command's settings, e.g. from `readGoEnv` (GOSUMDB, GOPROXY, GONOSUMDB, GOPRIVATE, GOPATH, GOMODCACHE). */
  readonly env: GoEnv & { readonly GOPATH?: string | undefined; readonly GOMODCACHE?: string | undefined; readonly HOME?: string | undefined };
  /** Never use the network: answers come only from the go command's caches (default false). */
  readonly offline?: boolean;
  /** Write verified trees, lookups and tiles into the go command's caches (default false: read only). */
  readonly writable?: boolean;
  /** HTTP tuning (timeouts, retries, concurrency...). */
  readonly http?: HttpTransportOptions;
  /** Receives log messages. */
  readonly log?: (msg: string) => void;
  /** Receives the go command's "SECURITY ERROR" report. */
  readonly securityError?: (msg: string) => void;
};

/** GoSumDBClient is the checksum database the go command would use, ready to query. */
export type GoSumDBClient = {
  /** Where the database is and which key it must sign with, as `resolveSumDB` decided. */
  readonly db: SumDBConfig;
  /** The go command's directories whose caches are read (and written if `writable`). */
  readonly dirs: GoDirs;
  /** The verifying client; undefined when GOSUMDB=off. */
  readonly client: Client | undefined;
  /** The database as one endpoint (through the GOPROXY list), for `checkMirrors`; undefined when GOSUMDB=off. */
  readonly endpoint: MirrorEndpoint | undefined;
  /** The HTTP GET the client uses, shared with mirror checks. */
  readonly transport: Transport;
};

/**
 * goSumDBClient builds the verifying client the go command would use from its settings: the
 * database and key from GOSUMDB, the way there through GOPROXY, GONOSUMDB/GOPRIVATE skips, and
 * the go command's own caches (`<GOPATH>/pkg/sumdb`, `<GOMODCACHE>/cache/download/sumdb`), read
 * only unless `writable`. With `offline`, nothing is fetched: every answer must come from those
 * caches, and a read that would need the network fails with `ERR_OFFLINE`.
 *
 * @throws GosumdbError ERR_GOSUMDB_MALFORMED / ERR_GOPROXY_MALFORMED for unusable settings.
 * @example
 * ```ts
 * import { goSumDBClient } from 'gosumdb/node';
 * const { db, client } = goSumDBClient({ env: { GOSUMDB: 'sum.golang.org', GOPATH: '/nonexistent' }, offline: true });
 * console.log(db.name, client !== undefined); // sum.golang.org true
 * ```
 */
export function goSumDBClient(options: GoSumDBClientOptions): GoSumDBClient {
  if (options === null || typeof options !== 'object' || options.env === null || typeof options.env !== 'object') {
    throw new TypeError('goSumDBClient needs { env }');
  }
  const env = options.env;
  const db = resolveSumDB(env);
  const dirs = goDirs({ GOPATH: env.GOPATH, GOMODCACHE: env.GOMODCACHE, HOME: env.HOME });
  const transport: Transport = options.offline
    ? async (url) => {
        throw new GosumdbError('ERR_OFFLINE', `offline: ${url} is not in the go command's cache`);
      }
    : httpTransport(options.http);
  if (db.off) return { db, dirs, client: undefined, endpoint: undefined, transport };
  const remote = sumdbRemote(db, transport);
  const ops = diskOps({
    ...dirs,
    key: db.key,
    remote,
    writable: options.writable ?? false,
    ...(options.log ? { log: options.log } : {}),
    ...(options.securityError ? { securityError: options.securityError } : {}),
  });
  const client = new Client(ops, { noSumDB: db.noSumDB, ...(options.http?.concurrency ? { concurrency: options.http.concurrency } : {}) });
  return { db, dirs, client, endpoint: { name: db.url ?? `${db.name} (via GOPROXY)`, read: remote }, transport };
}

/**
 * mirrorEndpoints turns URLs of proxies or copies of the database `name` into endpoints for
 * `checkMirrors` (gosumdb/client), each read through `mirrorRemote` over `transport`.
 *
 * @example
 * ```ts
 * import { mirrorEndpoints, httpTransport } from 'gosumdb/node';
 * const eps = mirrorEndpoints(['https://proxy.golang.org', 'https://sum.golang.org'], 'sum.golang.org', httpTransport());
 * console.log(eps.map((e) => e.name)); // [ 'https://proxy.golang.org', 'https://sum.golang.org' ]
 * ```
 */
export function mirrorEndpoints(urls: readonly string[], name: string, transport: Transport): MirrorEndpoint[] {
  return urls.map((url) => ({ name: url, read: mirrorRemote(url, name, transport) }));
}

async function readIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new GosumdbError('ERR_FILE_READ', `read ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * zipDirLocalHash returns a `localHash` for `auditGoSum` (gosumdb/gosum) over a directory laid
 * out as a GOPROXY (and as `<GOMODCACHE>/cache/download`): `<escaped path>/@v/<escaped
 * version>.zip` is hashed for zip lines (Go's dirhash.HashZip) and `.mod` for `/go.mod` lines.
 * Versions that are not there give undefined.
 *
 * @example
 * ```ts
 * import { zipDirLocalHash } from 'gosumdb/node';
 * const local = zipDirLocalHash('/nonexistent/zips');
 * console.log(await local('rsc.io/quote', 'v1.5.2', 'zip')); // undefined
 * ```
 */
export function zipDirLocalHash(dir: string): LocalHash {
  if (typeof dir !== 'string') throw new TypeError('dir must be a string');
  return async (path, version, kind) => {
    const base = join(dir, ...escapePath(path).split('/'), '@v', escapeVersion(version));
    if (kind === 'go.mod') {
      const data = await readIfExists(`${base}.mod`);
      return data === undefined ? undefined : hashGoMod(data, { sha256: nodeSha256 });
    }
    try {
      await stat(`${base}.zip`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new GosumdbError('ERR_FILE_READ', `stat ${base}.zip: ${(e as Error).message}`, { cause: e });
    }
    return hashZipFile(`${base}.zip`);
  };
}
