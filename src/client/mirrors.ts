// Several endpoints that serve the same checksum database (the database itself and the proxies
// in front of it) must show one history: every signed tree they hand out must be a prefix of
// the largest. Anything else is a fork, reported with the same evidence a Client produces.

import { equalBytes, utf8 } from '../internal/bytes.js';
import { errorMessage, GosumdbError } from '../internal/errors.js';
import { newVerifier, openNote, verifierList } from '../note/index.js';
import { checkTree, proveTree, tileHashReader, tilePath, treeHash, type Hash, type Tile, type TileReader } from '../tlog/index.js';
import { NotFoundError, SecurityError } from './errors.js';
import type { RemoteReader } from './ops.js';
import { baseRemote, joinURL } from './remote.js';
import { formatSecurityError, type SignedTree } from './security.js';
import type { Transport } from './transport.js';
import { parseProvableTree } from '../tlog/note.js';

/** MirrorEndpoint is one place that serves the database's URL space (`/latest`, `/tile/...`), with a label for reports. */
export type MirrorEndpoint = {
  /** How the endpoint is named in reports, usually its URL. */
  readonly name: string;
  /** Reads a database path such as `/latest` from this endpoint. */
  readonly read: RemoteReader;
};

/** MirrorResult is what one endpoint served: its verified signed tree, or why there is none. */
export type MirrorResult = {
  readonly name: string;
  /** The endpoint's latest tree, signature verified, when it could be read. */
  readonly tree?: SignedTree;
  /** Why the endpoint has no verified tree (transport failure, malformed or unsigned note...). */
  readonly error?: GosumdbError;
};

/** MirrorReport is the result of {@link checkMirrors}. */
export type MirrorReport = {
  /** One result per endpoint, in the order given. */
  readonly endpoints: readonly MirrorResult[];
  /** The largest verified tree; every other verified tree was proved to be a prefix of it. */
  readonly largest: SignedTree | undefined;
  /** The endpoint whose tiles proved the others' trees consistent with `largest`. */
  readonly largestFrom: string | undefined;
};

/** CheckMirrorsOptions tune {@link checkMirrors}. */
export type CheckMirrorsOptions = {
  /** Tile height the database serves (default 8, as sum.golang.org). */
  readonly tileHeight?: number;
  /** Receives the go command's "SECURITY ERROR" report before SecurityError is thrown. */
  readonly securityError?: (msg: string) => void;
  readonly signal?: AbortSignal;
};

/**
 * mirrorRemote returns a {@link RemoteReader} for the database `name` at `url`, which may be a
 * proxy or the database itself: if `<url>/sumdb/<name>/supported` answers, reads go to
 * `<url>/sumdb/<name>/...` as the go command reads through a GOPROXY entry; if it answers 404 or
 * 410, `url` is taken to be the database and reads go to `<url>/...`.
 * As with {@link sumdbRemote}, the probe is shared by concurrent reads (one caller's signal does
 * not cancel it) and read paths must be absolute without `.` or `..` segments.
 *
 * @throws GosumdbError ERR_MIRROR_URL_INVALID for a URL that is not http(s):// or file://; the
 *   transport's errors when the probe fails with anything but not-found.
 *   Reads throw RangeError for a path that is not absolute or has `.`/`..` segments.
 * @example
 * ```ts
 * import { mirrorRemote } from 'gosumdb/client';
 * const seen: string[] = [];
 * const read = mirrorRemote('https://proxy.example', 'sum.golang.org', async (url) => {
 *   seen.push(url);
 *   return new Uint8Array();
 * });
 * await read('/latest');
 * console.log(seen[1]); // https://proxy.example/sumdb/sum.golang.org/latest
 * ```
 */
export function mirrorRemote(url: string, name: string, get: Transport): RemoteReader {
  if (typeof url !== 'string' || typeof name !== 'string') throw new TypeError('url and name must be strings');
  if (typeof get !== 'function') throw new TypeError('get must be a Transport function');
  if (!/^(https?|file):/i.test(url) || !URL.canParse(url)) throw new GosumdbError('ERR_MIRROR_URL_INVALID', `invalid mirror URL: ${url}`);
  return baseRemote(async () => {
    const proxied = joinURL(url, `sumdb/${name}`);
    try {
      await get(joinURL(proxied, 'supported'));
      return proxied;
    } catch (e) {
      if (e instanceof NotFoundError) return url;
      throw e;
    }
  }, get);
}

async function readTree(ep: MirrorEndpoint, key: string, signal: AbortSignal | undefined): Promise<MirrorResult> {
  try {
    const note = await ep.read('/latest', signal);
    if (!(note instanceof Uint8Array)) throw new TypeError(`endpoint ${ep.name}: read must return a Uint8Array`);
    const text = openNote(note, verifierList(newVerifier(key))).text;
    return { name: ep.name, tree: { tree: parseProvableTree(utf8(text)), note: note.slice() } };
  } catch (e) {
    if (signal?.aborted && e === signal.reason) throw e;
    if (!(e instanceof GosumdbError)) throw e;
    return { name: ep.name, error: new GosumdbError(e.code, `${ep.name}: reading latest tree: ${e.message}`, { cause: e }) };
  }
}

