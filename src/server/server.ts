import { concatBytes, utf8 } from '../internal/bytes.js';
import { errorMessage, GosumdbError } from '../internal/errors.js';
import { unescapePath, unescapeVersion } from '../module/index.js';
import { formatRecord, parseTilePath, type Tile } from '../tlog/index.js';

/**
 * ServerOps is the storage behind a {@link newServer} handler, like Go's `sumdb.ServerOps`:
 * the signed latest tree, the records, the module index and the hash tiles.
 * A missing record or module is reported by throwing a `GosumdbError` with code `ERR_NOT_FOUND`.
 */
export interface ServerOps {
  /** signed returns the signed note of the latest tree. */
  signed(signal?: AbortSignal): Promise<Uint8Array>;
  /** readRecords returns the texts of the `n` records `id` through `id + n - 1`. */
  readRecords(id: number, n: number, signal?: AbortSignal): Promise<Uint8Array[]>;
  /** lookup returns the id of the record for `path@version`. */
  lookup(path: string, version: string, signal?: AbortSignal): Promise<number>;
  /** readTileData returns the content of hash tile `tile` (never called for data tiles). */
  readTileData(tile: Tile, signal?: AbortSignal): Promise<Uint8Array>;
}

/** ServerResponse is one HTTP answer of a {@link Handler}: status, content type, body, extra headers. */
export type ServerResponse = {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
};

/**
 * Handler answers one GET of a checksum database URL path (`/latest`, `/lookup/...`, `/tile/...`),
 * without any I/O of its own: `gosumdb/node`'s `startServer` puts it on a socket, and
 * {@link serverRemote} hands it straight to a client.
 */
export type Handler = (path: string, signal?: AbortSignal) => Promise<ServerResponse>;

/**
 * SERVER_PATHS are the URL path prefixes a checksum database serves (Go's `sumdb.ServerPaths`).
 *
 * @example
 * ```ts
 * import { SERVER_PATHS } from 'gosumdb/server';
 * console.log(SERVER_PATHS.join(' ')); // /lookup/ /latest /tile/
 * ```
 */
export const SERVER_PATHS: readonly string[] = ['/lookup/', '/latest', '/tile/'];

const textPlain = 'text/plain; charset=UTF-8';

// Go's modVerRE: the escaped "path@version" of a lookup, checked before unescaping.
const modVerRE = /^[^@]+@v[0-9]+\.[0-9]+\.[0-9]+(-[^@]*)?(\+incompatible)?$/;

/**
 * textResponse returns an error answer as Go's `http.Error` writes it: the message and a newline,
 * as `text/plain; charset=utf-8`.
 *
 * @example
 * ```ts
 * import { textResponse } from 'gosumdb/server';
 * const res = textResponse(404, '404 page not found');
 * console.log(res.status, res.contentType, JSON.stringify(new TextDecoder().decode(res.body)));
 * // 404 text/plain; charset=utf-8 "404 page not found\n"
 * ```
 */
export function textResponse(status: number, message: string): ServerResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: utf8(`${message}\n`) };
}

// Like Go's reportError: not-found is a 404, any other failure of the ops a 500. An aborted
// request has no one to answer, so its abort reason propagates.
function errorResponse(e: unknown, signal: AbortSignal | undefined, notFound = true): ServerResponse {
  if (signal?.aborted) throw signal.reason;
  const message = errorMessage(e);
  if (notFound && e instanceof GosumdbError && e.code === 'ERR_NOT_FOUND') return textResponse(404, message);
  return textResponse(500, message);
}

/**
 * dataTileContent joins record texts into the body of a data tile (`/tile/H/data/N`) in the form
 * sum.golang.org serves: each record's text followed by one blank line, no record ids
 * (newer x/mod; x/mod v0.7.0's server prefixes each record with its id).
 *
 * @example
 * ```ts
 * import { dataTileContent } from 'gosumdb/server';
 * const te = new TextEncoder();
 * const body = dataTileContent([te.encode('a v1.0.0 h1:x=\n'), te.encode('b v1.0.0 h1:y=\n')]);
 * console.log(JSON.stringify(new TextDecoder().decode(body))); // "a v1.0.0 h1:x=\n\nb v1.0.0 h1:y=\n\n"
 * ```
 */
