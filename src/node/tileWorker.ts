// The worker thread of workerTileHasher (tileHasher.ts): reads each data tile it is sent with
// hashDataTile, node:crypto's SHA-256, and sends the result back, its arrays moved, not copied;
// the tile's bytes stay with the caller.
import { parentPort } from 'node:worker_threads';
import { hashDataTile, type HashedTile, type TileRequest } from '../monitor/tiles.js';
import { newHasher } from '../tlog/hash.js';
import { nodeSha256 } from './sha256.js';

/** TileWorkerRequest is one tile to read, with the id its reply carries. */
export type TileWorkerRequest = TileRequest & { readonly id: number };

/** TileWorkerReply is the worker's answer to request `id`: the tile read, or the error it threw. */
export type TileWorkerReply = {
  readonly id: number;
  readonly tile?: Omit<HashedTile, 'data'>;
  readonly error?: { readonly code?: string; readonly message: string };
};

const hasher = newHasher(nodeSha256);

parentPort?.on('message', (m: TileWorkerRequest) => {
  let reply: TileWorkerReply;
  try {
    const { starts, ends, keys, hashes } = hashDataTile(m, hasher);
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
