import { encodeBase64, utf8 } from '../internal/bytes.js';
import { checkIndex } from '../internal/num.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { sleep } from '../internal/sleep.js';
import { generateKey, newSigner } from '../note/index.js';
import { newServer, textResponse, type Handler, type ServerResponse } from './server.js';
import { syntheticModule } from './synthetic.js';
import { newTestServer, type GoSum, type TestServer } from './testserver.js';

/**
 * Mode is how a {@link TestDatabase} behaves:
 * - `honest`: a correct checksum database;
 * - `fork`: serves a second history signed by the same key, in which the last honest record has
 *   other go.sum hashes and one more record follows; a client that trusted an honest tree must
 *   report a security error (a client that never saw the honest history cannot tell);
 * - `bad-record`: records in lookups and data tiles have one hash character changed, the trees
 *   and hash tiles stay honest;
 * - `bad-tile`: every hash tile has its first byte flipped;
 * - `truncated`: every successful body is cut to half its length;
 * - `slow`: every answer waits `slowMs` first (abortable);
 * - `flaky`: the first `flakyFailures` requests of each path fail, alternately with 503 and with
 *   429 plus `Retry-After: 0`;
 * - `growing`: `growBy` records are appended before each `/latest` and `/lookup` answer.
 */
export type Mode = 'honest' | 'fork' | 'bad-record' | 'bad-tile' | 'truncated' | 'slow' | 'flaky' | 'growing';

const modes: readonly Mode[] = ['honest', 'fork', 'bad-record', 'bad-tile', 'truncated', 'slow', 'flaky', 'growing'];

/** TestDatabaseOptions configure {@link newTestDatabase}; all are optional. */
export type TestDatabaseOptions = {
  /** Name of the database, for a generated key (default `sumdb.test`); a given key brings its own. */
  readonly name?: string;
  /** Signer and verifier keys, as `note.generateKey` returns them (default: a new pair named `name`). */
  readonly key?: { readonly skey: string; readonly vkey: string };
  /** Records to append first, in order. */
  readonly records?: Iterable<{ readonly path: string; readonly version: string; readonly text: Uint8Array | string }>;
  /** Number of {@link syntheticModule}s (0..n-1) to append after `records` (default 0). */
  readonly synthetic?: number;
  /** Makes records for lookups of unknown modules, as Go's TestServer; without it they are 404. */
  readonly gosum?: GoSum;
  /** Initial mode (default `honest`); change it later with `setMode`. */
  readonly mode?: Mode;
  /** Milliseconds every answer waits, in any mode (default 0): simulated network latency. */
  readonly latencyMs?: number;
  /** Milliseconds a `slow` answer waits (default 5000). */
  readonly slowMs?: number;
  /** Failed attempts per path in `flaky` mode (default 2). */
  readonly flakyFailures?: number;
  /** Records appended per signed answer in `growing` mode (default 1). */
  readonly growBy?: number;
  /** SHA-256 provider for building the log (default: noble; `gosumdb/node` has a faster one). */
  readonly sha256?: Sha256;
};

/** RequestStats counts the requests a {@link TestDatabase} answered, by kind. */
export type RequestStats = {
  readonly requests: number;
  readonly latest: number;
  readonly lookup: number;
  readonly tile: number;
  readonly dataTile: number;
};

/** TestDatabase is a complete in-memory checksum database for tests and demos, honest or misbehaving. */
export type TestDatabase = {
  /** The database (and key) name. */
  readonly name: string;
  /** The verifier key clients must trust. */
  readonly vkey: string;
  /** The honest log. */
  readonly log: TestServer;
  /** handle answers a request path; proxy paths `/sumdb/<name>/...` are answered too. */
  readonly handle: Handler;
  /** mode returns the current mode. */
  mode(): Mode;
  /** setMode switches the behaviour for the following requests. */
  setMode(mode: Mode): void;
  /** stats returns the request counts since creation or the last `resetStats`. */
  stats(): RequestStats;
  /** resetStats zeroes the request counts. */
  resetStats(): void;
};

/**
 * newTestDatabase returns a checksum database in memory with a fresh (or given) key, prefilled
 * with `records` and `synthetic` modules, answering as the chosen {@link Mode}. Give `handle` to
 * `gosumdb/node`'s `startServer` to serve it on 127.0.0.1, or to {@link serverRemote} to call it
 * directly. Its honest answers are byte for byte those of Go's `sumdb.Server` over
 * `sumdb.TestServer` holding the same records, except data tiles (without record ids, as
 * sum.golang.org serves them).
 *
 * @throws RangeError for a negative or fractional count or delay; TypeError for an unknown mode.
 * @example
 * ```ts
 * import { newTestDatabase } from 'gosumdb/server';
 * const db = newTestDatabase({ synthetic: 1000 });
 * const latest = await db.handle('/latest');
 * console.log(new TextDecoder().decode(latest.body).split('\n')[1]); // 1000
 * db.setMode('flaky');
 * console.log((await db.handle('/latest')).status); // 503
 * ```
 */