export function dataTileContent(records: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const r of records) size += r.length + 1;
  const out = new Uint8Array(size);
  let off = 0;
  for (const r of records) {
    out.set(r, off);
    off += r.length;
    out[off++] = 0x0a;
  }
  return out;
}

/**
 * newServer returns the request handler of a checksum database over `ops`, like Go's
 * `sumdb.NewServer`: `/latest` answers the signed tree, `/lookup/<path>@<version>` (escaped as
 * `module.EscapePath`) the record and the signed tree, `/tile/H/L/N[.p/W]` a hash tile and
 * `/tile/H/data/N[.p/W]` the records of a data tile. With `name`, it also answers the proxy paths
 * of `GOPROXY` access to that database: `/sumdb/<name>/supported` and `/sumdb/<name>/<path>`.
 * Statuses follow Go's server: 400 for malformed paths, 404 for unknown modules and records,
 * 500 when `ops` fails.
 *
 * @example
 * ```ts
 * import { newServer, newTestServer } from 'gosumdb/server';
 * import { generateKey } from 'gosumdb/note';
 * const { skey } = generateKey('sumdb.example');
 * const db = newTestServer(skey);
 * db.add('example.com/a', 'v1.0.0', new TextEncoder().encode('example.com/a v1.0.0 h1:x=\n'));
 * const handle = newServer(db, { name: 'sumdb.example' });
 * const res = await handle('/sumdb/sumdb.example/lookup/example.com/a@v1.0.0');
 * console.log(res.status, new TextDecoder().decode(res.body).split('\n')[0]); // 200 0
 * ```
 */
export function newServer(ops: ServerOps, options: { readonly name?: string } = {}): Handler {
  const proxyPrefix = options.name === undefined ? undefined : `/sumdb/${options.name}`;

  async function serve(path: string, signal?: AbortSignal): Promise<ServerResponse> {
    if (path.startsWith('/lookup/')) return lookup(path.slice('/lookup/'.length), signal);
    if (path === '/latest') {
      try {
        return { status: 200, contentType: textPlain, body: (await ops.signed(signal)).slice() };
      } catch (e) {
        return errorResponse(e, signal, false);
      }
    }
    if (path.startsWith('/tile/')) return tile(path.slice(1), signal);
    return textResponse(404, '404 page not found');
  }

  async function lookup(mod: string, signal?: AbortSignal): Promise<ServerResponse> {
    if (!modVerRE.test(mod)) return textResponse(400, 'invalid module@version syntax');
    const at = mod.indexOf('@');
    let id: number;
    try {
      id = await ops.lookup(unescapePath(mod.slice(0, at)), unescapeVersion(mod.slice(at + 1)), signal);
    } catch (e) {
      return errorResponse(e, signal);
    }
    try {
      const records = await ops.readRecords(id, 1, signal);
      if (records.length !== 1) return textResponse(500, 'invalid record count returned by ReadRecords');
      const msg = formatRecord(id, records[0]!);
      const signed = await ops.signed(signal);
      return { status: 200, contentType: textPlain, body: concatBytes(msg, signed) };
    } catch (e) {
      // The lookup found the record, so not-found here is the server's own fault.
      return errorResponse(e, signal, false);
    }
  }

  async function tile(path: string, signal?: AbortSignal): Promise<ServerResponse> {
    let t: Tile;
    try {
      t = parseTilePath(path);
    } catch (e) {
      if (e instanceof GosumdbError) return textResponse(400, 'invalid tile syntax');
      throw e;
    }
    try {
      if (t.l === -1) {
        const records = await ops.readRecords(t.n * 2 ** t.h, t.w, signal);
        if (records.length !== t.w) return textResponse(500, 'invalid record count returned by ReadRecords');
        return { status: 200, contentType: textPlain, body: dataTileContent(records) };
      }
      return { status: 200, contentType: 'application/octet-stream', body: await ops.readTileData(t, signal) };
    } catch (e) {
      return errorResponse(e, signal);
    }
  }

  return async (path, signal) => {
    if (typeof path !== 'string') throw new TypeError('path must be a string');
    if (proxyPrefix !== undefined && path.startsWith(`${proxyPrefix}/`)) {
      const rest = path.slice(proxyPrefix.length);
      if (rest === '/supported') return { status: 200, contentType: textPlain, body: new Uint8Array(0) };
      return serve(rest, signal);
    }
    return serve(path, signal);
  };
}
