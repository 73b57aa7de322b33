// The worker thread of workerTileHasher (tileHasher.ts): reads each data tile it is sent (in a
// slot of the shared buffer) with hashDataTile, node:crypto's SHA-256, and sends the result back,
// its arrays moved, not copied; the tile's bytes stay with the caller.
import { parentPort, workerData } from 'node:worker_threads';
import { hashDataTile, type HashedTile, type TileRequest } from '../monitor/tiles.js';
import { newHasher } from '../tlog/hash.js';
import { nodeSha256 } from './sha256.js';

/** TileWorkerData is what a worker is started with: the buffer whose slots carry tiles to it. */
export type TileWorkerData = { readonly shared: SharedArrayBuffer; readonly slotSize: number };

/** TileWorkerRequest is one tile to read: its bytes in a slot of the shared buffer, or its own `data`. */
export type TileWorkerRequest = Omit<TileRequest, 'data'> & {
  readonly id: number;
  readonly slot?: number;
  readonly length?: number;
  readonly data?: Uint8Array;
};

/** TileWorkerReply is the worker's answer to request `id`: the tile read, or the error it threw. */
export type TileWorkerReply = {
  readonly id: number;
  readonly tile?: Omit<HashedTile, 'data'>;
  readonly error?: { readonly code?: string; readonly message: string };
};

const hasher = newHasher(nodeSha256);
const { shared, slotSize } = workerData as TileWorkerData;

parentPort?.on('message', (m: TileWorkerRequest) => {
  let reply: TileWorkerReply;
  try {
    const data = m.data ?? new Uint8Array(shared, m.slot! * slotSize, m.length);
    const { starts, ends, keys, hashes } = hashDataTile({ data, w: m.w, exact: m.exact, fold: m.fold }, hasher);
    reply = { id: m.id, tile: { starts, ends, keys, hashes } };
    parentPort!.postMessage(
      reply,
      [starts, ends, keys, hashes].map((a) => a.buffer as ArrayBuffer),
    );
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    reply = { id: m.id, error: { message: (e as Error).message, ...(typeof code === 'string' ? { code } : {}) } };
    parentPort!.postMessage(reply);
  }
});