/**
 * remoteTileReader reads a database's tiles through `read` for a {@link tileHashReader}, which
 * checks each against a signed tree before any hash in it is used (the mirror check and the
 * monitor). A partial tile the endpoint no longer has is cut from the full tile (checked the
 * same way). It saves nothing.
 */
export function remoteTileReader(read: RemoteReader, height: number, signal: AbortSignal | undefined): TileReader {
  const one = async (t: Tile): Promise<Uint8Array> => {
    try {
      return await read(`/${tilePath(t)}`, signal);
    } catch (e) {
      const full: Tile = { ...t, w: 2 ** t.h };
      if (!(e instanceof NotFoundError) || t.w === full.w) throw e;
      const data = await read(`/${tilePath(full)}`, signal);
      return data.length === full.w * 32 ? data.slice(0, t.w * 32) : data;
    }
  };
  return { height, readTiles: (tiles) => Promise.all(tiles.map(one)), saveTiles: () => {} };
}

/**
 * checkMirrors fetches the latest signed tree from every endpoint that serves the same checksum
 * database (the database itself and proxies, see {@link mirrorRemote}), verifies each signature
 * with `key`, and proves that every tree is a prefix of the largest one, using tiles read from
 * the largest tree's endpoint and checked against its signed hash. Two trees that are prefixes of
 * one tree are prefixes of each other, so this proves every pair consistent. Endpoints that
 * cannot be read are reported, not fatal; any disagreement is. Go has no such check; it is the
 * gossip the sumdb design relies on, made explicit.
 *
 * @throws SecurityError (ERR_SECURITY) with the fork evidence when two endpoints serve
 *   inconsistent trees; GosumdbError ERR_KEY_MALFORMED for a bad `key`; ERR_TILE_INCONSISTENT,
 *   ERR_PROOF_INVALID or transport errors when the largest tree's tiles cannot be verified; the
 *   abort reason when `signal` aborts.
 * @example
 * ```ts
 * import { checkMirrors } from 'gosumdb/client';
 * import { generateKey, newSigner, signNote } from 'gosumdb/note';
 * import { formatTree, recordHash } from 'gosumdb/tlog';
 * const { skey, vkey } = generateKey('sumdb.example');
 * const tree = { n: 1, hash: recordHash(new TextEncoder().encode('a v1.0.0 h1:x\n')) };
 * const note = signNote({ text: new TextDecoder().decode(formatTree(tree)) }, newSigner(skey));
 * // Two endpoints serving the same one-record tree; its only tile is the record hash.
 * const serve = async (path: string) => (path === '/latest' ? note : tree.hash);
 * const report = await checkMirrors([{ name: 'a', read: serve }, { name: 'b', read: serve }], vkey);
 * console.log(report.largest?.tree.n, report.endpoints.every((e) => e.tree !== undefined)); // 1 true
 * ```
 */
export async function checkMirrors(
  endpoints: readonly MirrorEndpoint[],
  key: string,
  options: CheckMirrorsOptions = {},
): Promise<MirrorReport> {
  if (!Array.isArray(endpoints)) throw new TypeError('endpoints must be an array');
  if (typeof key !== 'string') throw new TypeError('key must be a string');
  const height = options.tileHeight ?? 8;
  if (!Number.isInteger(height) || height < 1 || height > 30)
    throw new RangeError(`tileHeight must be an integer in 1..30, got ${String(height)}`);
  const dbName = newVerifier(key).name;
  const { signal } = options;
  const results = await Promise.all(endpoints.map((ep) => readTree(ep, key, signal)));
  const ok = results.map((r, i) => ({ r, ep: endpoints[i]! })).filter((x) => x.r.tree !== undefined);
  if (ok.length === 0) return { endpoints: results, largest: undefined, largestFrom: undefined };
  const top = ok.reduce((a, b) => (b.r.tree!.tree.n > a.r.tree!.tree.n ? b : a));
  const largest = top.r.tree!;
  const thr = tileHashReader(largest.tree, remoteTileReader(top.ep.read, height, signal));
  for (const { r } of ok) {
    const t = r.tree!;
    if (t.tree.n === 0 || r === top.r) continue;
    let h: Hash;
    try {
      h = await treeHash(t.tree.n, thr);
    } catch (e) {
      if (e instanceof GosumdbError)
        throw new GosumdbError(e.code, `checking ${r.name} tree#${t.tree.n} against ${top.r.name} tree#${largest.tree.n}: ${e.message}`, {
          cause: e,
        });
      throw e;
    }
    if (equalBytes(h, t.tree.hash)) continue;
    let proof: Hash[] = [];
    let proofError: string | undefined;
    try {
      proof = await proveTree(largest.tree.n, t.tree.n, thr);
      checkTree(proof, largest.tree.n, largest.tree.hash, t.tree.n, h);
    } catch (e) {
      proof = [];
      proofError = errorMessage(e);
    }
    const evidence = { older: t, newer: largest, olderHashInNewer: h, proof, ...(proofError === undefined ? {} : { proofError }) };
    options.securityError?.(formatSecurityError(evidence));
    throw new SecurityError(evidence, {
      message:
        `security error: ${r.name} (tree#${t.tree.n}) and ${top.r.name} (tree#${largest.tree.n}) serve ` +
        `inconsistent histories of ${dbName}`,
    });
  }
  return { endpoints: results, largest, largestFrom: top.r.name };
}
