import { equalBytes } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { bitLen, checkIndex, pow2, shr } from '../internal/num.js';
import { checkHash, emptyRoot, isHash, nodeHash, recordHash, type Hash } from './hash.js';

/**
 * HashReader reads stored hashes of a log's tree by their stored-hash indexes (see
 * {@link storedHashIndex}); Go's `tlog.HashReader`, made async because a reader may fetch.
 * `readHashes` must resolve to exactly `indexes.length` hashes, in order; it may be faster when
 * the indexes are increasing, which every planner in this module guarantees.
 */
export interface HashReader {
  readHashes(indexes: readonly number[]): Promise<Hash[]>;
}

/**
 * storedHashIndex maps the tree coordinates (level, n) to the dense linear order in which a log
 * stores its hashes (Crosby and Wallach §3.3; Go's `tlog.StoredHashIndex`): level L's n'th hash
 * is written right after level L+1's (2n+1)'th hash.
 *
 * @throws RangeError if level or n is not a non-negative safe integer, or the index would exceed 2^53-1.
 * @example
 * ```ts
 * import { storedHashIndex } from 'gosumdb/tlog';
 * // Records 0 and 1 and their parent come first:
 * console.log(storedHashIndex(0, 2)); // 3
 * ```
 */
export function storedHashIndex(level: number, n: number): number {
  checkIndex(level, 'level');
  checkIndex(n, 'n');
  // Level 0's m'th hash sits at m + m/2 + m/4 + ..., where m is the last leaf under (level, n).
  let m = n * pow2(level) + (pow2(level) - 1);
  // Checked first: an infinite m (level 1023 and up, from a tile path like tile/8/128/...) would
  // never halve to 0.
  if (!Number.isSafeInteger(m)) throw new RangeError(`storedHashIndex(${level}, ${n}) exceeds 2^53-1`);
  let i = level;
  while (m > 0) {
    i += m;
    m = shr(m, 1);
  }
  if (!Number.isSafeInteger(i)) throw new RangeError(`storedHashIndex(${level}, ${n}) exceeds 2^53-1`);
  return i;
}

function trailingZeros(x: number): number {
  let k = 0;
  while (x % 2 === 0) {
    x /= 2;
    k++;
  }
  return k;
}

/**
 * splitStoredHashIndex is the inverse of {@link storedHashIndex}: it returns the tree coordinates
 * of a stored-hash index (Go's `tlog.SplitStoredHashIndex`).
 *
 * @throws RangeError if index is not a non-negative safe integer.
 * @example
 * ```ts
 * import { splitStoredHashIndex } from 'gosumdb/tlog';
 * // The parent of records 0 and 1:
 * console.log(splitStoredHashIndex(2)); // { level: 1, n: 0 }
 * ```
 */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  checkIndex(index, 'index');
  // storedHashIndex(0, n) <= 2n, so the record that committed this hash is at least index/2.
  let n = shr(index, 1);
  let indexN = storedHashIndex(0, n);
  for (;;) {
    // Record n stores 1 + trailingZeros(n+1) hashes: its leaf and the subtrees it completes.
    const next = indexN + 1 + trailingZeros(n + 1);
    if (next > index) break;
    n++;
    indexN = next;
  }
  const level = index - indexN;
  return { level, n: shr(n, level) };
}

/**
 * storedHashCount returns how many hashes a log of n records has stored (Go's
 * `tlog.StoredHashCount`): every leaf hash and every completed subtree hash.
 *
 * @throws RangeError if n is not a non-negative safe integer.
 * @example
 * ```ts
 * import { storedHashCount } from 'gosumdb/tlog';
 * // Four leaves, two pairs, one root:
 * console.log(storedHashCount(4)); // 7
 * ```
 */
export function storedHashCount(n: number): number {
  checkIndex(n, 'n');
  if (n === 0) return 0;
  return storedHashIndex(0, n - 1) + 1 + trailingZeros(n);
}

/** readExactly calls r.readHashes and checks the reader kept its contract, copying each hash. */
export async function readExactly(r: HashReader, indexes: readonly number[]): Promise<Hash[]> {
  const hashes: unknown = await r.readHashes(indexes);
  const got = Array.isArray(hashes) ? hashes.length : 0;
  if (!Array.isArray(hashes) || got !== indexes.length || !hashes.every(isHash)) {
    throw new GosumdbError('ERR_READER_RESULT', `tlog: ReadHashes(${indexes.length} indexes) = ${got} hashes`);
  }
  return hashes.map((h: Hash) => h.slice());
}

