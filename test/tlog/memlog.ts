// A log in memory for the tlog tests: the stored hashes of n records, a HashReader over them and
// the tree hash, built with the implementation's own storedHashes and treeHash.
import { storedHashes, treeHash, type Hash, type HashReader } from '../../src/tlog/index.js';

const enc = new TextEncoder();

/** buildLog stores records 0..n-1 (by default "leaf <i>") and returns the log and its tree hash. */
export async function buildLog(n: number, data = (i: number): Uint8Array => enc.encode(`leaf ${i}`)) {
  const stored: Hash[] = [];
  const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
  for (let i = 0; i < n; i++) stored.push(...(await storedHashes(i, data(i), r)));
  return { stored, r, hash: await treeHash(n, r) };
}