export function newTestDatabase(options: TestDatabaseOptions = {}): TestDatabase {
  const keys = options.key ?? generateKey(options.name ?? 'sumdb.test');
  const signer = newSigner(keys.skey);
  const name = signer.name;
  const sha256 = options.sha256 ?? nobleSha256;
  const latencyMs = count(options.latencyMs ?? 0, 'latencyMs');
  const slowMs = count(options.slowMs ?? 5000, 'slowMs');
  const flakyFailures = count(options.flakyFailures ?? 2, 'flakyFailures');
  const growBy = count(options.growBy ?? 1, 'growBy');
  let mode = checkMode(options.mode ?? 'honest');

  const log = newTestServer(signer, options.gosum, { sha256 });
  for (const r of options.records ?? []) log.add(r.path, r.version, typeof r.text === 'string' ? utf8(r.text) : r.text);
  for (let i = 0, n = count(options.synthetic ?? 0, 'synthetic'); i < n; i++) {
    const m = syntheticModule(i, { sha256 });
    log.add(m.path, m.version, m.text);
  }

  const honest = newServer(log, { name });
  const badRecord = newServer(
    { ...log, readRecords: async (id, n, signal) => (await log.readRecords(id, n, signal)).map(tamperRecord) },
    { name },
  );
  const badTile = newServer(
    {
      ...log,
      readTileData: async (t, signal) => {
        const data = (await log.readTileData(t, signal)).slice();
        if (data.length > 0) data[0] = data[0]! ^ 0xff;
        return data;
      },
    },
    { name },
  );
  let fork: { size: number; handle: Handler } | undefined;
  let grown = 0;
  const attempts = new Map<string, number>();
  let stats = zeroStats();

  // The forked history: the honest log with its last record changed, then one record more.
  function forkHandler(): Handler {
    const size = log.size();
    if (fork?.size === size) return fork.handle;
    const other = log.prefix(Math.max(0, size - 1));
    const last = log.records()[size - 1];
    if (last !== undefined) other.add(last.path, last.version, tamperRecord(last.text));
    other.add('fork.example/evil', 'v1.0.0', utf8(`fork.example/evil v1.0.0 h1:${encodeBase64(sha256.hash(utf8('fork')))}\n`));
    fork = { size, handle: newServer(other, { name }) };
    return fork.handle;
  }

  function grow(): void {
    for (let i = 0; i < growBy; i++, grown++) {
      const path = `growing.example/m${grown}`;
      log.add(path, 'v1.0.0', utf8(`${path} v1.0.0 h1:${encodeBase64(sha256.hash(utf8(path)))}\n`));
    }
  }

  function countRequest(path: string): void {
    const kind = requestKind(path, name);
    stats = { ...stats, requests: stats.requests + 1, ...(kind ? { [kind]: stats[kind] + 1 } : {}) };
  }

  async function handle(path: string, signal?: AbortSignal): Promise<ServerResponse> {
    if (typeof path !== 'string') throw new TypeError('path must be a string');
    countRequest(path);
    if (latencyMs > 0) await sleep(latencyMs, signal);
    switch (mode) {
      case 'honest':
        return honest(path, signal);
      case 'fork':
        return forkHandler()(path, signal);
      case 'bad-record':
        return badRecord(path, signal);
      case 'bad-tile':
        return badTile(path, signal);
      case 'truncated': {
        const res = await honest(path, signal);
        return res.status === 200 ? { ...res, body: res.body.slice(0, Math.floor(res.body.length / 2)) } : res;
      }
      case 'slow':
        await sleep(slowMs, signal);
        return honest(path, signal);
      case 'flaky': {
        const n = attempts.get(path) ?? 0;
        if (n >= flakyFailures) return honest(path, signal);
        attempts.set(path, n + 1);
        if (n % 2 === 0) return textResponse(503, 'service unavailable');
        return { ...textResponse(429, 'too many requests'), headers: { 'Retry-After': '0' } };
      }
      case 'growing': {
        const kind = requestKind(path, name);
        if (kind === 'latest' || kind === 'lookup') grow();
        return honest(path, signal);
      }
    }
  }

  return {
    name,
    vkey: keys.vkey,
    log,
    handle,
    mode: () => mode,
    setMode(m) {
      mode = checkMode(m);
      attempts.clear();
    },
    stats: () => stats,
    resetStats() {
      stats = zeroStats();
    },
  };
}

function zeroStats(): RequestStats {
  return { requests: 0, latest: 0, lookup: 0, tile: 0, dataTile: 0 };
}

function requestKind(path: string, name: string): 'latest' | 'lookup' | 'tile' | 'dataTile' | undefined {
  const p = path.startsWith(`/sumdb/${name}/`) ? path.slice(`/sumdb/${name}`.length) : path;
  if (p === '/latest') return 'latest';
  if (p.startsWith('/lookup/')) return 'lookup';
  if (p.startsWith('/tile/')) return /^\/tile\/[0-9]+\/data\//.test(p) ? 'dataTile' : 'tile';
  return undefined;
}

function checkMode(m: Mode): Mode {
  if (!modes.includes(m)) throw new TypeError(`unknown mode ${JSON.stringify(m)}; want one of ${modes.join(', ')}`);
  return m;
}

function count(n: number, what: string): number {
  checkIndex(n, what);
  return n;
}

// tamperRecord changes the first character of the first h1: hash, keeping the line well-formed.
// It searches the bytes, not a decoded string: a record that is not UTF-8 is tampered where it
// says h1:, not at an offset shifted by replacement characters.
function tamperRecord(text: Uint8Array): Uint8Array {
  const out = text.slice();
  let i = 0;
  for (let j = 0; j + 2 < text.length; j++) {
    if (text[j] === 0x68 /* h */ && text[j + 1] === 0x31 /* 1 */ && text[j + 2] === 0x3a /* : */) {
      i = j + 3;
      break;
    }
  }
  if (i < out.length) out[i] = out[i] === 0x41 /* A */ ? 0x42 : 0x41;
  return out;
}