/**
 * storedHashes returns the hashes a log must store when it appends record n with the given data:
 * the record hash, then one hash per subtree that record completes (Go's `tlog.StoredHashes`).
 * They belong at stored-hash indexes `storedHashIndex(0, n)` onwards. It reads up to log2(n)
 * earlier hashes from r.
 *
 * @throws RangeError if n is not a non-negative safe integer; GosumdbError `ERR_READER_RESULT`
 *   if r returns the wrong number of hashes; whatever r throws.
 * @example
 * ```ts
 * import { storedHashes, type HashReader } from 'gosumdb/tlog';
 * const stored: Uint8Array[] = [];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (let n = 0; n < 4; n++) stored.push(...(await storedHashes(n, new TextEncoder().encode(`record ${n}\n`), r)));
 * console.log(stored.length); // 7
 * ```
 */
export async function storedHashes(n: number, data: Uint8Array, r: HashReader): Promise<Hash[]> {
  checkIndex(n, 'n');
  return storedHashesForRecordHash(n, recordHash(data), r);
}

/**
 * storedHashesForRecordHash is {@link storedHashes} given the record hash instead of the data
 * (Go's `tlog.StoredHashesForRecordHash`).
 *
 * @throws RangeError if n is not a non-negative safe integer; TypeError if h is not 32 bytes;
 *   GosumdbError `ERR_READER_RESULT` if r returns the wrong number of hashes.
 * @example
 * ```ts
 * import { storedHashesForRecordHash, recordHash, type HashReader } from 'gosumdb/tlog';
 * const stored = [recordHash(new TextEncoder().encode('a'))];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * const more = await storedHashesForRecordHash(1, recordHash(new TextEncoder().encode('b')), r);
 * // The leaf and the new root of [a, b]:
 * console.log(more.length); // 2
 * ```
 */
export async function storedHashesForRecordHash(n: number, h: Hash, r: HashReader): Promise<Hash[]> {
  checkIndex(n, 'n');
  checkHash(h, 'record hash');
  // Each trailing 1 bit of n completes a subtree whose left sibling is already stored.
  const m = trailingZeros(n + 1);
  const indexes: number[] = [];
  for (let i = m - 1; i >= 0; i--) indexes.push(storedHashIndex(i, shr(n, i) - 1));
  const old = await readExactly(r, indexes);
  let cur: Hash = h.slice();
  const out = [cur];
  for (let i = 0; i < m; i++) {
    cur = nodeHash(old[m - 1 - i]!, cur);
    out.push(cur);
  }
  return out;
}

// maxpow2 returns the largest power of two k < n (k = 1 when n <= 2), with l = log2(k).
function maxpow2(n: number): { k: number; l: number } {
  const l = Math.max(0, bitLen(n - 1) - 1);
  return { k: pow2(l), l };
}

// Planners: the stored-hash indexes a computation needs, in increasing order (RFC 6962 §2.1).

function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  while (lo < hi) {
    const { k, l } = maxpow2(hi - lo + 1);
    need.push(storedHashIndex(l, lo / k));
    lo += k;
  }
  return need;
}

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subTreeIndex(lo, hi, need);
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    treeProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, n, need);
  }
  return need;
}

// Builders: consume the planned hashes in order through a cursor.

type Cursor = { readonly hashes: readonly Hash[]; i: number };

function subTreeHash(lo: number, hi: number, c: Cursor): Hash {
  const parts: Hash[] = [];
  while (lo < hi) {
    lo += maxpow2(hi - lo + 1).k;
    parts.push(c.hashes[c.i++]!);
  }
  let h = parts[parts.length - 1]!;
  for (let i = parts.length - 2; i >= 0; i--) h = nodeHash(parts[i]!, h);
  return h;
}

function leafProof(lo: number, hi: number, n: number, c: Cursor, out: Hash[]): void {
  if (lo + 1 === hi) return;
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProof(lo, lo + k, n, c, out);
    out.push(subTreeHash(lo + k, hi, c));
  } else {
    const left = subTreeHash(lo, lo + k, c);
    leafProof(lo + k, hi, n, c, out);
    out.push(left);
  }
}

function treeProof(lo: number, hi: number, n: number, c: Cursor, out: Hash[]): void {
  if (n === hi) {
    if (lo !== 0) out.push(subTreeHash(lo, hi, c));
    return;
  }
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    treeProof(lo, lo + k, n, c, out);
    out.push(subTreeHash(lo + k, hi, c));
  } else {
    const left = subTreeHash(lo, lo + k, c);
    treeProof(lo + k, hi, n, c, out);
    out.push(left);
  }
}

