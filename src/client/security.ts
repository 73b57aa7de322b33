import { decodeUtf8Lossy } from '../internal/bytes.js';
import { formatHash, type Hash, type Tree } from '../tlog/index.js';

/** SignedTree is a tree head together with the signed note it came from (the note's exact bytes). */
export type SignedTree = { readonly tree: Tree; readonly note: Uint8Array };

/**
 * SecurityEvidence is the proof that a database server forked its log: two signed trees from
 * the same key, the hash that the newer tree's tiles give for the older tree's size (which
 * differs from the older tree's signed hash), and a consistency proof of that hash in the newer
 * tree. Anyone holding the key can check it without trusting the server again.
 */
export type SecurityEvidence = {
  /** The smaller (or equal-sized) signed tree. */
  readonly older: SignedTree;
  /** The larger signed tree, whose tiles disagree with `older`. */
  readonly newer: SignedTree;
  /** The hash of the first `older.tree.n` records according to the newer tree. */
  readonly olderHashInNewer: Hash;
  /** Proof that `olderHashInNewer` is the hash of that prefix of `newer` (tlog.checkTree accepts it). */
  readonly proof: readonly Hash[];
  /** Set instead of a usable `proof` when one could not be produced (Go prints "internal error: ..."). */
  readonly proofError?: string;
};

/**
 * formatSecurityError renders fork evidence as the go command's report, byte for byte: the
 * "SECURITY ERROR" banner, both signed notes indented with tabs, then the disputed hash and the
 * consistency proof. Same text as Go's `sumdb.Client` passes to `ClientOps.SecurityError`.
 *
 * @example
 * ```ts
 * import { formatSecurityError } from 'gosumdb/client';
 * const te = new TextEncoder();
 * const h = new Uint8Array(32);
 * const text = formatSecurityError({
 *   older: { tree: { n: 1, hash: h }, note: te.encode('go.sum database tree\n1\n...\n') },
 *   newer: { tree: { n: 2, hash: h }, note: te.encode('go.sum database tree\n2\n...\n') },
 *   olderHashInNewer: h,
 *   proof: [h],
 * });
 * console.log(text.split('\n')[0]); // SECURITY ERROR
 * ```
 */
export function formatSecurityError(evidence: SecurityEvidence): string {
  const indent = (b: Uint8Array): string => decodeUtf8Lossy(b).replaceAll('\n', '\n\t');
  let s = 'SECURITY ERROR\ngo.sum database server misbehavior detected!\n\n';
  s += `old database:\n\t${indent(evidence.older.note)}\n`;
  s += `new database:\n\t${indent(evidence.newer.note)}\n`;
  s += `proof of misbehavior:\n\t${formatHash(evidence.olderHashInNewer)}`;
  if (evidence.proofError !== undefined) {
    s += `\tinternal error: ${evidence.proofError}\n`;
  } else {
    for (const h of evidence.proof) s += `\n\t${formatHash(h)}`;
  }
  return s;
}
