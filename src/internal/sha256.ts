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