/**
 * treeHash computes the root hash of the log's first n records from its stored hashes, in one
 * `readHashes` call for at most 1 + log2(n) hashes (Go's `tlog.TreeHash`). The empty tree's hash
 * is {@link emptyTreeHash}, SHA-256 of the empty string (newer x/mod; v0.7.0 returns zeros).
 *
 * @throws RangeError if n is not a non-negative safe integer; GosumdbError `ERR_READER_RESULT`
 *   if r returns the wrong number of hashes; whatever r throws (for a {@link tileHashReader},
 *   `ERR_TILE_INCONSISTENT`).
 * @example
 * ```ts
 * import { treeHash, storedHashes, formatHash, type HashReader } from 'gosumdb/tlog';
 * const stored: Uint8Array[] = [];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (let n = 0; n < 3; n++) stored.push(...(await storedHashes(n, new TextEncoder().encode(`record ${n}\n`), r)));
 * console.log(formatHash(await treeHash(3, r))); // NN1lugKBoC5d4485FURI7Stm1fqIQOgKwtCU4SF6ADo=
 * ```
 */
export async function treeHash(n: number, r: HashReader): Promise<Hash> {
  checkIndex(n, 'n');
  if (n === 0) return emptyRoot();
  const indexes = subTreeIndex(0, n, []);
  const hashes = await readExactly(r, indexes);
  return subTreeHash(0, n, { hashes, i: 0 });
}

/**
 * proveRecord returns the proof that the tree of size t contains record n: RFC 6962's Merkle
 * audit path, leaf side first (Go's `tlog.ProveRecord`). Check it with {@link checkRecord}.
 *
 * @throws RangeError unless 0 <= n < t are safe integers; GosumdbError `ERR_READER_RESULT` if r
 *   returns the wrong number of hashes; whatever r throws.
 * @example
 * ```ts
 * import { proveRecord, checkRecord, treeHash, storedHashes, recordHash, type HashReader } from 'gosumdb/tlog';
 * const data = (n: number) => new TextEncoder().encode(`record ${n}\n`);
 * const stored: Uint8Array[] = [];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (let n = 0; n < 5; n++) stored.push(...(await storedHashes(n, data(n), r)));
 * const proof = await proveRecord(5, 3, r);
 * checkRecord(proof, 5, await treeHash(5, r), 3, recordHash(data(3))); // throws if invalid
 * ```
 */
export async function proveRecord(t: number, n: number, r: HashReader): Promise<Hash[]> {
  checkIndex(t, 't');
  checkIndex(n, 'n');
  if (n >= t) throw new RangeError('tlog: invalid inputs in ProveRecord');
  const indexes = leafProofIndex(0, t, n, []);
  if (indexes.length === 0) return [];
  const hashes = await readExactly(r, indexes);
  const out: Hash[] = [];
  leafProof(0, t, n, { hashes, i: 0 }, out);
  return out;
}

function proofFailed(): GosumdbError {
  return new GosumdbError('ERR_PROOF_INVALID', 'invalid transparency proof');
}

function checkProofShape(proof: readonly Hash[]): void {
  if (!Array.isArray(proof)) throw new TypeError('proof must be an array of hashes');
  if (!proof.every(isHash)) throw proofFailed();
}

// runRecordProof returns the subtree hash [lo, hi) implied by the first m proof hashes, or
// undefined when the proof has the wrong length for the tree shape.
function runRecordProof(p: readonly Hash[], m: number, lo: number, hi: number, n: number, leaf: Hash): Hash | undefined {
  if (lo + 1 === hi) return m === 0 ? leaf : undefined;
  if (m === 0) return undefined;
  const { k } = maxpow2(hi - lo);
  const sibling = p[m - 1]!;
  if (n < lo + k) {
    const th = runRecordProof(p, m - 1, lo, lo + k, n, leaf);
    return th && nodeHash(th, sibling);
  }
  const th = runRecordProof(p, m - 1, lo + k, hi, n, leaf);
  return th && nodeHash(sibling, th);
}

/**
 * checkRecord verifies that proof shows that the tree of size t with root hash th has record n
 * with record hash h (Go's `tlog.CheckRecord`). Synchronous and pure: fetch the proof first.
 *
 * @throws GosumdbError `ERR_PROOF_INVALID` ("invalid transparency proof") if the proof does not
 *   verify, has the wrong length, or n >= t ("tlog: invalid inputs in CheckRecord"); RangeError
 *   if t or n is not a non-negative safe integer; TypeError if th or h is not 32 bytes.
 * @example
 * ```ts
 * import { checkRecord, nodeHash, recordHash } from 'gosumdb/tlog';
 * const a = recordHash(new TextEncoder().encode('a'));
 * const b = recordHash(new TextEncoder().encode('b'));
 * checkRecord([b], 2, nodeHash(a, b), 0, a); // record 0 of [a, b]; the proof is its sibling
 * ```
 */
