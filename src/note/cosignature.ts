// C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature): timestamped Ed25519
// cosignatures by witnesses, note signature type 0x04. Go's x/mod has no equivalent.
import { concatBytes, decodeBase64, utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { checkIndex } from '../internal/num.js';
import { ED25519_SIGNATURE_SIZE, ed25519Sign, ed25519Verify } from './ed25519.js';
import { formatKeyId } from './errors.js';
import { generateKeyPair, parseSignerKey, parseVerifierKey, verifierList, type Signer, type Verifier } from './key.js';
import { openNote, type Note, type Signature } from './note.js';

/** ALG_COSIGNATURE_V1 is the signature type byte of C2SP cosignature/v1 keys (timestamped Ed25519). */
export const ALG_COSIGNATURE_V1 = 4;

const TIMESTAMP_SIZE = 8;
const cosignatureVerifiers = new WeakSet<Verifier>();

// tlog-cosignature §"Ed25519 signed message": header line, timestamp line, then the note text.
function signedMessage(timestamp: bigint | number, text: Uint8Array): Uint8Array {
  return concatBytes(utf8(`cosignature/v1\ntime ${timestamp.toString()}\n`), text);
}

function timestampOf(sig: Uint8Array): bigint {
  let t = 0n;
  for (let i = 0; i < TIMESTAMP_SIZE; i++) t = t * 256n + BigInt(sig[i]!);
  return t;
}

/**
 * newCosignatureV1Verifier parses a cosigner (witness) verifier key `<name>+<hash>+<base64(0x04 ||
 * Ed25519 public key)>` into a {@link Verifier} for C2SP tlog-cosignature v1 signatures: 8-byte
 * big-endian timestamp followed by an Ed25519 signature (Go's verification rule) over
 * `cosignature/v1\ntime <timestamp>\n` and the note text. Timestamps above 2^53−1 (about 285
 * million years ahead) are rejected, as the spec allows for timestamps in the future.
 *
 * @throws GosumdbError `ERR_KEY_MALFORMED`: "malformed verifier id", "invalid verifier hash" or
 *   "unknown verifier algorithm" (not type 0x04), checked in that order as for {@link newVerifier}.
 * @example
 * ```ts
 * import { generateCosignatureV1Key, newCosignatureV1Verifier } from 'gosumdb/note';
 * const { vkey } = generateCosignatureV1Key('witness.example.com/w1');
 * console.log(newCosignatureV1Verifier(vkey).name); // witness.example.com/w1
 * ```
 */
export function newCosignatureV1Verifier(vkey: string): Verifier {
  const { name, keyHash, publicKey: pub } = parseVerifierKey(vkey, ALG_COSIGNATURE_V1);
  const v: Verifier = Object.freeze({
    name,
    keyHash,
    verify(msg: Uint8Array, sig: Uint8Array): boolean {
      if (sig.length !== TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE) return false;
      const t = timestampOf(sig);
      if (t > BigInt(Number.MAX_SAFE_INTEGER)) return false;
      return ed25519Verify(pub, signedMessage(t, msg), sig.subarray(TIMESTAMP_SIZE));
    },
  });
  cosignatureVerifiers.add(v);
  return v;
}

/**
 * newCosignatureV1Signer parses a cosigner signer key `PRIVATE+KEY+<name>+<hash>+<base64(0x04 ||
 * seed)>` into a {@link Signer} that makes C2SP cosignature/v1 signatures stamped with `now()`
 * (POSIX seconds; default the current time).
 *
 * @throws GosumdbError `ERR_KEY_MALFORMED` as {@link newSigner}. The signer throws RangeError if
 *   now() is not a safe non-negative integer.
 * @example
 * ```ts
 * import { generateCosignatureV1Key, newCosignatureV1Signer } from 'gosumdb/note';
 * const { skey } = generateCosignatureV1Key('witness.example.com/w1');
 * const s = newCosignatureV1Signer(skey, () => 1679315147);
 * console.log(s.sign(new TextEncoder().encode('x\n')).length); // 72
 * ```
 */
export function newCosignatureV1Signer(skey: string, now: () => number = () => Math.floor(Date.now() / 1000)): Signer {
  const { name, keyHash, seed } = parseSignerKey(skey, ALG_COSIGNATURE_V1);
  return Object.freeze({
    name,
    keyHash,
    sign(msg: Uint8Array): Uint8Array {
      const t = now();
      checkIndex(t, 'cosignature timestamp');
      const ts = new Uint8Array(TIMESTAMP_SIZE);
      let rest = BigInt(t);
      for (let i = TIMESTAMP_SIZE - 1; i >= 0; i--, rest /= 256n) ts[i] = Number(rest % 256n);
      return concatBytes(ts, ed25519Sign(seed, signedMessage(t, msg)));
    },
  });
}

/**
 * generateCosignatureV1Key creates a new cosigner key pair (signature type 0x04) for a witness
 * name: `skey` for {@link newCosignatureV1Signer}, `vkey` for {@link newCosignatureV1Verifier}.
 *
 * @throws TypeError for an invalid key name or if rand does not return 32 bytes.
 * @example
 * ```ts
 * import { generateCosignatureV1Key } from 'gosumdb/note';
 * console.log(generateCosignatureV1Key('witness.example.com/w1').vkey.startsWith('witness.example.com/w1+')); // true
 * ```
 */
export function generateCosignatureV1Key(name: string, rand?: (n: number) => Uint8Array): { skey: string; vkey: string } {
  return generateKeyPair(name, ALG_COSIGNATURE_V1, rand);
}

/**
 * cosignatureV1Timestamp returns the timestamp (POSIX seconds) that a cosignature/v1 signature
 * claims. Only meaningful for a signature {@link openNote} verified with a cosigner key.
 *
 * @throws GosumdbError `ERR_COSIGNATURE_MALFORMED` if the signature is not 4 + 72 bytes of base64
 *   or its timestamp is above 2^53−1.
 * @example
 * ```ts
 * import { cosignatureV1Timestamp } from 'gosumdb/note';
 * const raw = new Uint8Array(76); raw[11] = 42;
 * console.log(cosignatureV1Timestamp({ name: 'w', hash: 0, base64: btoa(String.fromCharCode(...raw)) })); // 42
 * ```
 */
export function cosignatureV1Timestamp(sig: Signature): number {
  const raw = decodeBase64(sig.base64);
  if (raw === undefined || raw.length !== 4 + TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE) {
    throw new GosumdbError('ERR_COSIGNATURE_MALFORMED', `malformed cosignature from ${sig.name}`);
  }
  const t = timestampOf(raw.subarray(4));
  if (t > BigInt(Number.MAX_SAFE_INTEGER))
    throw new GosumdbError('ERR_COSIGNATURE_MALFORMED', `cosignature timestamp ${t} from ${sig.name} out of range`);
  return Number(t);
}

/** WitnessSignature is a verified witness signature; `timestamp` is set for cosignature/v1 keys. */
export type WitnessSignature = Signature & { readonly timestamp?: number };

/** CosignedNote is a note verified by the log key and a quorum of witnesses. */
export type CosignedNote = Note & {
  /** The verified witness signatures, in note order. */
  readonly witnesses: readonly WitnessSignature[];
};

/** CosignaturePolicy says who must sign: the log key and at least `quorum` of the witness keys. */
export type CosignaturePolicy = {
  readonly log: Verifier;
  readonly witnesses: readonly Verifier[];
  readonly quorum: number;
};

/**
 * openCosignedNote opens a note (with {@link openNote}'s rules) and accepts it only if the log
 * key signed it and at least `quorum` distinct witness keys did too — the split-view protection of
 * C2SP tlog-cosignature. Witness keys may be cosignature/v1 keys ({@link newCosignatureV1Verifier})
 * or plain note keys. Signatures by other keys, of any type, are ignored.
 *
 * @throws everything {@link openNote} throws; GosumdbError `ERR_NOTE_NOT_SIGNED_BY_LOG` if the log
 *   key did not sign; `ERR_NOTE_QUORUM` if fewer than `quorum` witnesses signed. RangeError if
 *   quorum is not an integer in 0..witnesses.length.
 * @example
 * ```ts
 * import { generateKey, generateCosignatureV1Key, newSigner, newVerifier, newCosignatureV1Signer,
 *   newCosignatureV1Verifier, signNote, openCosignedNote } from 'gosumdb/note';
 * const log = generateKey('example.com/log');
 * const w = generateCosignatureV1Key('witness.example.com/w1');
 * const text = 'example.com/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
 * const msg = signNote({ text }, newSigner(log.skey), newCosignatureV1Signer(w.skey, () => 1700000000));
 * const n = openCosignedNote(msg, { log: newVerifier(log.vkey), witnesses: [newCosignatureV1Verifier(w.vkey)], quorum: 1 });
 * console.log(n.witnesses[0]?.timestamp); // 1700000000
 * ```
 */
export function openCosignedNote(msg: Uint8Array, policy: CosignaturePolicy): CosignedNote {
  const { log, witnesses, quorum } = policy;
  checkIndex(quorum, 'quorum');
  if (quorum > witnesses.length) throw new RangeError(`quorum ${quorum} exceeds the ${witnesses.length} witness keys`);
  const n = openNote(msg, verifierList(log, ...witnesses));
  const isLog = (s: Signature) => s.name === log.name && s.hash === log.keyHash;
  if (!n.sigs.some(isLog)) {
    throw new GosumdbError('ERR_NOTE_NOT_SIGNED_BY_LOG', `note not signed by log key ${formatKeyId(log.name, log.keyHash)}`);
  }
  const found: WitnessSignature[] = [];
  for (const s of n.sigs) {
    if (isLog(s)) continue;
    const w = witnesses.find((v) => v.name === s.name && v.keyHash === s.hash);
    if (!w) continue;
    found.push(Object.freeze(cosignatureVerifiers.has(w) ? { ...s, timestamp: cosignatureV1Timestamp(s) } : { ...s }));
  }
  if (found.length < quorum) {
    throw new GosumdbError('ERR_NOTE_QUORUM', `note has ${found.length} of ${quorum} required witness cosignatures`);
  }
  return Object.freeze({ ...n, witnesses: Object.freeze(found) });
}
