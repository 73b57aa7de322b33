import { SecurityError } from '../client/errors.js';
import type { RemoteReader } from '../client/ops.js';
import type { SignedTree } from '../client/security.js';
import { utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { newVerifier, openNote, verifierList } from '../note/index.js';
import { timeline } from './timeline.js';
import { parseProvableTree } from '../tlog/note.js';

/** GossipPeer is another observer of the database: a name for reports and how to read the latest signed tree note it has seen. */
export type GossipPeer = { readonly name: string; readonly read: (signal?: AbortSignal) => Promise<Uint8Array> };

/** GossipResult is one peer's verified tree, consistent with ours, or why it could not be checked. */
export type GossipResult = { readonly name: string; readonly tree?: SignedTree; readonly error?: GosumdbError };

/** GossipOptions configure {@link gossipTrees}. */
export type GossipOptions = {
  /** The database's verifier key. */
  readonly key: string;
  /** Reads the database's tiles, with which the trees are proved consistent. */
  readonly remote: RemoteReader;
  /** Tile height the database serves (default 8). */
  readonly tileHeight?: number;
  readonly sha256?: Sha256;
  /** Receives the go command's "SECURITY ERROR" report before a fork's SecurityError is thrown. */
  readonly securityError?: (msg: string) => void;
  readonly signal?: AbortSignal;
};

/**
 * gossipTrees fetches the latest signed tree each peer has seen (a mirror, a proxy's
 * `/sumdb/<name>/latest`, a gossip endpoint) and proves it consistent with `ours`, with the
 * database's tiles for the larger of the two trees. A peer that shows a tree outside our history
 * is a fork: SecurityError with both trees and the proof, as a client reports it. A peer that
 * cannot be read, or whose note is not signed by the key, gets an `error` and the others go on.
 *
 * @throws SecurityError (ERR_SECURITY) when a peer's tree and ours cannot both be true;
 *   GosumdbError ERR_TILE_INCONSISTENT when the database's tiles contradict a peer's tree (signed
 *   by the key: the database signed a tree it does not serve).
 * @example
 * ```ts
 * import { gossipTrees, monitorLog, memoryMonitorStore } from 'gosumdb/monitor';
 * import { newTestDatabase, serverRemote } from 'gosumdb/server';
 * const db = newTestDatabase({ synthetic: 300 });
 * const remote = serverRemote(db.handle);
 * const { tree } = await monitorLog({ key: db.vkey, remote, store: memoryMonitorStore() });
 * const [r] = await gossipTrees(tree, [{ name: 'mirror', read: () => remote('/latest') }], { key: db.vkey, remote });
 * console.log(r?.tree?.tree.n); // 300
 * ```
 */
export async function gossipTrees(ours: SignedTree, peers: readonly GossipPeer[], options: GossipOptions): Promise<GossipResult[]> {
  if (!Array.isArray(peers)) throw new TypeError('peers must be an array');
  const { key, signal } = options;
  const verifiers = verifierList(newVerifier(key));
  const results: GossipResult[] = [];
  for (const peer of peers) {
    try {
      const note = await peer.read(signal);
      if (!(note instanceof Uint8Array)) throw new TypeError(`gossip peer ${peer.name}: read must return a Uint8Array`);
      const tree = parseProvableTree(utf8(openNote(note, verifiers).text));
      await timeline([ours.note, note], false, {
        key,
        remote: options.remote,
        tileHeight: options.tileHeight ?? 8,
        sha256: options.sha256 ?? nobleSha256,
        signal,
        ...(options.securityError ? { securityError: options.securityError } : {}),
      });
      results.push({ name: peer.name, tree: { tree, note: note.slice() } });
    } catch (e) {
      if ((signal?.aborted && e === signal.reason) || e instanceof SecurityError || !(e instanceof GosumdbError)) throw e;
      const named = new GosumdbError(e.code, `gossip peer ${peer.name}: ${e.message}`, { cause: e });
      // The peer's tree is signed by the key, so tiles that contradict it are the database's doing.
      if (e.code === 'ERR_TILE_INCONSISTENT') throw named;
      results.push({ name: peer.name, error: named });
    }
  }
  return results;
}
