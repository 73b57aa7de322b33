import { remoteTileReader } from '../client/mirrors.js';
import type { RemoteReader } from '../client/ops.js';
import type { SignedTree } from '../client/security.js';
import { latin1, utf8 } from '../internal/bytes.js';
import { checkIndex, pow2 } from '../internal/num.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { matchPrefixPatterns } from '../module/index.js';
import { newHasher } from '../tlog/hash.js';
import { tileHashReader, type Tile } from '../tlog/index.js';
import type { MonitorFinding } from './findings.js';
import { moduleVersionKey } from './key.js';
import { parseRecordSlowly, quoteRecord } from './record.js';
import type { MonitorStore, MonitorVersions } from './store.js';
import {
  cachedTileReader,
  checkTiles,
  moduleVersionOf,
  readDataTile,
  readProvedRecord,
  threadTileHasher,
  tileRecord,
  type HashedTile,
  type TileHasher,
} from './tiles.js';
import { timeline } from './timeline.js';

/** MonitorProgress reports how far a {@link monitorLog} run has got. */
export type MonitorProgress = {
  /** Records verified and indexed, from the start of the log. */
  readonly records: number;
  /** Records this run will have read when it is done. */
  readonly total: number;
  /** Records at the start of this run (for a rate). */
  readonly startedAt: number;
};

/** MonitorOptions configure {@link monitorLog}. */
export type MonitorOptions = {
  /** The database's verifier key (e.g. `SUM_GOLANG_ORG_KEY`). */
  readonly key: string;
  /** Reads database paths (`/latest`, `/tile/...`). */
  readonly remote: RemoteReader;
  /** Where the checkpoint, the index of module versions and the findings are kept. */
  readonly store: MonitorStore;
  /** Module path prefixes (GOPRIVATE-style patterns, one each) whose records are reported as `watch` findings. */
  readonly watch?: readonly string[];
  /** Stop after this many records of the log (default: the whole signed tree). */
  readonly until?: number;
  /** Tile height the database serves (default 8, as sum.golang.org). */
  readonly tileHeight?: number;
  /**
   * Data tiles per committed batch (default 16). Measured, 10 million records: 32 tiles kept
   * more records alive across awaits, 290 MB of peak RSS and 49 CPU s against 275 MB and 45 s.
   */
  readonly batch?: number;
  /**
   * Data tiles fetched (and hashed) ahead of the one being checked (default 32). Measured, 1
   * million records, hashing in a worker thread: 8 took 2.12 s, 32 1.89-1.93 s (+5-9 MB of RSS).
   */
  readonly concurrency?: number;
  /** SHA-256 provider (default noble; `gosumdb/node` has node:crypto's `nodeSha256`). */
  readonly sha256?: Sha256;
  /**
   * Reads each data tile (records split, checked, keyed and hashed) as soon as it arrives
   * (default: in this thread, with `sha256`); `gosumdb/node`'s `workerTileHasher` does it beside
   * the monitor in worker threads. Whoever computes them, the hashes are checked against the
   * signed tree here.
   */
  readonly tileHasher?: TileHasher;
  /**
   * Called once per batch with its findings, once they are committed; when it returns (or its
   * promise settles) they are marked reported. A process killed between the two shows them
   * again on its next run, so a caller should write them out at once and resolve when they are
   * out of the process (the CLI writes each batch with one write and waits for it to reach the
   * pipe or file): marked while still queued in the process, a kill would lose them.
   */
  readonly onFindings?: (fs: readonly MonitorFinding[]) => void | Promise<void>;
  /** Called after each batch. */
  readonly onProgress?: (p: MonitorProgress) => void;
  /** Receives the go command's "SECURITY ERROR" report before a fork's SecurityError is thrown. */
  readonly securityError?: (msg: string) => void;
  readonly signal?: AbortSignal;
};

/** MonitorResult says what one {@link monitorLog} run saw. */
export type MonitorResult = {
  /** The latest signed tree, verified and consistent with the stored one. */
  readonly tree: SignedTree;
  /** Records verified and indexed so far, from the start of the log. */
  readonly records: number;
  /** Records already verified and indexed when this run started (from the store's checkpoint). */
  readonly startedAt: number;
  /** Findings reported by this run (including those a killed run committed but did not report). */
  readonly findings: { readonly duplicate: number; readonly malformed: number; readonly watch: number };
};

