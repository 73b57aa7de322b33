/**
 * gosumdb/note: signed notes and their keys, with the verdicts of Go's
 * `golang.org/x/mod/sumdb/note` (the format of every statement the Go checksum database makes),
 * plus C2SP tlog-cosignature witness cosignatures and a quorum policy.
 *
 * - Keys: {@link newVerifier}, {@link newSigner}, {@link generateKey}, {@link newEd25519VerifierKey},
 *   {@link verifierList}, {@link SUM_GOLANG_ORG_KEY}.
 * - Notes: {@link openNote} (parse and verify) and {@link signNote} (byte-identical to Go).
 * - Ed25519 with Go's exact verification rule: {@link ed25519Verify}.
 * - Cosignatures: {@link newCosignatureV1Verifier}, {@link openCosignedNote}.
 *
 * @module
 */
export { ed25519PublicKey, ed25519Sign, ed25519Verify } from './ed25519.js';
export { AmbiguousVerifierError, InvalidSignatureError, UnknownVerifierError, UnverifiedNoteError } from './errors.js';
export {
  generateKey,
  isValidKeyName,
  keyHash,
  newEd25519VerifierKey,
  newSigner,
  newVerifier,
  SUM_GOLANG_ORG_KEY,
  verifierList,
  type Signer,
  type Verifier,
  type Verifiers,
} from './key.js';
export { openNote, signNote, type Note, type Signature } from './note.js';
export {
  cosignatureV1Timestamp,
  generateCosignatureV1Key,
  newCosignatureV1Signer,
  newCosignatureV1Verifier,
  openCosignedNote,
  type CosignaturePolicy,
  type CosignedNote,
  type WitnessSignature,
} from './cosignature.js';
