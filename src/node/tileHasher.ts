// Data tiles hashed in worker threads for gosumdb monitor: two SHA-256 per record are about a
// third of a full sync's CPU, and node:crypto's cost per call (not per byte) is most of that, so
// the only way to make it cheaper for the monitor's thread is to do it in another.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TileHasher } from '../monitor/tiles.js';

type Request = { readonly id: number; readonly data: Uint8Array; readonly ends: Uint32Array; readonly fold: boolean };
type Reply = { readonly id: number; readonly hashes?: Uint8Array; readonly error?: string };

// The worker's whole program: given a tile's records (one array, each record ending at ends[i]),
// their RFC 6962 leaf hashes SHA-256(0x00 || record), folded with SHA-256(0x01 || left || right)
// into their subtree hash when `fold`. Self-contained: it runs from its source text (an eval
// worker), so it works the same from dist/, the CLI bundle and the sources; no import or
// require, which a bundler rewrites into helpers the worker lacks, and `__name` (the helper
// esbuild's keepNames adds, as tsx uses it) is defined as a no-op for it.
function workerMain(): void {
  const { parentPort } = process.getBuiltinModule('node:worker_threads');
  const { hash } = process.getBuiltinModule('node:crypto');
  const into = (data: Uint8Array, out: Uint8Array, at: number): void => {
    const s = hash('sha256', data, 'binary');
    for (let i = 0; i < 32; i++) out[at + i] = s.charCodeAt(i);
  };
  const node = new Uint8Array(65);
  node[0] = 1;
  let leaf = new Uint8Array(1024);
  parentPort!.on('message', ({ id, data, ends, fold }: Request) => {
    try {
      const out = new Uint8Array(32 * ends.length);
      for (let i = 0, start = 0; i < ends.length; start = ends[i++]!) {
        const length = ends[i]! - start;
        if (leaf.length < 1 + length) leaf = new Uint8Array(2 * (1 + length));
        leaf[0] = 0;
        leaf.set(data.subarray(start, start + length), 1);
        into(leaf.subarray(0, 1 + length), out, 32 * i);
      }
      for (let n = ends.length; fold && n > 1; n /= 2) {
        for (let i = 0; i < n / 2; i++) {
          node.set(out.subarray(64 * i, 64 * i + 64), 1);
          into(node, out, 32 * i);
        }
      }
      const hashes = fold ? out.slice(0, 32) : out;
      parentPort!.postMessage({ id, hashes } satisfies Reply, [hashes.buffer]);
    } catch (e) {
      parentPort!.postMessage({ id, error: String(e) } satisfies Reply);
    }
  });
}

/** WorkerTileHasher is a {@link TileHasher} over worker threads, which `close` ends. */
export type WorkerTileHasher = TileHasher & {
  /** close ends the worker threads (a hash still being computed is rejected). */
  readonly close: () => Promise<void>;
};

/**
 * workerTileHasher returns a {@link TileHasher} for `monitorLog` that hashes data tiles in
 * `workers` worker threads (default: one for each CPU beyond the caller's, at most 2: measured,
 * one keeps up with a monitor's thread), round robin. Each tile's records are copied to a worker
 * once; whatever a worker answers is checked against the signed tree by the monitor, so a wrong
 * hash is a failed proof, never a pass. The threads do not keep the process alive; `close` ends
 * them.
 *
 * @example
 * ```ts
 * import { workerTileHasher } from 'gosumdb/node';
 * import { recordHash, formatHash } from 'gosumdb/tlog';
 * const hasher = workerTileHasher({ workers: 1 });
 * const records = [new TextEncoder().encode('hello world')];
 * const leaves = await hasher.hashTile(records, false);
 * await hasher.close();
 * console.log(formatHash(leaves) === formatHash(recordHash(records[0]!))); // true
 * ```
 */
export function workerTileHasher(options: { readonly workers?: number } = {}): WorkerTileHasher {
  const count = options.workers ?? Math.min(2, Math.max(1, availableParallelism() - 1));
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer, got ${String(count)}`);
  const pending = new Map<number, { resolve: (h: Uint8Array) => void; reject: (e: Error) => void }>();
  // A worker that fails or ends fails every hash asked of it, then and later.
  let broken: Error | undefined;
  const failAll = (e: Error): void => {
    broken ??= e;
    for (const p of pending.values()) p.reject(broken);
    pending.clear();
  };
  const workers = Array.from({ length: count }, () => {
    const w = new Worker(`const __name = (f) => f;\n(${workerMain.toString()})()`, { eval: true });
    w.unref();
    w.on('message', ({ id, hashes, error }: Reply) => {
      const p = pending.get(id);
      pending.delete(id);
      if (hashes) p?.resolve(hashes);
      else p?.reject(new Error(`tile hasher: ${error}`));
    });
    w.on('error', failAll);
    w.on('exit', () => failAll(new Error('tile hasher: worker thread ended')));
    return w;
  });
  let nextId = 0;
  return {
    hashTile(records, fold) {
      if (broken) return Promise.reject(broken);
      // One array for the records, each ending where ends says.
      let size = 0;
      for (const r of records) size += r.length;
      const data = new Uint8Array(size);
      const ends = new Uint32Array(records.length);
      let at = 0;
      records.forEach((r, i) => {
        data.set(r, at);
        at += r.length;
        ends[i] = at;
      });
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % count]!.postMessage({ id, data, ends, fold } satisfies Request, [data.buffer, ends.buffer]);
      });
    },
    close: async () => {
      failAll(new Error('tile hasher: closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
