import { sha256 as nobleSha256Fn } from '@noble/hashes/sha2.js';

/** Sha256Hasher is an incremental SHA-256 computation. */
export interface Sha256Hasher {
  update(data: Uint8Array): Sha256Hasher;
  digest(): Uint8Array;
}

/**
 * Sha256 is a SHA-256 provider. The core uses the portable {@link nobleSha256} by default;
 * `gosumdb/node` supplies a node:crypto one (about 12x faster), injected per call or per instance.
 */
export interface Sha256 {
  /** hash returns the 32-byte SHA-256 of data. */
  readonly hash: (data: Uint8Array) => Uint8Array;
  /** create starts an incremental hash. */
  readonly create: () => Sha256Hasher;
  /**
   * hashInto writes the SHA-256 of data into `out[at..at+32)` without allocating the digest
   * (optional: {@link sha256Into} falls back to `hash`). For many small inputs, as a log's records.
   */
  readonly hashInto?: (data: Uint8Array, out: Uint8Array, at: number) => void;
}

/**
 * sha256Into writes the SHA-256 of data into `out[at..at+32)` with the provider's `hashInto`,
 * or its `hash` when it has none.
 *
 * @example
 * ```ts
 * import { nobleSha256, sha256Into } from 'gosumdb';
 * const out = new Uint8Array(64);
 * sha256Into(nobleSha256, new TextEncoder().encode('abc'), out, 32);
 * // FIPS 180-2 test vector
 * console.log(out[31], out[32].toString(16), out[63].toString(16)); // 0 ba ad
 * ```
 */
export function sha256Into(sha: Sha256, data: Uint8Array, out: Uint8Array, at: number): void {
  if (sha.hashInto) sha.hashInto(data, out, at);
  else out.set(sha.hash(data), at);
}

/**
 * nobleSha256 is the portable SHA-256 provider (@noble/hashes), usable in any runtime.
 *
 * @example
 * ```ts
 * import { nobleSha256 } from 'gosumdb';
 * const digest = nobleSha256.hash(new TextEncoder().encode('abc'));
 * // FIPS 180-2 test vector
 * if (digest[0] !== 0xba || digest[31] !== 0xad) throw new Error('wrong SHA-256');
 * ```
 */
export const nobleSha256: Sha256 = {
  hash: (data) => nobleSha256Fn(data),
  create: () => {
    const h = nobleSha256Fn.create();
    const w: Sha256Hasher = {
      update(data) {
        h.update(data);
        return w;
      },
      digest: () => h.digest(),
    };
    return w;
  },
};
