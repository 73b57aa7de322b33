import { NotFoundError } from '../client/errors.js';
import { remoteTileReader } from '../client/mirrors.js';
import type { RemoteReader } from '../client/ops.js';
import type { SignedTree } from '../client/security.js';
import { equalBytes, latin1, utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { checkIndex, pow2 } from '../internal/num.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { matchPrefixPatterns } from '../module/index.js';
import { newHasher, type Hash, type Hasher } from '../tlog/hash.js';
import { isValidRecordText } from '../tlog/note.js';
import { storedHashIndex, tileHashReader, tilePath, type HashReader, type Tile, type TileReader, type Tree } from '../tlog/index.js';
import type { MonitorFinding } from './findings.js';
import { moduleVersionKey } from './key.js';
import { parseRecordSlowly, parseRecordText, quoteRecord, usualRecordEnd } from './record.js';
import type { MonitorStore, MonitorVersions } from './store.js';
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
  /** Data tiles fetched ahead of the one being checked (default 8). */
  readonly concurrency?: number;
  /** SHA-256 provider (default noble; `gosumdb/node` has node:crypto's `nodeSha256`). */
  readonly sha256?: Sha256;
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

const inconsistent = (why: string) => new GosumdbError('ERR_TILE_INCONSISTENT', `downloaded inconsistent tile: ${why}`);

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
 *   tile contradicts the signed tree, ERR_TILE_DATA_MALFORMED for a data tile that does not parse,
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
  const ahead = options.concurrency ?? 8;
  if (!Number.isInteger(batchTiles) || batchTiles < 1) throw new RangeError('batch must be a positive integer');
  if (!Number.isInteger(ahead) || ahead < 1) throw new RangeError('concurrency must be a positive integer');
  if (options.until !== undefined) checkIndex(options.until, 'until');
  const watch = [...(options.watch ?? [])];
  const sha256 = options.sha256 ?? nobleSha256;
  const hasher = newHasher(sha256);
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

  // Data tiles are fetched `ahead` at a time, in order, while earlier ones are checked.
  const fetches: Promise<TileRecords>[] = [];
  let fetchAt = Math.floor(next / width);
  const fetchMore = (): void => {
    while (fetches.length < ahead && fetchAt * width < total) {
      const t: Tile = { h, l: -1, n: fetchAt, w: Math.min(width, total - fetchAt * width) };
      const p = readDataTile(remote, t, signal);
      p.catch(() => {}); // observed when its turn comes
      fetches.push(p);
      fetchAt++;
    }
  };

  // A record indexed earlier, read again (to compare module versions when a key is seen twice).
  const rereadRecord = (id: number): Promise<Uint8Array> => readProvedRecord(remote, thr, hasher, tree, h, id, signal);

  while (next < total) {
    signal?.throwIfAborted();
    const tiles: ({ tile: Tile } & TileRecords)[] = [];
    for (let n = Math.floor(next / width); tiles.length < batchTiles && n * width < total; n++) {
      fetchMore();
      const tile: Tile = { h, l: -1, n, w: Math.min(width, total - n * width) };
      tiles.push({ tile, ...(await fetches.shift()!) });
    }
    fetchMore();
    await checkTiles(tiles, thr, hasher, tree);

    // Module versions in columns, findings as objects (rare): no object or string per record.
    const cap = tiles.length * width;
    const ids = new Float64Array(cap);
    const keys = new Float64Array(cap);
    const lines = new Uint8Array(cap);
    let count = 0;
    const findings: MonitorFinding[] = [];
    const batchStart = tiles[0]!.tile.n * width;
    let to = next;
    for (const { tile, records, ends } of tiles) {
      for (let i = 0; i < records.length; i++) {
        const id = tile.n * width + i;
        if (id < next) continue;
        const text = records[i]!;
        const end = ends[i]!;
        let path: string | undefined;
        if (end >= 0) {
          ids[count] = id;
          keys[count] = moduleVersionKey(text, 0, end);
          lines[count++] = 3;
          if (watch.length > 0) path = latin1(text.subarray(0, text.indexOf(0x20)));
        } else {
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
          const { version } = moduleVersionOf(text, id);
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
          return moduleVersionOf(t.records[id - t.tile.n * width]!, id);
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

function moduleVersionOf(text: Uint8Array, id: number): { path: string; version: string } {
  const rec = parseRecordText(text);
  if (!rec.ok) throw inconsistent(`record ${id}, indexed as well-formed, reads as malformed`);
  return { path: rec.path, version: rec.version };
}

// readProvedRecord reads record id from its data tile and proves it against the hash tiles of
// tree (read through thr), as every record a monitor reads is.
async function readProvedRecord(
  remote: RemoteReader,
  thr: HashReader,
  hasher: Hasher,
  tree: Tree,
  h: number,
  id: number,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  if (id >= tree.n) throw inconsistent(`record ${id} is not in tree#${tree.n}`);
  const width = pow2(h);
  const n = Math.floor(id / width);
  const { records } = await readDataTile(remote, { h, l: -1, n, w: Math.min(width, tree.n - n * width) }, signal);
  const text = records[id - n * width]!;
  const [want] = await thr.readHashes([storedHashIndex(0, id)]);
  const got = new Uint8Array(32);
  leafHashes(hasher, [text], got);
  if (!equalBytes(got, want!)) throw inconsistent(`record ${id} does not match the hash tiles of tree#${tree.n}`);
  return text;
}

/** FindOptions configure {@link findModuleVersion}. */
export type FindOptions = {
  /** The database's verifier key. */
  readonly key: string;
  /** Reads database paths (`/tile/...`). */
  readonly remote: RemoteReader;
  /** A monitor's state, kept by earlier {@link monitorLog} runs. */
  readonly store: MonitorStore;
  readonly path: string;
  readonly version: string;
  /** Tile height the database serves (default 8). */
  readonly tileHeight?: number;
  /** SHA-256 provider (default noble). */
  readonly sha256?: Sha256;
  readonly signal?: AbortSignal;
};

/** FindResult says which records first held a module version's go.sum lines, as far as a monitor has read. */
export type FindResult = {
  /** The stored signed tree the records were proved against. */
  readonly tree: SignedTree;
  /** Records `0..indexed-1` are indexed: a module version first seen later is not known yet. */
  readonly indexed: number;
  /** The record that first held the module version's zip line, if any indexed record did. */
  readonly zip?: number;
  /** The record that first held its go.mod line. */
  readonly goMod?: number;
};

/**
 * findModuleVersion answers from a monitor's state where a module version is in the log: the
 * records that first held its zip and go.mod lines (a later record holding them again is a
 * `duplicate` finding). The index finds candidates by key; each is read again from the log,
 * proved against the stored signed tree (whose signature is checked again) and compared as
 * text, so the answer is never a key's collision.
 *
 * @throws GosumdbError ERR_STATE_EMPTY for a state no run has committed to; ERR_STATE_CORRUPT
 *   when the index names a record that does not hold the module version; ERR_TILE_INCONSISTENT,
 *   ERR_NOTE_* and transport errors as {@link monitorLog}.
 * @example
 * ```ts
 * import { findModuleVersion, monitorLog, memoryMonitorStore } from 'gosumdb/monitor';
 * import { newTestDatabase, serverRemote } from 'gosumdb/server';
 * const db = newTestDatabase({ synthetic: 600 });
 * const options = { key: db.vkey, remote: serverRemote(db.handle), store: memoryMonitorStore() };
 * await monitorLog(options);
 * const found = await findModuleVersion({ ...options, path: 'example.com/m12', version: 'v1.0.12' });
 * console.log(found.indexed, found.zip, found.goMod); // 600 12 12
 * ```
 */
export async function findModuleVersion(options: FindOptions): Promise<FindResult> {
  const { key, remote, store, path, version, signal } = options;
  if (typeof key !== 'string' || typeof path !== 'string' || typeof version !== 'string')
    throw new TypeError('key, path and version must be strings');
  const h = options.tileHeight ?? 8;
  const sha256 = options.sha256 ?? nobleSha256;
  const { checkpoint } = await store.load();
  if (checkpoint === undefined) throw new GosumdbError('ERR_STATE_EMPTY', 'the monitor state holds no records yet: run the monitor first');
  // The state is a file anyone could edit: its tree's signature is checked again.
  const signed = await timeline([checkpoint.tree.note], false, { key, remote, tileHeight: h, sha256, signal });
  const thr = tileHashReader(signed.tree, remoteTileReader(remote, h, signal), { sha256 });
  const hasher = newHasher(sha256);
  const read = new Map<number, Promise<boolean>>();
  const names = (id: number): Promise<boolean> => {
    let p = read.get(id);
    if (p === undefined) {
      p = readProvedRecord(remote, thr, hasher, signed.tree, h, id, signal).then((text) => {
        const mv = moduleVersionOf(text, id);
        return mv.path === path && mv.version === version;
      });
      read.set(id, p);
    }
    return p;
  };
  const mv = `${path} ${version}`;
  const text = utf8(mv);
  const rows = await store.find(moduleVersionKey(text, 0, text.length), mv);
  let row = rows.byText;
  if (row === undefined && rows.byKey !== undefined && (await names(rows.byKey.zip >= 0 ? rows.byKey.zip : rows.byKey.mod))) {
    row = rows.byKey;
  }
  const ids = row === undefined ? [] : [...new Set([row.zip, row.mod].filter((id) => id >= 0))];
  for (const id of ids) {
    if (!(await names(id))) throw new GosumdbError('ERR_STATE_CORRUPT', `monitor state: record ${id} does not hold ${path}@${version}`);
  }
  return {
    tree: signed,
    indexed: checkpoint.next,
    ...(row !== undefined && row.zip >= 0 ? { zip: row.zip } : {}),
    ...(row !== undefined && row.mod >= 0 ? { goMod: row.mod } : {}),
  };
}

// TileRecords are a data tile's records (views into its data), with where each record's
// "<path> <version>" ends (usualRecordEnd; -1 for another shape).
type TileRecords = { readonly records: Uint8Array[]; readonly ends: Int32Array };

// readDataTile fetches data tile t and splits it into t.w records. A partial tile the server does
// not serve (any more, or never: --until) is cut from the full tile, whose first records it holds.
async function readDataTile(remote: RemoteReader, t: Tile, signal: AbortSignal | undefined): Promise<TileRecords> {
  let tr: TileRecords;
  try {
    tr = splitTile(await remote(`/${tilePath(t)}`, signal));
  } catch (e) {
    const full: Tile = { ...t, w: pow2(t.h) };
    if (!(e instanceof NotFoundError) || t.w === full.w) throw withTile(t, e);
    try {
      tr = splitTile(await remote(`/${tilePath(full)}`, signal));
      tr = { records: tr.records.slice(0, t.w), ends: tr.ends.subarray(0, t.w) };
    } catch (e2) {
      throw withTile(full, e2);
    }
  }
  if (tr.records.length !== t.w) throw inconsistent(`${tilePath(t)} holds ${tr.records.length} records, want ${t.w}`);
  return tr;
}

// splitTile is tlog's splitDataTile with the record checks moved: a record of the usual shape is
// printable ASCII by construction, so only the others are checked byte by byte (measured: the
// byte loop over every record was about 10% of the monitor's CPU time; indexOf is native).
function splitTile(data: Uint8Array): TileRecords {
  const records: Uint8Array[] = [];
  const ends: number[] = [];
  let start = 0;
  while (start < data.length) {
    let i = data.indexOf(0x0a, start);
    while (i >= 0 && data[i + 1] !== 0x0a) i = data.indexOf(0x0a, i + 1);
    if (i < 0) break;
    const text = data.subarray(start, i + 1);
    const end = usualRecordEnd(text);
    if (end < 0 && !isValidRecordText(text)) break;
    records.push(text);
    ends.push(end);
    start = i + 2;
  }
  if (start !== data.length) {
    throw new GosumdbError('ERR_TILE_DATA_MALFORMED', `malformed data tile: bad record ${records.length} at byte ${start}`);
  }
  return { records, ends: Int32Array.from(ends) };
}

function withTile(t: Tile, e: unknown): unknown {
  return e instanceof GosumdbError && !(e instanceof NotFoundError)
    ? new GosumdbError(e.code, `${tilePath(t)}: ${e.message}`, { cause: e })
    : e;
}

// checkTiles proves every record of the data tiles is in tree: a full tile's records must hash to
// the tile's subtree hash (stored at level h of the tree), a partial tile's records to the
// level-0 hashes, all read in one call through a tile hash reader that proves them against the
// tree's signed hash. Hashing: one record hash and about one node hash per record.
async function checkTiles(
  tiles: readonly { readonly tile: Tile; readonly records: readonly Uint8Array[] }[],
  thr: HashReader,
  hasher: Hasher,
  tree: Tree,
): Promise<void> {
  const indexes: number[] = [];
  const got: Hash[] = [];
  const where: string[] = [];
  for (const { tile, records } of tiles) {
    const leaves = new Uint8Array(records.length * 32);
    leafHashes(hasher, records, leaves);
    const start = tile.n * pow2(tile.h);
    if (tile.w === pow2(tile.h)) {
      indexes.push(storedHashIndex(tile.h, tile.n));
      got.push(subtreeHash(hasher, leaves, records.length));
      where.push(tilePath(tile));
    } else {
      for (let i = 0; i < records.length; i++) {
        indexes.push(storedHashIndex(0, start + i));
        got.push(leaves.subarray(32 * i, 32 * i + 32));
        where.push(`record ${start + i} of ${tilePath(tile)}`);
      }
    }
  }
  const want = await thr.readHashes(indexes);
  got.forEach((g, i) => {
    if (!equalBytes(g, want[i]!)) throw inconsistent(`${where[i]!} does not match the hash tiles of tree#${tree.n}`);
  });
}

// RFC 6962 hashes of tile records into a flat buffer (32 bytes each): measured on 300 000
// records, a fresh buffer per digest made hashing about 20% of the monitor's CPU time.
function leafHashes(hasher: Hasher, records: readonly Uint8Array[], out: Uint8Array): void {
  for (let i = 0; i < records.length; i++) hasher.recordInto(records[i]!, out, 32 * i);
}

// subtreeHash folds n (a power of two) leaf hashes in out, in place, into their subtree hash,
// returned as a view of out.
function subtreeHash(hasher: Hasher, out: Uint8Array, n: number): Hash {
  for (; n > 1; n /= 2) {
    for (let i = 0; i < n / 2; i++) hasher.nodeInto(out.subarray(64 * i, 64 * i + 64), out, 32 * i);
  }
  return out.subarray(0, 32);
}

// Tiles verified against the tree are kept (a few hundred at most: the monitor moves right), so
// each hash tile is downloaded once per run; tileHashReader re-proves them on every use anyway.
function cachedTileReader(tr: TileReader): TileReader {
  const verified = new Map<string, Uint8Array>();
  return {
    height: tr.height,
    readTiles: (tiles) => Promise.all(tiles.map(async (t) => verified.get(tilePath(t)) ?? (await tr.readTiles([t]))[0]!)),
    saveTiles: (tiles, data) => {
      tiles.forEach((t, i) => {
        verified.set(tilePath(t), data[i]!);
      });
      while (verified.size > 256) verified.delete(verified.keys().next().value!);
    },
  };
}
