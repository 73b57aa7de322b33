import { GosumdbError } from '../internal/errors.js';
import { NotFoundError } from './errors.js';
import { abortable } from './limit.js';
import type { RemoteReader } from './ops.js';
import type { SumDBConfig } from './resolve.js';
import type { Transport } from './transport.js';

/**
 * sumdbRemote returns a {@link RemoteReader} for the database described by `db`, finding the way
 * there as the go command does before the first read: an explicit GOSUMDB URL is used as is;
 * otherwise each GOPROXY entry is asked for `<proxy>/sumdb/<name>/supported`, and the first that
 * answers 200 serves every later request. A 404/410 moves on to the next entry, any other error
 * only after `|`; `direct`, `off` or the end of the list means the database's own URL. A failed
 * discovery is not remembered, so a later read tries again.
 *
 * @throws GosumdbError from the transport (ERR_NOT_FOUND, ERR_HTTP_STATUS, ERR_NETWORK, ...), or
 *   the most useful proxy error when no proxy could be used and the list did not allow going direct.
 * @example
 * ```ts
 * import { resolveSumDB, sumdbRemote } from 'gosumdb/client';
 * const db = resolveSumDB({ GOPROXY: 'https://proxy.example,direct' });
 * const seen: string[] = [];
 * const read = sumdbRemote(db, async (url) => {
 *   seen.push(url);
 *   return new TextEncoder().encode('ok');
 * });
 * await read('/latest');
 * console.log(seen.join(' ')); // https://proxy.example/sumdb/sum.golang.org/supported https://proxy.example/sumdb/sum.golang.org/latest
 * ```
 */
export function sumdbRemote(db: SumDBConfig, get: Transport): RemoteReader {
  if (db.off) throw new RangeError('GOSUMDB=off: there is no checksum database to read');
  return baseRemote(() => (db.url !== undefined ? Promise.resolve(db.url) : probe(db, get)), get);
}

/**
 * baseRemote reads paths below the base URL that `discover` finds before the first read (sumdbRemote
 * and mirrorRemote). The discovery is shared by concurrent reads, so no single caller's signal may
 * cancel it; a failed discovery is not remembered, so a later read tries again.
 */
export function baseRemote(discover: () => Promise<string>, get: Transport): RemoteReader {
  let base: Promise<string> | undefined;
  const findBase = (): Promise<string> => {
    if (!base) {
      const p = discover();
      p.catch(() => {
        if (base === p) base = undefined;
      });
      base = p;
    }
    return base;
  };
  return async (path, signal) => {
    if (typeof path !== 'string') throw new TypeError('path must be a string');
    // URL resolution would fold "." and ".." segments, leaving the database's URL space (or mirror directory).
    if (!path.startsWith('/') || path.split('/').some((seg) => seg === '.' || seg === '..')) {
      throw new RangeError(`database path must be absolute without . or .. segments, got ${JSON.stringify(path)}`);
    }
    return get(joinURL(await abortable(findBase(), signal), path), signal);
  };
}

async function probe(db: SumDBConfig, get: Transport): Promise<string> {
  // Rank of the error to report, as the go command's TryProxies: a proxy's real failure beats
  // "not found", and reaching "direct" beats both (it means: go to the database itself).
  let best: unknown;
  let bestRank: 0 | 1 = 0;
  for (const p of db.proxies) {
    if (p.url === 'direct' || p.url === 'off') {
      // Both end the list and mean "not found here, go direct"; only "direct" overrides a proxy error.
      if (p.url === 'direct' || bestRank === 0) best = undefined;
      break;
    }
    try {
      await get(joinURL(p.url, `sumdb/${db.name}/supported`));
      return joinURL(p.url, `sumdb/${db.name}`);
    } catch (e) {
      if (!(e instanceof GosumdbError)) throw e;
      const notFound = e instanceof NotFoundError;
      if (!notFound || bestRank === 0) best = e;
      if (!notFound) bestRank = 1;
      if (!p.fallBackOnError && !notFound) break;
    }
  }
  if (best === undefined || best instanceof NotFoundError) return db.direct;
  throw best;
}

/** joinURL appends `path` to the path of `base` with exactly one slash between, as Go's web.Join. */
export function joinURL(base: string, path: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch (cause) {
    throw new GosumdbError('ERR_GOSUMDB_MALFORMED', `invalid database URL: ${base}`, { cause });
  }
  u.pathname = `${u.pathname.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
  return u.href;
}
