// The verifying client the commands share: the go command's settings, caches and transport
// assembled into one Client (a CLI concern; library users compose httpOps or diskOps themselves).
import {
  Client,
  mirrorRemote,
  resolveSumDB,
  sumdbRemote,
  type GoEnv,
  type MirrorEndpoint,
  type SumDBConfig,
  type Transport,
} from '../client/index.js';
import { GosumdbError } from '../internal/errors.js';
import { diskOps, goDirs, type GoDirs } from '../node/diskOps.js';
import { httpTransport, type HttpTransportOptions, type ProxySettings } from '../node/http.js';

/** GoSumDBClientOptions configure {@link goSumDBClient}. */
export type GoSumDBClientOptions = {
  /** The go command's settings, e.g. from `readGoEnv` (GOSUMDB, GOPROXY, GONOSUMDB, GOPRIVATE, GOPATH, GOMODCACHE). */
  readonly env: GoEnv & {
    readonly GOPATH?: string | undefined;
    readonly GOMODCACHE?: string | undefined;
    readonly HOME?: string | undefined;
    /** The HTTP(S) proxies to reach the database through (`proxyFromEnv` of gosumdb/node). */
    readonly proxy?: ProxySettings | undefined;
  };
  /** Never use the network: answers come only from the go command's caches (default false). */
  readonly offline?: boolean;
  /** Write verified trees, lookups and tiles into the go command's caches (default false: read only). */
  readonly writable?: boolean;
  /**
   * Remember the latest verified signed tree of the database in this directory (gosumdb's own
   * state, see `stateDir`) and hold every new tree to it and to the go command's own copy, so a
   * database that forks or rolls back between runs is caught (default: nothing is remembered).
   */
  readonly stateDir?: string;
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
  /** Where the latest tree is remembered between runs; undefined when nothing is. */
  readonly stateDir: string | undefined;
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
 * only unless `writable`, and with `stateDir` gosumdb's remembered tree, always written. With
 * `offline`, nothing is fetched: every answer must come from those caches, and a read that would
 * need the network fails with `ERR_OFFLINE`.
 *
 * @throws GosumdbError ERR_GOSUMDB_MALFORMED / ERR_GOPROXY_MALFORMED for unusable settings.
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
    : httpTransport({ ...(env.proxy ? { proxy: env.proxy } : {}), ...options.http });
  const stateDir = options.stateDir;
  if (stateDir !== undefined && typeof stateDir !== 'string') throw new TypeError('stateDir must be a string');
  if (db.off) return { db, dirs, stateDir, client: undefined, endpoint: undefined, transport };
  const remote = sumdbRemote(db, transport);
  const ops = diskOps({
    ...dirs,
    key: db.key,
    remote,
    writable: options.writable ?? false,
    ...(stateDir !== undefined ? { stateDir } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.securityError ? { securityError: options.securityError } : {}),
  });
  const client = new Client(ops, {
    noSumDB: db.noSumDB,
    // The go command's own latest tree is a second witness when gosumdb keeps its own.
    ...(stateDir !== undefined ? { witnesses: ['go-latest'] } : {}),
    ...(options.http?.concurrency ? { concurrency: options.http.concurrency } : {}),
  });
  return { db, dirs, stateDir, client, endpoint: { name: db.url ?? `${db.name} (via GOPROXY)`, read: remote }, transport };
}

/**
 * mirrorEndpoints turns URLs of proxies or copies of the database `name` into endpoints for
 * `checkMirrors` (gosumdb/client), each read through `mirrorRemote` over `transport`.
 */
export function mirrorEndpoints(urls: readonly string[], name: string, transport: Transport): MirrorEndpoint[] {
  return urls.map((url) => ({ name: url, read: mirrorRemote(url, name, transport) }));
}
