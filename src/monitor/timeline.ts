import { Client } from '../client/client.js';
import { memoryOps, type RemoteReader } from '../client/ops.js';
import type { SignedTree } from '../client/security.js';
import type { Sha256 } from '../internal/sha256.js';

/** TimelineOptions configure {@link timeline}. */
export type TimelineOptions = {
  readonly key: string;
  /** Reads the database's tiles (and `/latest` once the given notes are used up). */
  readonly remote: RemoteReader;
  readonly tileHeight: number;
  readonly sha256: Sha256;
  readonly securityError?: (msg: string) => void;
  readonly signal?: AbortSignal | undefined;
};

/**
 * timeline puts signed tree notes on one timeline with the client's own code path (Go's
 * `sumdb.Client` rules): each note's signature is verified and each is proved consistent with
 * the largest before it, through the database's tiles for the larger tree, or SecurityError
 * with both trees and the proof. With `fetchLatest`, the database's `/latest` comes last. The
 * notes reach the client as its first answers to `/latest`. Returns the largest tree.
 */
export async function timeline(notes: readonly Uint8Array[], fetchLatest: boolean, o: TimelineOptions): Promise<SignedTree> {
  const queue = notes.map((n) => n.slice());
  const client = new Client(
    memoryOps({
      key: o.key,
      remote: async (path, s) => (path === '/latest' && queue.length > 0 ? queue.shift()! : o.remote(path, s)),
      ...(o.securityError ? { securityError: o.securityError } : {}),
      sha256: o.sha256,
    }),
    { tileHeight: o.tileHeight, sha256: o.sha256 },
  );
  let latest: SignedTree | undefined;
  for (let i = notes.length + (fetchLatest ? 1 : 0); i > 0; i--) latest = await client.latest(o.signal);
  if (latest === undefined) throw new RangeError('timeline needs a note or fetchLatest');
  return latest;
}
