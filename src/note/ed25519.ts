// Ed25519 with Go's crypto/ed25519 verification rule. This is the only file that imports
// @noble/ed25519; it uses noble's Point arithmetic and @noble/hashes SHA-512 directly and never
// touches noble's global configuration (ed.hashes), so importing gosumdb changes nothing for other
// users of noble in the same program.
import { Point } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes } from '../internal/bytes.js';

// RFC 8032 §5.1: order of the prime-order subgroup.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** ED25519_PUBLIC_KEY_SIZE is the length of an Ed25519 public key (RFC 8032 encoding). */
export const ED25519_PUBLIC_KEY_SIZE = 32;
/** ED25519_SEED_SIZE is the length of an Ed25519 private key seed. */
export const ED25519_SEED_SIZE = 32;
/** ED25519_SIGNATURE_SIZE is the length of an Ed25519 signature (R || S). */
export const ED25519_SIGNATURE_SIZE = 64;

function numberLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = n * 256n + BigInt(b[i]!);
  return n;
}

function bytes32LE(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n % 256n);
    n /= 256n;
  }
  return out;
}

function baseMul(n: bigint): Point {
  return n === 0n ? Point.ZERO : Point.BASE.multiply(n);
}

function expandSeed(seed: Uint8Array): { scalar: bigint; prefix: Uint8Array; publicKey: Uint8Array } {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_SIZE) {
    throw new TypeError(`Ed25519 seed must be a ${ED25519_SEED_SIZE}-byte Uint8Array`);
  }
  const h = sha512(seed);
  const a = h.slice(0, 32);
  // RFC 8032 §5.1.5: clamp.
  a[0] = a[0]! & 248;
  a[31] = (a[31]! & 127) | 64;
  const scalar = numberLE(a) % L;
  return { scalar, prefix: h.slice(32), publicKey: baseMul(scalar).toBytes() };
}

/**
 * ed25519PublicKey derives the 32-byte public key of a 32-byte private key seed (RFC 8032 §5.1.5),
 * as Go's `ed25519.NewKeyFromSeed(seed).Public()`.
 *
 * @throws TypeError if seed is not 32 bytes.
 * @example
 * ```ts
 * import { ed25519PublicKey } from 'gosumdb/note';
 * console.log(ed25519PublicKey(new Uint8Array(32)).length); // 32
 * ```
 */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return expandSeed(seed).publicKey;
}

/**
 * ed25519Sign signs msg with the key derived from a 32-byte seed (RFC 8032 §5.1.6, deterministic),
 * producing the same 64 bytes as Go's `ed25519.Sign`.
 *
 * @throws TypeError if seed is not 32 bytes.
 * @example
 * ```ts
 * import { ed25519Sign, ed25519PublicKey, ed25519Verify } from 'gosumdb/note';
 * const seed = new Uint8Array(32).fill(7);
 * const msg = new TextEncoder().encode('hello\n');
 * console.log(ed25519Verify(ed25519PublicKey(seed), msg, ed25519Sign(seed, msg))); // true
 * ```
 */
export function ed25519Sign(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  const { scalar, prefix, publicKey } = expandSeed(seed);
  const r = numberLE(sha512(concatBytes(prefix, msg))) % L;
  const R = baseMul(r).toBytes();
  const k = numberLE(sha512(concatBytes(R, publicKey, msg))) % L;
  return concatBytes(R, bytes32LE((r + k * scalar) % L));
}

/**
 * ed25519Verify reports whether sig is a valid Ed25519 signature of msg by publicKey, with exactly
 * the verdicts of Go's `crypto/ed25519.Verify`: the equation is cofactorless ([S]B = R + [k]A is
 * checked by recomputing R and comparing its canonical encoding byte for byte with the signature's
 * R), S must be canonical (S < L), and public keys are decoded leniently (non-canonical y ≥ p and
 * a negative-zero x are accepted; small-order and mixed-order keys are not rejected as such).
 * This differs from @noble/ed25519's own `verify`, which is cofactored (ZIP-215 by default).
 *
 * @throws TypeError if publicKey is not 32 bytes (Go panics there).
 * @example
 * ```ts
 * import { ed25519Verify } from 'gosumdb/note';
 * console.log(ed25519Verify(new Uint8Array(32), new Uint8Array(0), new Uint8Array(64))); // false
 * ```
 */
export function ed25519Verify(publicKey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new TypeError(`Ed25519 public key must be a ${ED25519_PUBLIC_KEY_SIZE}-byte Uint8Array`);
  }
  if (sig.length !== ED25519_SIGNATURE_SIZE) return false;
  let A: Point;
  try {
    // zip215 decoding accepts exactly what Go's edwards25519 Point.SetBytes accepts.
    A = Point.fromBytes(publicKey, true);
  } catch {
    return false;
  }
  const rBytes = sig.subarray(0, 32);
  const S = numberLE(sig.subarray(32));
  if (S >= L) return false;
  // k is reduced mod L before multiplying, as Go does: with a mixed-order A this matters.
  const k = numberLE(sha512(concatBytes(rBytes, publicKey, msg))) % L;
  const R = verifyBaseMul(S).subtract(A.multiplyUnsafe(k));
  return equalBytes(R.toBytes(), rBytes);
}

// [S]B for verification, where S is public. noble multiplies the base point through a table it
// builds on first use, which costs about 115 ms, then 0.3 ms per product; a plain ladder on 2B
// (not recognised as the base point) costs about 2 ms. A run that verifies a handful of notes (an
// audit verifies one or two) takes the ladder; the table pays off after about fifty.
const ladderVerifications = 32;
let verifications = 0;
const twoB = Point.BASE.double();

function verifyBaseMul(S: bigint): Point {
  if (++verifications > ladderVerifications) return baseMul(S);
  // [S]B = [S >> 1](2B) + [S mod 2]B.
  const half = twoB.multiplyUnsafe(S >> 1n);
  return S % 2n === 1n ? half.add(Point.BASE) : half;
}
