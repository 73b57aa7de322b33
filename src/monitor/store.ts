import type { SignedTree } from '../client/security.js';
import { findingKey, type MonitorFinding } from './findings.js';
import { newVersionIndex, type VersionRow } from './versionIndex.js';

/** MonitorCheckpoint is how far a monitor has got: the latest signed tree it verified and the records it has read. */
export type MonitorCheckpoint = {
  /** The latest signed tree, signature verified and proved consistent with every earlier one. */
  readonly tree: SignedTree;
  /** Records `0..next-1` have been verified against a signed tree and indexed. */
  readonly next: number;
};

/**
 * MonitorVersions are the module versions of a batch's well-formed records, one entry per record,
 * in log order, held in columns (a full sync indexes tens of millions: no object per record).
 */
export type MonitorVersions = {
  /** Entries in the columns (the arrays may be longer). */
  readonly count: number;
  /** Each entry's record id. */
  readonly ids: Float64Array;
  /** Each entry's {@link moduleVersionKey}: a 53-bit hash of `"<path> <version>"`. */
  readonly keys: Float64Array;
  /** Each entry's go.sum lines: 1 the zip line, 2 the go.mod line, 3 both. */
  readonly lines: Uint8Array;
  /**
   * moduleVersion returns the module version of record `id`, of this batch or any earlier one
   * (read again from the log and proved if need be). A store asks for it only when a key is
   * already indexed, to tell a duplicate from two module versions whose keys collide.
   */
  readonly moduleVersion: (id: number) => Promise<{ readonly path: string; readonly version: string }>;
};

/** MonitorBatch is what one step of a monitor commits at once. */
export type MonitorBatch = {
  /** The checkpoint after this batch. */
  readonly checkpoint: MonitorCheckpoint;
  /** The module versions of the batch's records, to index. */
  readonly versions: MonitorVersions;
  /** Findings the monitor made itself (malformed records, watched paths). */
  readonly findings: readonly MonitorFinding[];
};

/**
 * MonitorStore keeps a monitor's state across runs, for one database (named by its verifier key):
 * the checkpoint, the index of module versions seen (to find duplicates anywhere in the log), and
 * the findings with whether each has been reported. Each `commit` is atomic: after a crash at
 * any moment the store holds either the whole batch or none of it, so a restarted monitor
 * re-reads exactly the records whose results were lost and reports nothing twice.
 */
export interface MonitorStore {
  /** load returns the checkpoint (undefined for a new store) and the findings committed but not yet reported. */
  load(): Promise<{ readonly checkpoint: MonitorCheckpoint | undefined; readonly unreported: readonly MonitorFinding[] }>;
  /**
   * commit indexes `batch.versions`, finds the duplicates among them (a line whose module
   * version and kind is already indexed, from this batch or any earlier one), stores them with
   * `batch.findings` as unreported, and moves the checkpoint; all or nothing. It returns every
   * finding it stored, in record order. Keys only find candidates: a key already indexed for
   * another record is a duplicate only if both records name the same module version (see
   * `indexVersion` in versionIndex.ts); a line already indexed for the same record (a batch committed
   * again) is no finding.
   */
  commit(batch: MonitorBatch): Promise<readonly MonitorFinding[]>;
  /**
   * markReported records that every finding about a record below `next` has been shown, so no
   * later run shows them again. A monitor shows findings in record order, so one number says
   * what has been shown: marking costs the same for one finding as for thousands, which keeps
   * short the moment between writing findings out and recording it, where a kill shows them
   * again on the next run.
   */
  markReported(next: number): Promise<void>;
  /**
   * find returns the index's rows for a module version (see {@link VersionIndex}'s `find`):
   * candidates for the records that first held its go.sum lines, among those indexed so far.
   */
  find(key: number, mv: string): Promise<{ readonly byKey?: VersionRow; readonly byText?: VersionRow }>;
  /** reserve, if the store has it, prepares the index for about n module versions (a hint). */
  reserve?(n: number): void;
  /** close releases the store's resources. */
  close(): Promise<void>;
}

/**
 * memoryMonitorStore returns a {@link MonitorStore} kept in memory: for tests, one-off runs and
 * runtimes without a database. Its index of module versions is a {@link VersionIndex} (16 to 32
 * bytes per module version) and is forgotten when the process ends; `gosumdb/node` has an SQLite
 * store that keeps it.
 *
 * @example
 * ```ts
 * import { memoryMonitorStore } from 'gosumdb/monitor';
 * const store = memoryMonitorStore();
 * const tree = { tree: { n: 2, hash: new Uint8Array(32) }, note: new Uint8Array(0) };
 * const found = await store.commit({
 *   checkpoint: { tree, next: 2 },
 *   versions: {
 *     count: 2,
 *     ids: Float64Array.of(0, 1),
 *     keys: Float64Array.of(7, 7),
 *     lines: Uint8Array.of(3, 1),
 *     moduleVersion: async () => ({ path: 'example.com/m', version: 'v1.0.0' }),
 *   },
 *   findings: [],
 * });
 * console.log(found.map((f) => f.kind)); // [ 'duplicate' ]
 * ```
 */
export function memoryMonitorStore(): MonitorStore {
  let checkpoint: MonitorCheckpoint | undefined;
  let reported = 0;
  const index = newVersionIndex();
  const findings = new Map<string, MonitorFinding>();
  return {
    load: async () => ({ checkpoint, unreported: sortFindings([...findings.values()].filter((f) => f.id >= reported)) }),
    reserve: (n) => index.reserve(n),
    find: async (key, mv) => index.find(key, mv),
    commit: async (batch) => {
      const found: MonitorFinding[] = [...batch.findings];
      const changes = await index.index(batch.versions, found);
      const sorted = sortFindings(found).filter((f) => !findings.has(findingKey(f)));
      index.apply(changes);
      for (const f of sorted) findings.set(findingKey(f), f);
      checkpoint = batch.checkpoint;
      return sorted;
    },
    markReported: async (next) => {
      reported = Math.max(reported, next);
    },
    close: async () => {},
  };
}

/** sortFindings orders findings by record, then kind (duplicate, malformed, watch), then zip before go.mod. */
export function sortFindings(fs: readonly MonitorFinding[]): MonitorFinding[] {
  const rank = (f: MonitorFinding) => (f.kind === 'duplicate' ? (f.line === 'zip' ? 0 : 1) : f.kind === 'malformed' ? 2 : 3);
  return [...fs].sort((a, b) => a.id - b.id || rank(a) - rank(b));
}
