import { decodeBase64, encodeBase64 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { nobleSha256, sha256Into, type Sha256 } from '../internal/sha256.js';

/**
 * Hash is a 32-byte SHA-256 hash identifying a log record, an interior node, or a tree root
 * (Go's `tlog.Hash`). Functions that take a Hash check its length; none keeps the caller's buffer.
 */
export type Hash = Uint8Array;

/**
 * HASH_SIZE is the size of a {@link Hash} in bytes (Go's `tlog.HashSize`).
 *
 * @example
 * ```ts
 * import { HASH_SIZE } from 'gosumdb/tlog';
 * console.log(HASH_SIZE); // 32
 * ```
 */
export const HASH_SIZE = 32;

/**
 * emptyTreeHash is the hash of the tree with no records: SHA-256 of the empty string, as RFC 6962
 * §2.1 defines and x/mod returns since v0.19.0 (older x/mod, such as Debian's v0.7.0, returns 32
 * zero bytes). This module keeps its own copy, so changing these bytes changes no verdict.
 *
 * @example
 * ```ts
 * import { emptyTreeHash, formatHash } from 'gosumdb/tlog';
 * console.log(formatHash(emptyTreeHash)); // 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export const emptyTreeHash: Hash = nobleSha256.hash(new Uint8Array(0));

/** emptyRoot returns a fresh copy of the empty tree's hash, immune to changes to {@link emptyTreeHash}. */
export function emptyRoot(): Hash {
  return nobleSha256.hash(new Uint8Array(0));
}

/** checkHash throws a TypeError unless h is a 32-byte Uint8Array; `what` names it. */
export function checkHash(h: unknown, what: string): asserts h is Hash {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    throw new TypeError(`${what} must be a ${HASH_SIZE}-byte Uint8Array`);
  }
}

/** isHash reports whether h is a 32-byte Uint8Array (for data that may be hostile). */
export function isHash(h: unknown): h is Hash {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

/** Hasher computes RFC 6962 leaf and node hashes with one SHA-256 provider, reusing its buffer. */
export type Hasher = {
  readonly record: (data: Uint8Array) => Hash;
  readonly node: (left: Hash, right: Hash) => Hash;
  /** recordInto writes the leaf hash of data into `out[at..at+32)`, allocating nothing (flat buffers of many hashes). */
  readonly recordInto: (data: Uint8Array, out: Uint8Array, at: number) => void;
  /** nodeInto writes the node hash of `pair` (left || right, 64 bytes) into `out[at..at+32)`; pair may be a view of out. */
  readonly nodeInto: (pair: Uint8Array, out: Uint8Array, at: number) => void;
};

/** newHasher returns the RFC 6962 hash functions over the given SHA-256 provider. */
export function newHasher(sha: Sha256): Hasher {
  // Reused input buffers: measured, allocation (and so GC) dominated verifyLog without them.
  let scratch = new Uint8Array(256);
  const buf = new Uint8Array(1 + 2 * HASH_SIZE);
  buf[0] = 0x01;
  // RFC 6962 §2.1: leaf hash = SHA-256(0x00 || data).
  const leafInput = (data: Uint8Array): Uint8Array => {
    if (scratch.length < 1 + data.length) scratch = new Uint8Array(Math.max(1 + data.length, 2 * scratch.length));
    scratch.set(data, 1);
    return scratch.subarray(0, 1 + data.length);
  };
  // RFC 6962 §2.1: node hash = SHA-256(0x01 || left || right).
  const nodeInput = (left: Uint8Array, right: Uint8Array): Uint8Array => {
    buf.set(left, 1);
    buf.set(right, 1 + HASH_SIZE);
    return buf;
  };
  return {
    record: (data) => sha.hash(leafInput(data)),
    node: (left, right) => sha.hash(nodeInput(left, right)),
    recordInto: (data, out, at) => sha256Into(sha, leafInput(data), out, at),
    nodeInto: (pair, out, at) => {
      buf.set(pair, 1);
      sha256Into(sha, buf, out, at);
    },
  };
}

const noble = newHasher(nobleSha256);

/**
 * recordHash returns the hash of a log record's data, SHA-256(0x00 || data) as RFC 6962 §2.1
 * defines leaf hashes (Go's `tlog.RecordHash`).
 *
 * @example
 * ```ts
 * import { recordHash, formatHash } from 'gosumdb/tlog';
 * console.log(formatHash(recordHash(new TextEncoder().encode('hello world'))));
 * // TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=
 * ```
 */
export function recordHash(data: Uint8Array): Hash {
  if (!(data instanceof Uint8Array)) throw new TypeError('record data must be a Uint8Array');
  return noble.record(data);
}

/**
 * nodeHash returns the hash of an interior tree node, SHA-256(0x01 || left || right) as RFC 6962
 * §2.1 defines it (Go's `tlog.NodeHash`).
 *
 * @throws TypeError if either hash is not 32 bytes.
 * @example
 * ```ts
 * import { nodeHash, recordHash, formatHash } from 'gosumdb/tlog';
 * const a = recordHash(new TextEncoder().encode('a'));
 * const b = recordHash(new TextEncoder().encode('b'));
 * // The root of the two-record log [a, b]:
 * console.log(formatHash(nodeHash(a, b))); // sTeYX/SE+2ANuTEHx3sDZcgNePW0Kd7Q/Zc2HQd5mes=
 * ```
 */
export function nodeHash(left: Hash, right: Hash): Hash {
  checkHash(left, 'left');
  checkHash(right, 'right');
  return noble.node(left, right);
}

/**
 * parseHash parses the base64 form of a hash (Go's `tlog.ParseHash`), with Go's
 * `base64.StdEncoding` rules: padding required, `\r` and `\n` ignored.
 *
 * @throws GosumdbError `ERR_HASH_MALFORMED` ("malformed hash") unless s decodes to 32 bytes.
 * @example
 * ```ts
 * import { parseHash } from 'gosumdb/tlog';
 * const h = parseHash('TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=');
 * console.log(h.length); // 32
 * ```
 */
export function parseHash(s: string): Hash {
  if (typeof s !== 'string') throw new TypeError('hash must be a string');
  const h = decodeBase64(s);
  if (h === undefined || h.length !== HASH_SIZE) throw new GosumdbError('ERR_HASH_MALFORMED', 'malformed hash');
  return h;
}

/**
 * formatHash returns the base64 form of a hash, as Go's `tlog.Hash.String` prints it and as it
 * appears in signed tree notes.
 *
 * @throws TypeError if h is not 32 bytes.
 * @example
 * ```ts
 * import { formatHash, emptyTreeHash } from 'gosumdb/tlog';
 * console.log(formatHash(emptyTreeHash)); // 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export function formatHash(h: Hash): string {
  checkHash(h, 'hash');
  return encodeBase64(h);
}
