import { errorMessage, GosumdbError } from '../internal/errors.js';
import { fields, trimSpace } from '../internal/bytes.js';
import { newVerifier, SUM_GOLANG_ORG_KEY } from '../note/index.js';

/** ProxySpec is one GOPROXY entry: a proxy URL, or the keywords `direct` / `off`. */
export type ProxySpec = {
  /** `"direct"`, `"off"`, or an http(s):// or file:// URL. */
  readonly url: string;
  /** True when the entry was followed by `|`: any error moves on to the next entry, not only 404/410. */
  readonly fallBackOnError: boolean;
};

/** SumDBConfig says which checksum database to trust and how to reach it, as the go command decides. */
export type SumDBConfig = {
  /** True for `GOSUMDB=off`: no database is consulted (name, key and direct are then empty). */
  readonly off: boolean;
  /** Database name, e.g. `sum.golang.org`; cache files live under it. */
  readonly name: string;
  /** Verifier key (`name+hash+key`) that every signed tree must carry. */
  readonly key: string;
  /** Explicit URL from `GOSUMDB="<key> <url>"`; when set, proxies are bypassed. */
  readonly url: string | undefined;
  /** The database's own URL, `https://<name>`, used when no proxy serves it. */
  readonly direct: string;
  /** The GOPROXY list, tried in order for `<proxy>/sumdb/<name>/supported`. */
  readonly proxies: readonly ProxySpec[];
  /** Comma-separated GONOSUMDB patterns (GOPRIVATE when GONOSUMDB is unset). */
  readonly noSumDB: string;
};

/** GoEnv is the subset of the go command's environment that {@link resolveSumDB} reads. */
export type GoEnv = {
  readonly GOSUMDB?: string | undefined;
  readonly GOPROXY?: string | undefined;
  readonly GONOSUMDB?: string | undefined;
  readonly GOPRIVATE?: string | undefined;
};

// The go command's built-in keys (cmd/go/internal/modfetch/key.go).
const knownKeys: Readonly<Record<string, string>> = { 'sum.golang.org': SUM_GOLANG_ORG_KEY };

/**
 * resolveSumDB decides, from go environment variables, which checksum database to use and how to
 * reach it, with the go command's rules: GOSUMDB is `off`, a known name (`sum.golang.org`), the
 * alias `sum.golang.google.cn` (same key, other host), a verifier key `name+hash+key`, or
 * `<key-or-name> <url>`; unset or empty means `sum.golang.org`. GOPROXY (default
 * `https://proxy.golang.org,direct`) is split on `,` (fall through on 404/410) and `|` (fall
 * through on any error), ending at `direct` or `off`; GONOSUMDB defaults to GOPRIVATE.
 *
 * @throws GosumdbError ERR_GOSUMDB_MALFORMED ("invalid GOSUMDB: ...", "missing GOSUMDB",
 *   "invalid sumdb name (must be host[/path]): ..."), ERR_GOPROXY_MALFORMED for an unusable GOPROXY.
 * @example
 * ```ts
 * import { resolveSumDB } from 'gosumdb/client';
 * const db = resolveSumDB({ GOPROXY: 'https://proxy.example.com|direct', GOPRIVATE: 'corp.example.com' });
 * console.log(db.name, db.proxies.length, db.noSumDB); // sum.golang.org 2 corp.example.com
 * ```
 */
export function resolveSumDB(env: GoEnv): SumDBConfig {
  if (env === null || typeof env !== 'object') throw new TypeError('env must be an object');
  const gosumdb = str(env.GOSUMDB, 'GOSUMDB') || 'sum.golang.org';
  const noSumDB = str(env.GONOSUMDB, 'GONOSUMDB') || str(env.GOPRIVATE, 'GOPRIVATE');
  const proxies = parseGoProxy(str(env.GOPROXY, 'GOPROXY') || 'https://proxy.golang.org,direct');
  if (gosumdb === 'off') return { off: true, name: '', key: '', url: undefined, direct: '', proxies, noSumDB };

  const f = fields(gosumdb === 'sum.golang.google.cn' ? 'sum.golang.org https://sum.golang.google.cn' : gosumdb);
  if (f.length === 0) throw malformed('missing GOSUMDB');
  if (f.length > 2) throw malformed('invalid GOSUMDB: too many fields');
  const key = knownKeys[f[0]!] ?? f[0]!;
  let name: string;
  try {
    name = newVerifier(key).name;
  } catch (cause) {
    throw malformed(`invalid GOSUMDB: ${errorMessage(cause)}`, cause);
  }
  if (!isSumDBName(name)) throw malformed(`invalid sumdb name (must be host[/path]): ${name}`);
  let url: string | undefined;
  if (f.length === 2) {
    url = f[1]!;
    if (!/^(https?|file):/i.test(url) || !URL.canParse(url)) throw malformed(`invalid GOSUMDB URL: ${url}`);
  }
  return { off: false, name, key, url, direct: `https://${name}`, proxies, noSumDB };
}

