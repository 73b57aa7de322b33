import type { SignedTree } from '../client/security.js';
import { findingKey, type MonitorFinding, type RecordLineKind } from './findings.js';

/** MonitorCheckpoint is how far a monitor has got: the latest signed tree it verified and the records it has read. */
export type MonitorCheckpoint = {
  /** The latest signed tree, signature verified and proved consistent with every earlier one. */
  readonly tree: SignedTree;
  /** Records `0..next-1` have been verified against a signed tree and indexed. */
  readonly next: number;
};

/** MonitorVersion is one go.sum line of record `id`: a module version and what it hashes. */
export type MonitorVersion = { readonly id: number; readonly path: string; readonly version: string; readonly kind: RecordLineKind };

/** MonitorBatch is what one step of a monitor commits at once. */
export type MonitorBatch = {
  /** The checkpoint after this batch. */
  readonly checkpoint: MonitorCheckpoint;
  /** The go.sum lines of the batch's records, in log order, to index. */
  readonly versions: readonly MonitorVersion[];
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
   * finding it stored, in record order.
   */
  commit(batch: MonitorBatch): Promise<readonly MonitorFinding[]>;
  /** markReported records that these findings have been shown, so no later run shows them again. */
  markReported(findings: readonly MonitorFinding[]): Promise<void>;
  /** close releases the store's resources. */
  close(): Promise<void>;
}

/**
 * memoryMonitorStore returns a {@link MonitorStore} kept in JavaScript maps: for tests, short
 * runs and runtimes without a database. It holds every module version seen, so it does not suit
 * a full log (about 46 million records for sum.golang.org); `gosumdb/node` has an SQLite store.
 *
 * @example
 * ```ts
 * import { memoryMonitorStore } from 'gosumdb/monitor';
 * const store = memoryMonitorStore();
 * const tree = { tree: { n: 2, hash: new Uint8Array(32) }, note: new Uint8Array(0) };
 * const found = await store.commit({
 *   checkpoint: { tree, next: 2 },
 *   versions: [
 *     { id: 0, path: 'example.com/m', version: 'v1.0.0', kind: 'zip' },
 *     { id: 1, path: 'example.com/m', version: 'v1.0.0', kind: 'zip' },
 *   ],
 *   findings: [],
 * });
 * console.log(found.map((f) => f.kind)); // [ 'duplicate' ]
 * ```
 */
export function memoryMonitorStore(): MonitorStore {
  let checkpoint: MonitorCheckpoint | undefined;
  const seen = new Map<string, number>();
  const findings = new Map<string, { finding: MonitorFinding; reported: boolean }>();
  return {
    load: async () => ({ checkpoint, unreported: [...findings.values()].filter((f) => !f.reported).map((f) => f.finding) }),
    commit: async (batch) => {
      const added = new Map<string, number>();
      const found: MonitorFinding[] = [...batch.findings];
      for (const v of batch.versions) {
        const key = `${v.path} ${v.version} ${v.kind}`;
        const firstId = seen.get(key) ?? added.get(key);
        if (firstId === undefined) added.set(key, v.id);
        else found.push({ kind: 'duplicate', id: v.id, firstId, path: v.path, version: v.version, line: v.kind });
      }
      const sorted = sortFindings(found).filter((f) => !findings.has(findingKey(f)));
      for (const [k, id] of added) seen.set(k, id);
      for (const f of sorted) findings.set(findingKey(f), { finding: f, reported: false });
      checkpoint = batch.checkpoint;
      return sorted;
    },
    markReported: async (fs) => {
      for (const f of fs) {
        const entry = findings.get(findingKey(f));
        if (entry) entry.reported = true;
      }
    },
    close: async () => {},
  };
}

/** sortFindings orders findings by record, then kind (duplicate, malformed, watch), then zip before go.mod. */
export function sortFindings(fs: readonly MonitorFinding[]): MonitorFinding[] {
  const rank = (f: MonitorFinding) => (f.kind === 'duplicate' ? (f.line === 'zip' ? 0 : 1) : f.kind === 'malformed' ? 2 : 3);
  return [...fs].sort((a, b) => a.id - b.id || rank(a) - rank(b));
}
