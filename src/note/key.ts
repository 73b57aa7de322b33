import { concatBytes, decodeBase64, encodeBase64, isSpace, utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { nobleSha256 } from '../internal/sha256.js';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE, ed25519PublicKey, ed25519Sign, ed25519Verify } from './ed25519.js';
import { AmbiguousVerifierError, UnknownVerifierError, formatKeyId } from './errors.js';

/**
 * Verifier checks signatures by one key, like Go's `note.Verifier`. {@link newVerifier} builds the
 * standard Ed25519 one; any object of this shape can be passed to {@link verifierList}.
 */
export interface Verifier {
  /** The server name associated with the key, e.g. `sum.golang.org`. */
  readonly name: string;
  /** The 32-bit key hash (an unsigned integer below 2^32). */
  readonly keyHash: number;
  /** verify reports whether sig is a valid signature of msg by this key. */
  verify(msg: Uint8Array, sig: Uint8Array): boolean;
}

/** Signer signs messages with one key, like Go's `note.Signer`; {@link newSigner} builds one. */
export interface Signer {
  /** The server name associated with the key. */
  readonly name: string;
  /** The 32-bit key hash of the corresponding verifier key. */
  readonly keyHash: number;
  /** sign returns the signature of msg. */
  sign(msg: Uint8Array): Uint8Array;
}

/** Verifiers finds the verifier for a name and key hash, like Go's `note.Verifiers`. */
export interface Verifiers {
  /**
   * verifier returns the verifier for this name and key hash.
   * @throws UnknownVerifierError (`ERR_NOTE_UNKNOWN_VERIFIER`) if there is none.
   */
  verifier(name: string, keyHash: number): Verifier;
}

/** ALG_ED25519 is the algorithm byte of Ed25519 note keys (C2SP signed-note signature type 0x01). */
const ALG_ED25519 = 1;

/**
 * SUM_GOLANG_ORG_KEY is the verifier key of the Go checksum database, built into the go command:
 * the only thing a client has to trust.
 *
 * @example
 * ```ts
 * import { newVerifier, SUM_GOLANG_ORG_KEY } from 'gosumdb/note';
 * console.log(newVerifier(SUM_GOLANG_ORG_KEY).name); // sum.golang.org
 * ```
 */
export const SUM_GOLANG_ORG_KEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';

/**
 * isValidKeyName reports whether name may name a key, as Go's note package requires: non-empty,
 * well-formed Unicode, no Unicode White_Space and no `+`.
 *
 * @example
 * ```ts
 * import { isValidKeyName } from 'gosumdb/note';
 * console.log(isValidKeyName('sum.golang.org'), isValidKeyName('a b'), isValidKeyName('a+b')); // true false false
 * ```
 */
export function isValidKeyName(name: string): boolean {
  // A lone surrogate is what invalid UTF-8 in a Go string becomes here.
  if (typeof name !== 'string' || name === '' || /[\uD800-\uDFFF]/u.test(name) || name.includes('+')) return false;
  for (const ch of name) if (isSpace(ch.codePointAt(0)!)) return false;
  return true;
}

/**
 * keyHash computes a key hash: the first 4 bytes (big-endian) of SHA-256(name || "\n" || key),
 * where key is the algorithm byte followed by the public key (C2SP signed-note key ID).
 *
 * @example
 * ```ts
 * import { keyHash } from 'gosumdb/note';
 * console.log(keyHash('x', new Uint8Array([1])).toString(16).length <= 8); // true
 * ```
 */
export function keyHash(name: string, key: Uint8Array): number {
  const h = nobleSha256.hash(concatBytes(utf8(name), utf8('\n'), key));
  return h[0]! * 2 ** 24 + h[1]! * 2 ** 16 + h[2]! * 2 ** 8 + h[3]!;
}