function parseGoProxy(goproxy: string): ProxySpec[] {
  const list: ProxySpec[] = [];
  let rest = goproxy;
  while (rest !== '') {
    const i = rest.search(/[,|]/);
    let url = i >= 0 ? rest.slice(0, i) : rest;
    const fallBackOnError = i >= 0 && rest[i] === '|';
    rest = i >= 0 ? rest.slice(i + 1) : '';
    url = trimSpace(url);
    if (url === '') continue;
    if (url === 'off' || url === 'direct') {
      list.push({ url, fallBackOnError });
      break;
    }
    // The go command reads bare "host/path" entries as https URLs; absolute paths stay (and fail below).
    if (/[.:/]/.test(url) && !url.includes(':/') && !url.startsWith('/')) url = `https://${url}`;
    checkProxyURL(url);
    list.push({ url, fallBackOnError });
  }
  if (list.length === 0) {
    throw new GosumdbError('ERR_GOPROXY_MALFORMED', 'GOPROXY list is not the empty string, but contains no entries');
  }
  return list;
}

function checkProxyURL(url: string): void {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) throw new GosumdbError('ERR_GOPROXY_MALFORMED', `invalid proxy URL missing scheme: ${url}`);
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'file') {
    throw new GosumdbError('ERR_GOPROXY_MALFORMED', `invalid proxy URL scheme (must be https, http, file): ${url}`);
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new GosumdbError('ERR_GOPROXY_MALFORMED', `invalid proxy URL: ${url}`, { cause });
  }
  if (scheme === 'file' && (u.search !== '' || u.hash !== '' || u.username !== '' || (u.host !== '' && u.host !== 'localhost'))) {
    throw new GosumdbError('ERR_GOPROXY_MALFORMED', `invalid file:// proxy URL with non-path elements: ${url}`);
  }
}

// Characters Go's url.Parse keeps verbatim in a host and in a path (checked against Go 1.19).
const hostChars = /^[A-Za-z0-9!"$&'()*,\-.:;<=>[\]_~\u0080-\u{10FFFF}]+$/u;
const pathChars = /^[A-Za-z0-9$&,\-./:;=@_~]$/;

/**
 * isSumDBName reports whether `https://<name>` is a plain host[/path] URL, the go command's
 * "no funny business in the database name" rule: no user info, query, fragment, trailing slash,
 * or path that Go would re-escape. Percent signs are refused outright (Go accepts a few escapes
 * that decode and re-encode to themselves; no real database name uses them).
 */
function isSumDBName(name: string): boolean {
  if (name.endsWith('/') || /[%?#]/.test(name)) return false;
  const slash = name.indexOf('/');
  const authority = slash >= 0 ? name.slice(0, slash) : name;
  const path = slash >= 0 ? name.slice(slash) : '';
  const close = authority.indexOf(']');
  const colon = authority.lastIndexOf(':');
  const port = authority.startsWith('[') ? (close < 0 ? 'x' : authority.slice(close + 1)) : colon < 0 ? '' : authority.slice(colon);
  return /^(:[0-9]*)?$/.test(port) && hostChars.test(authority) && [...path].every((ch) => pathChars.test(ch));
}

function str(v: unknown, what: string): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new TypeError(`${what} must be a string`);
  return v;
}

function malformed(message: string, cause?: unknown): GosumdbError {
  return new GosumdbError('ERR_GOSUMDB_MALFORMED', message, cause === undefined ? undefined : { cause });
}