/**
 * monitorLog reads a checksum database's whole log, or the part added since the stored
 * checkpoint, and checks it as a log monitor: the latest signed tree is verified and proved
 * consistent with the stored one (a fork throws SecurityError with the evidence, as a client
 * does); every data tile is hashed and checked against the hash tiles of that tree, which are
 * themselves proved against its signed hash, so every record read is in the signed log; each
 * record is read as go.sum lines, reporting malformed records, duplicate module versions
 * anywhere in the log, and records under watched module path prefixes. Results and progress are
 * committed to the store per batch of data tiles, atomically, so a killed run resumes where its
 * last batch ended.
 *
 * @throws SecurityError (ERR_SECURITY) for a fork; GosumdbError ERR_TILE_INCONSISTENT when a
 *   tile contradicts the signed tree (a data tile that does not split into its records too),
 *   ERR_NOTE_* / ERR_TREE_* for a bad signed tree, transport errors; the signal's reason.
 * @example
 * ```ts
 * import { monitorLog, memoryMonitorStore, formatFinding, type MonitorFinding } from 'gosumdb/monitor';
 * import { newTestDatabase, serverRemote } from 'gosumdb/server';
 * const db = newTestDatabase({ synthetic: 600 });
 * const store = memoryMonitorStore();
 * const found: string[] = [];
 * const onFindings = (fs: readonly MonitorFinding[]) => {
 *   found.push(...fs.map(formatFinding));
 * };
 * const r = await monitorLog({ key: db.vkey, remote: serverRemote(db.handle), store, watch: ['example.com/m12'], onFindings });
 * console.log(r.records, found); // 600 [ 'watch: record 12: example.com/m12@v1.0.12 (matches example.com/m12)' ]
 * ```
 */
