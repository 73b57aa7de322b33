// Data tiles read in worker threads for gosumdb monitor: splitting, checking, keying and hashing
// the records (two SHA-256 each, node:crypto's cost per call being most of it) are about half of
// a full sync's CPU; in other threads they run beside the rest of the monitor.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GosumdbError } from '../internal/errors.js';
import { threadTileHasher, type HashedTile, type TileHasher } from '../monitor/tiles.js';
import { nodeSha256 } from './sha256.js';
import type { TileWorkerReply, TileWorkerRequest } from './tileWorker.js';

// Small heaps: a worker allocates little but the tiles it is sent, and collected seldom it held
// them long (measured, 5 million records: 263 MB of peak RSS with V8's default limits, 239-249).
// Sending the tiles through slots of a shared buffer instead of a copy each made no difference.
const resourceLimits = { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 };

// The worker's program: tileWorker.js next to this module (in dist/, and in the CLI bundle, which
// builds it as an entry of its own); from the sources (this file is .ts: tests, benches through
// tsx), tileWorker.ts, loaded through tsx registered in the worker (Node 20's workers do not
// inherit the process's module hooks).
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./tileWorker.js', import.meta.url), { resourceLimits });
  const source = JSON.stringify(new URL('./tileWorker.ts', import.meta.url).href);
  const program = `import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); })`;
  return new Worker(program, { eval: true, resourceLimits });
}

/** WorkerTileHasher is a {@link TileHasher} over worker threads, which `close` ends. */
export type WorkerTileHasher = TileHasher & {
  /** close ends the worker threads (a hash still being computed is rejected). */
  readonly close: () => Promise<void>;
};

/**
 * workerTileHasher returns a {@link TileHasher} for `monitorLog` that reads data tiles
 * (`hashDataTile`: split, checked, keyed, hashed with node:crypto) in `workers` worker threads,
 * round robin; with 0, in the caller's thread (`threadTileHasher`). The default leaves two CPUs
 * to the caller's thread and to the network and the collector: none on 2 CPUs, then one per CPU,
 * at most 2. (Measured on 2 CPUs, 1 million records from a local server: one worker took the
 * sync from 2.7-3.6 s to 1.9-2.9 s, and added 25-70 MB of peak RSS from 1 to 10 million.) Each
 * tile's bytes are copied to a worker once and the results moved back; the hashes are checked
 * against the signed tree by the monitor, so a wrong one is a failed proof, never a pass. The
 * threads keep the process alive only while a tile is being read; `close` ends them. The
 * worker's program is `tileWorker.js` next to this module: an application bundled into one file
 * has no such file and should use `threadTileHasher` (gosumdb/monitor) instead.
 *
 * @example
 * ```ts
 * import { workerTileHasher } from 'gosumdb/node';
 * import { tileRecord } from 'gosumdb/monitor';
 * import { recordHash, formatHash } from 'gosumdb/tlog';
 * const hasher = workerTileHasher({ workers: 1 });
 * const data = new TextEncoder().encode('example.com/m v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n');
 * const tile = await hasher.hashTile({ data, w: 1, count: 1, fold: false });
 * await hasher.close();
 * console.log(formatHash(tile.hashes) === formatHash(recordHash(tileRecord(tile, 0)))); // true
 * ```
 */
export function workerTileHasher(options: { readonly workers?: number } = {}): WorkerTileHasher {
  const count = options.workers ?? Math.min(2, Math.max(0, availableParallelism() - 2));
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`workers must be an integer from 0, got ${String(count)}`);
  if (count === 0) return { ...threadTileHasher(nodeSha256), close: async () => {} };
  const pending = new Map<number, { resolve: (t: Omit<HashedTile, 'data'>) => void; reject: (e: Error) => void }>();
  // A worker that fails or ends fails every hash asked of it, then and later.
  let broken: Error | undefined;
  const failAll = (e: Error): void => {
    broken ??= e;
    for (const p of pending.values()) p.reject(broken);
    pending.clear();
    hold();
  };
  // The threads keep the process alive only while a tile is being read: an idle hasher never
  // holds a process open, and a read never waits on a process that found nothing else to do.
  let closing = false;
  const hold = (): void => {
    if (closing) return;
    for (const w of workers) {
      if (pending.size > 0) w.ref();
      else w.unref();
    }
  };
  const workers: Worker[] = Array.from({ length: count }, () => {
    const w = startWorker();
    w.unref();
    w.on('message', ({ id, tile, error }: TileWorkerReply) => {
      const p = pending.get(id);
      pending.delete(id);
      if (pending.size === 0) hold();
      if (tile) p?.resolve(tile);
      // The worker's GosumdbError (a malformed or short tile), with its code, as the caller's thread throws it.
      else p?.reject(error?.code ? new GosumdbError(error.code, error.message) : new Error(`tile hasher: ${error?.message}`));
    });
    w.on('error', failAll);
    w.on('exit', () => failAll(new Error('tile hasher: worker thread ended')));
    return w;
  });
  let nextId = 0;
  return {
    async hashTile(request) {
      if (broken) throw broken;
      // The worker takes a copy; the tile's records stay views of the caller's array.
      const { data, ...rest } = request;
      const message: TileWorkerRequest = { id: nextId++, ...rest, data: new Uint8Array(data) };
      const tile = await new Promise<Omit<HashedTile, 'data'>>((resolve, reject) => {
        pending.set(message.id, { resolve, reject });
        if (pending.size === 1) hold();
        workers[message.id % count]!.postMessage(message, [message.data.buffer as ArrayBuffer]);
      });
      return { data, ...tile };
    },
    close: async () => {
      failAll(new Error('tile hasher: closed'));
      // Held until they have ended: the process waits for its threads to end.
      closing = true;
      for (const w of workers) w.ref();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