function chop(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

function keyError(message: 'malformed verifier id' | 'unknown verifier algorithm' | 'invalid verifier hash'): GosumdbError {
  return new GosumdbError('ERR_KEY_MALFORMED', message);
}

/** KeyFields is a parsed `name+hash+base64` key text; the hash is not checked yet. */
export type KeyFields = { readonly name: string; readonly hash: number; readonly key: Uint8Array };

/**
 * parseKeyFields splits `name+hash+base64(alg||key)` as Go's NewVerifier does and checks the
 * syntax (8 hex digits, Go's StdEncoding base64, a valid name, a non-empty key).
 * Returns undefined when the syntax is wrong.
 */
function parseKeyFields(text: string): KeyFields | undefined {
  const [name, rest] = chop(text, '+');
  const [hash16, key64] = chop(rest, '+');
  const key = decodeBase64(key64);
  if (!/^[0-9a-fA-F]{8}$/.test(hash16) || key === undefined || !isValidKeyName(name) || key.length === 0) return undefined;
  return { name, hash: parseInt(hash16, 16), key };
}

/**
 * newVerifier parses a verifier key `<name>+<hash>+<base64(alg || public key)>` into a
 * {@link Verifier}, with the same verdicts as Go's `note.NewVerifier`. Only Ed25519 (algorithm 1)
 * is known; Ed25519 signatures are checked with Go's exact rule (see {@link ed25519Verify}).
 *
 * @throws GosumdbError `ERR_KEY_MALFORMED` with Go's message: "malformed verifier id",
 *   "invalid verifier hash" (hash does not match; checked before the algorithm, as Go does) or
 *   "unknown verifier algorithm".
 * @example
 * ```ts
 * import { newVerifier, SUM_GOLANG_ORG_KEY } from 'gosumdb/note';
 * const v = newVerifier(SUM_GOLANG_ORG_KEY);
 * console.log(v.name, v.keyHash.toString(16)); // sum.golang.org 33de0ae
 * ```
 */
export function newVerifier(vkey: string): Verifier {
  const { name, keyHash, publicKey } = parseVerifierKey(vkey, ALG_ED25519);
  return Object.freeze({ name, keyHash, verify: (msg: Uint8Array, sig: Uint8Array) => ed25519Verify(publicKey, msg, sig) });
}

/**
 * parseVerifierKey checks a verifier key of signature type `alg` with Go's checks in Go's order
 * (syntax, hash, algorithm, public-key size); shared by {@link newVerifier} and the cosignature
 * verifier so that both keep the same verdicts.
 */
export function parseVerifierKey(vkey: string, alg: number): { name: string; keyHash: number; publicKey: Uint8Array } {
  if (typeof vkey !== 'string') throw new TypeError('verifier key must be a string');
  const f = parseKeyFields(vkey);
  if (!f) throw keyError('malformed verifier id');
  if (f.hash !== keyHash(f.name, f.key)) throw keyError('invalid verifier hash');
  if (f.key[0] !== alg) throw keyError('unknown verifier algorithm');
  const publicKey = f.key.slice(1);
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE) throw keyError('malformed verifier id');
  return { name: f.name, keyHash: f.hash, publicKey };
}

/**
 * parseSignerKeyFields splits `PRIVATE+KEY+name+hash+base64(alg||seed)` as Go's NewSigner does;
 * undefined when the syntax is wrong. The caller checks the hash against the derived public key.
 */
export function parseSignerKeyFields(skey: string): KeyFields | undefined {
  const [priv1, r1] = chop(skey, '+');
  const [priv2, r2] = chop(r1, '+');
  if (priv1 !== 'PRIVATE' || priv2 !== 'KEY') return undefined;
  return parseKeyFields(r2);
}

/**
 * newSigner parses a signer key `PRIVATE+KEY+<name>+<hash>+<base64(alg || seed)>` into a
 * {@link Signer}, with the same verdicts as Go's `note.NewSigner`; its signatures are
 * byte-identical to Go's (Ed25519 is deterministic). Keep signer keys secret.
 *
 * @throws GosumdbError `ERR_KEY_MALFORMED`: "malformed verifier id", "unknown verifier
 *   algorithm" (checked before the hash, as Go does) or "invalid verifier hash" (Go's wording).
 * @example
 * ```ts
 * import { newSigner } from 'gosumdb/note';
 * const s = newSigner('PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz');
 * console.log(s.name, s.sign(new TextEncoder().encode('hi\n')).length); // PeterNeumann 64
 * ```
 */
export function newSigner(skey: string): Signer {
  const { name, keyHash, seed } = parseSignerKey(skey, ALG_ED25519);
  return Object.freeze({ name, keyHash, sign: (msg: Uint8Array) => ed25519Sign(seed, msg) });
}

/**
 * parseSignerKey checks a signer key of signature type `alg` as Go's NewSigner does (syntax,
 * algorithm, seed size, then the hash of the derived public key); shared by {@link newSigner} and
 * the cosignature signer.
 */
export function parseSignerKey(skey: string, alg: number): { name: string; keyHash: number; seed: Uint8Array } {
  if (typeof skey !== 'string') throw new TypeError('signer key must be a string');
  const f = parseSignerKeyFields(skey);
  if (!f) throw keyError('malformed verifier id');
  if (f.key[0] !== alg) throw keyError('unknown verifier algorithm');
  const seed = f.key.slice(1);
  if (seed.length !== ED25519_SEED_SIZE) throw keyError('malformed verifier id');
  if (f.hash !== keyHash(f.name, concatBytes(new Uint8Array([alg]), ed25519PublicKey(seed)))) throw keyError('invalid verifier hash');
  return { name: f.name, keyHash: f.hash, seed };
}

