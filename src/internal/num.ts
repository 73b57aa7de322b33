// Integer helpers for tree sizes and stored-hash indexes. JavaScript's bitwise operators
// truncate to 32 bits, and stored-hash indexes pass 2^31 long before tree sizes do, so
// nothing here (or anywhere sizes flow) uses << >> & | on them.

/** pow2 returns 2**k as an exact number (k in 0..53). */
export function pow2(k: number): number {
  return 2 ** k;
}

/** shr returns floor(n / 2**k) for a non-negative safe integer n. */
export function shr(n: number, k: number): number {
  return Math.floor(n / 2 ** k);
}

/** bitLen returns the number of bits needed to represent n (Go's bits.Len64), n a non-negative safe integer. */
export function bitLen(n: number): number {
  let len = 0;
  while (n >= 2 ** 32) {
    n = Math.floor(n / 2 ** 32);
    len += 32;
  }
  return n === 0 ? len : len + 32 - Math.clz32(n);
}

/** checkIndex throws a RangeError unless n is a safe integer >= 0; `what` names it in the message. */
export function checkIndex(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${String(n)}`);
  }
}

/** Result of {@link parseDecimal}. */
export type DecimalResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly reason: 'syntax' | 'unsafe' };

/**
 * parseDecimal parses a canonical non-negative decimal as Go's sumdb formats do
 * (strconv.ParseInt(s, 10, 64) plus a round-trip check): digits only, no sign, no leading
 * zeros except "0" itself, at most 2^63-1. Values above 2^53-1 are reported as 'unsafe'
 * because a JavaScript number cannot hold them exactly (a documented difference from Go).
 */
export function parseDecimal(s: string): DecimalResult {
  // 2^63-1 has 19 digits; a longer string never reaches BigInt (whose cost grows with the length).
  if (s.length > 19 || !/^(0|[1-9][0-9]*)$/.test(s)) return { ok: false, reason: 'syntax' };
  const big = BigInt(s);
  if (big > 0x7fffffffffffffffn) return { ok: false, reason: 'syntax' };
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'unsafe' };
  return { ok: true, value: Number(big) };
}