export async function monitorLog(options: MonitorOptions): Promise<MonitorResult> {
  const { key, remote, store, signal } = options;
  if (typeof key !== 'string') throw new TypeError('key must be a string');
  if (typeof remote !== 'function') throw new TypeError('remote must be a function');
  const h = options.tileHeight ?? 8;
  if (!Number.isInteger(h) || h < 1 || h > 30) throw new RangeError(`tileHeight must be an integer in 1..30, got ${String(h)}`);
  const batchTiles = options.batch ?? 16;
  const ahead = options.concurrency ?? 32;
  if (!Number.isInteger(batchTiles) || batchTiles < 1) throw new RangeError('batch must be a positive integer');
  if (!Number.isInteger(ahead) || ahead < 1) throw new RangeError('concurrency must be a positive integer');
  if (options.until !== undefined) checkIndex(options.until, 'until');
  const watch = [...(options.watch ?? [])];
  const sha256 = options.sha256 ?? nobleSha256;
  const hasher = newHasher(sha256);
  const tileHasher = options.tileHasher ?? threadTileHasher(sha256);
  const counts = { duplicate: 0, malformed: 0, watch: 0 };

  // Findings are shown in record order, all of those below `through` at once, then marked.
  const report = async (fs: readonly MonitorFinding[], through: number): Promise<void> => {
    if (fs.length === 0) return;
    for (const f of fs) counts[f.kind]++;
    await options.onFindings?.(fs);
    await store.markReported(through);
  };

  const loaded = await store.load();
  await report(loaded.unreported, loaded.checkpoint?.next ?? 0);
  let next = loaded.checkpoint?.next ?? 0;

  // The client's own path for trees: the stored tree's signature is checked again, the
  // database's latest tree is verified and the stored one proved a prefix of it.
  const latest = await timeline(loaded.checkpoint ? [loaded.checkpoint.tree.note] : [], true, {
    key,
    remote,
    tileHeight: h,
    sha256,
    signal,
    ...(options.securityError ? { securityError: options.securityError } : {}),
  });
  if (!loaded.checkpoint || latest.tree.n !== loaded.checkpoint.tree.tree.n) {
    const none: MonitorVersions = {
      count: 0,
      ids: new Float64Array(0),
      keys: new Float64Array(0),
      lines: new Uint8Array(0),
      moduleVersion: async (id) => {
        throw new RangeError(`record ${id} is not in this batch`);
      },
    };
    await store.commit({ checkpoint: { tree: latest, next }, versions: none, findings: [] });
  }
  const tree = latest.tree;
  const total = Math.min(tree.n, options.until ?? tree.n);
  const startedAt = next;
  store.reserve?.(total);
  const thr = tileHashReader(tree, cachedTileReader(remoteTileReader(remote, h, signal)), { sha256 });
  const width = pow2(h);

  // Data tiles are fetched `ahead` at a time, in order, and read (split, keyed, hashed) as they
  // arrive, while earlier ones are checked.
  const fetches: Promise<HashedTile>[] = [];
  let fetchAt = Math.floor(next / width);
  const fetchMore = (): void => {
    while (fetches.length < ahead && fetchAt * width < total) {
      const t: Tile = { h, l: -1, n: fetchAt, w: Math.min(width, total - fetchAt * width) };
      const p = readDataTile(remote, t, signal, tileHasher.hashTile);
      p.catch(() => {}); // observed when its turn comes
      fetches.push(p);
      fetchAt++;
    }
  };

  // A record indexed earlier, read again (to compare module versions when a key is seen twice).
  // The last data tiles read again are kept: a log with many duplicates of records in one old tile
  // reads that tile once (each record read is still proved on its own).
  const kept = new Map<string, Promise<Uint8Array>>();
  const keptRemote: RemoteReader = (path, s) => {
    let p = kept.get(path);
    if (p === undefined) {
      p = remote(path, s);
      kept.set(path, p);
      p.catch(() => kept.delete(path));
      if (kept.size > 16) kept.delete(kept.keys().next().value!);
    }
    return p;
  };
  const rereadRecord = (id: number): Promise<Uint8Array> => readProvedRecord(keptRemote, thr, hasher, tree, h, id, signal);

  while (next < total) {
    signal?.throwIfAborted();
    const tiles: ({ tile: Tile } & HashedTile)[] = [];
    for (let n = Math.floor(next / width); tiles.length < batchTiles && n * width < total; n++) {
      fetchMore();
      const tile: Tile = { h, l: -1, n, w: Math.min(width, total - n * width) };
      tiles.push({ tile, ...(await fetches.shift()!) });
    }
    fetchMore();
    await checkTiles(tiles, thr, tree);

    // Module versions in columns, findings as objects (rare): no object or string per record.
    const cap = tiles.length * width;
    const ids = new Float64Array(cap);
    const keys = new Float64Array(cap);
    const lines = new Uint8Array(cap);
    let count = 0;
    const findings: MonitorFinding[] = [];
    const batchStart = tiles[0]!.tile.n * width;
    let to = next;
    for (const t of tiles) {
      const { tile } = t;
      for (let i = 0; i < tile.w; i++) {
        const id = tile.n * width + i;
        if (id < next) continue;
        const end = t.ends[i]!;
        let path: string | undefined;
        if (end >= 0) {
          ids[count] = id;
          keys[count] = t.keys[i]!;
          lines[count++] = 3;
          if (watch.length > 0) path = latin1(t.data.subarray(t.starts[i]!, t.data.indexOf(0x20, t.starts[i]!)));
        } else {
          const text = tileRecord(t, i);
          const rec = parseRecordSlowly(text);
          if (!rec.ok) {
            findings.push({ kind: 'malformed', id, reason: rec.reason, text: quoteRecord(text) });
            continue;
          }
          const mv = utf8(`${rec.path} ${rec.version}`);
          ids[count] = id;
          keys[count] = moduleVersionKey(mv, 0, mv.length);
          lines[count++] = rec.lines.reduce((bits, l) => bits | (l.kind === 'zip' ? 1 : 2), 0);
          path = rec.path;
        }
        const pattern = path === undefined ? undefined : watch.find((p) => matchPrefixPatterns(p, path));
        if (pattern !== undefined) {
          const { version } = moduleVersionOf(tileRecord(t, i), id);
          findings.push({ kind: 'watch', id, path: path!, version, pattern });
        }
      }
      to = tile.n * width + tile.w;
    }
    const versions: MonitorVersions = {
      count,
      ids,
      keys,
      lines,
      moduleVersion: async (id) => {
        checkIndex(id, 'id');
        if (id >= batchStart && id < to) {
          const t = tiles[Math.floor((id - batchStart) / width)]!;
          return moduleVersionOf(tileRecord(t, id - t.tile.n * width), id);
        }
        return moduleVersionOf(await rereadRecord(id), id);
      },
    };
    const found = await store.commit({ checkpoint: { tree: latest, next: to }, versions, findings });
    next = to;
    await report(found, to);
    options.onProgress?.({ records: next, total, startedAt });
  }
  return { tree: latest, records: next, startedAt, findings: counts };
}