/** formatKey renders `name+hash+base64(key)`; key includes the algorithm byte. */
export function formatKey(name: string, key: Uint8Array): string {
  return `${formatKeyId(name, keyHash(name, key))}+${encodeBase64(key)}`;
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) throw new TypeError(`invalid key name ${JSON.stringify(name)}: it must be non-empty, without spaces or '+'`);
}

function defaultRandom(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/**
 * generateKey creates a new Ed25519 key pair for the named server, like Go's `note.GenerateKey`:
 * `skey` is the secret signer key, `vkey` the verifier key to publish. rand supplies the 32-byte
 * seed (default: crypto.getRandomValues); Go reads the seed from its rand the same way, so equal
 * random bytes give equal keys.
 *
 * @throws TypeError if name is not a valid key name (Go would return an unusable key instead), or
 *   if rand does not return 32 bytes.
 * @example
 * ```ts
 * import { generateKey, newSigner, newVerifier } from 'gosumdb/note';
 * const { skey, vkey } = generateKey('example.com/log');
 * console.log(newSigner(skey).keyHash === newVerifier(vkey).keyHash); // true
 * ```
 */
export function generateKey(name: string, rand: (n: number) => Uint8Array = defaultRandom): { skey: string; vkey: string } {
  return generateKeyPair(name, ALG_ED25519, rand);
}

/**
 * generateKeyPair creates a key pair of signature type `alg` (Ed25519 keys underneath); shared by
 * {@link generateKey} and the cosignature key generator.
 */
export function generateKeyPair(
  name: string,
  alg: number,
  rand: (n: number) => Uint8Array = defaultRandom,
): { skey: string; vkey: string } {
  checkName(name);
  const seed = rand(ED25519_SEED_SIZE);
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_SIZE)
    throw new TypeError(`rand must return ${ED25519_SEED_SIZE} bytes`);
  const pub = concatBytes(new Uint8Array([alg]), ed25519PublicKey(seed));
  const id = formatKeyId(name, keyHash(name, pub));
  return {
    skey: `PRIVATE+KEY+${id}+${encodeBase64(concatBytes(new Uint8Array([alg]), seed))}`,
    vkey: `${id}+${encodeBase64(pub)}`,
  };
}

/**
 * newEd25519VerifierKey encodes an Ed25519 public key as a verifier key for the named server, like
 * Go's `note.NewEd25519VerifierKey`.
 *
 * @throws RangeError if publicKey is not 32 bytes (Go's "invalid public key size"); TypeError if
 *   name is not a valid key name.
 * @example
 * ```ts
 * import { newEd25519VerifierKey, ed25519PublicKey } from 'gosumdb/note';
 * console.log(newEd25519VerifierKey('example.com', ed25519PublicKey(new Uint8Array(32))).startsWith('example.com+')); // true
 * ```
 */
export function newEd25519VerifierKey(name: string, publicKey: Uint8Array): string {
  checkName(name);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new RangeError(`invalid public key size ${publicKey?.length}, expected ${ED25519_PUBLIC_KEY_SIZE}`);
  }
  return formatKey(name, concatBytes(new Uint8Array([ALG_ED25519]), publicKey));
}

/**
 * verifierList returns a {@link Verifiers} over a fixed list, like Go's `note.VerifierList`.
 * Looking up a name and hash shared by several verifiers throws {@link AmbiguousVerifierError}.
 *
 * @example
 * ```ts
 * import { newVerifier, verifierList, SUM_GOLANG_ORG_KEY } from 'gosumdb/note';
 * const known = verifierList(newVerifier(SUM_GOLANG_ORG_KEY));
 * console.log(known.verifier('sum.golang.org', 0x033de0ae).name); // sum.golang.org
 * ```
 */
export function verifierList(...verifiers: Verifier[]): Verifiers {
  const byName = new Map<string, Map<number, Verifier[]>>();
  for (const v of verifiers) {
    let byHash = byName.get(v.name);
    if (!byHash) {
      byHash = new Map();
      byName.set(v.name, byHash);
    }
    const list = byHash.get(v.keyHash) ?? [];
    list.push(v);
    byHash.set(v.keyHash, list);
  }
  return Object.freeze({
    verifier(name: string, hash: number): Verifier {
      const list = byName.get(name)?.get(hash);
      if (!list) throw new UnknownVerifierError(name, hash);
      if (list.length > 1) throw new AmbiguousVerifierError(name, hash);
      return list[0]!;
    },
  });
}