export function checkRecord(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): void {
  checkIndex(t, 't');
  checkIndex(n, 'n');
  checkHash(th, 'tree hash');
  checkHash(h, 'record hash');
  checkProofShape(proof);
  if (n >= t) throw new GosumdbError('ERR_PROOF_INVALID', 'tlog: invalid inputs in CheckRecord');
  const got = runRecordProof(proof, proof.length, 0, t, n, h);
  if (got === undefined || !equalBytes(got, th)) throw proofFailed();
}

/**
 * proveTree returns the proof that the tree of size t contains the tree of size n as a prefix:
 * RFC 6962's Merkle consistency proof (Go's `tlog.ProveTree`). Check it with {@link checkTree}.
 *
 * @throws RangeError unless 1 <= n <= t are safe integers; GosumdbError `ERR_READER_RESULT` if r
 *   returns the wrong number of hashes; whatever r throws.
 * @example
 * ```ts
 * import { proveTree, checkTree, treeHash, storedHashes, type HashReader } from 'gosumdb/tlog';
 * const stored: Uint8Array[] = [];
 * const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
 * for (let n = 0; n < 7; n++) stored.push(...(await storedHashes(n, new TextEncoder().encode(`record ${n}\n`), r)));
 * const proof = await proveTree(7, 3, r);
 * checkTree(proof, 7, await treeHash(7, r), 3, await treeHash(3, r)); // throws if invalid
 * ```
 */
export async function proveTree(t: number, n: number, r: HashReader): Promise<Hash[]> {
  checkIndex(t, 't');
  checkIndex(n, 'n');
  if (n < 1 || n > t) throw new RangeError('tlog: invalid inputs in ProveTree');
  const indexes = treeProofIndex(0, t, n, []);
  if (indexes.length === 0) return [];
  const hashes = await readExactly(r, indexes);
  const out: Hash[] = [];
  treeProof(0, t, n, { hashes, i: 0 }, out);
  return out;
}

// runTreeProof returns the hashes of subtree [lo, hi) in the old tree (size n) and in the new
// tree implied by the first m proof hashes, or undefined when the proof has the wrong length.
function runTreeProof(p: readonly Hash[], m: number, lo: number, hi: number, n: number, old: Hash): [Hash, Hash] | undefined {
  if (n === hi) {
    if (lo === 0) return m === 0 ? [old, old] : undefined;
    return m === 1 ? [p[0]!, p[0]!] : undefined;
  }
  if (m === 0) return undefined;
  const { k } = maxpow2(hi - lo);
  const sibling = p[m - 1]!;
  if (n <= lo + k) {
    const r = runTreeProof(p, m - 1, lo, lo + k, n, old);
    return r && [r[0], nodeHash(r[1], sibling)];
  }
  const r = runTreeProof(p, m - 1, lo + k, hi, n, old);
  return r && [nodeHash(sibling, r[0]), nodeHash(sibling, r[1])];
}

/**
 * checkTree verifies that proof shows that the tree of size t with root hash th contains as a
 * prefix the tree of size n with root hash h (Go's `tlog.CheckTree`). Synchronous and pure.
 *
 * @throws GosumdbError `ERR_PROOF_INVALID` ("invalid transparency proof") if the proof does not
 *   verify, has the wrong length, or not 1 <= n <= t ("tlog: invalid inputs in CheckTree");
 *   RangeError if t or n is not a non-negative safe integer; TypeError if th or h is not 32 bytes.
 * @example
 * ```ts
 * import { checkTree, nodeHash, recordHash } from 'gosumdb/tlog';
 * const a = recordHash(new TextEncoder().encode('a'));
 * const b = recordHash(new TextEncoder().encode('b'));
 * checkTree([b], 2, nodeHash(a, b), 1, a); // [a] is a prefix of [a, b]
 * ```
 */
export function checkTree(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): void {
  checkIndex(t, 't');
  checkIndex(n, 'n');
  checkHash(th, 'tree hash');
  checkHash(h, 'old tree hash');
  checkProofShape(proof);
  if (n < 1 || n > t) throw new GosumdbError('ERR_PROOF_INVALID', 'tlog: invalid inputs in CheckTree');
  const got = runTreeProof(proof, proof.length, 0, t, n, h);
  if (got === undefined || !equalBytes(got[0], h) || !equalBytes(got[1], th)) throw proofFailed();
}

/** subTreeIndexes lists the stored-hash indexes whose hashes make up the root of records [0, n). */
export function subTreeIndexes(n: number): number[] {
  return subTreeIndex(0, n, []);
}
