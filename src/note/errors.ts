import { GosumdbError } from '../internal/errors.js';
import type { Note } from './note.js';

/** formatKeyId renders a key as Go does in error messages: `name+hash` with 8 hex digits. */
export function formatKeyId(name: string, keyHash: number): string {
  return `${name}+${keyHash.toString(16).padStart(8, '0')}`;
}

/**
 * UnknownVerifierError reports that no known verifier has this name and key hash, like Go's
 * `note.UnknownVerifierError`. {@link Verifiers.verifier} throws it; {@link openNote} catches it
 * and records the signature as unverified. Code `ERR_NOTE_UNKNOWN_VERIFIER`.
 *
 * @example
 * ```ts
 * import { UnknownVerifierError, verifierList } from 'gosumdb/note';
 * try { verifierList().verifier('example.com', 1); } catch (e) {
 *   console.log(e instanceof UnknownVerifierError, (e as UnknownVerifierError).message); // true unknown key example.com+00000001
 * }
 * ```
 */
export class UnknownVerifierError extends GosumdbError {
  /** The key name that was looked up. */
  readonly keyName: string;
  /** The key hash that was looked up. */
  readonly keyHash: number;

  constructor(keyName: string, keyHash: number) {
    super('ERR_NOTE_UNKNOWN_VERIFIER', `unknown key ${formatKeyId(keyName, keyHash)}`);
    this.keyName = keyName;
    this.keyHash = keyHash;
  }
}

/**
 * AmbiguousVerifierError reports that several verifiers given to {@link verifierList} share a name
 * and key hash, as Go's (unexported) ambiguousVerifierError: someone tampered with the key list,
 * so {@link openNote} gives up. Code `ERR_NOTE_AMBIGUOUS_VERIFIER`.
 *
 * @example
 * ```ts
 * import { AmbiguousVerifierError, newVerifier, verifierList, SUM_GOLANG_ORG_KEY } from 'gosumdb/note';
 * const v = newVerifier(SUM_GOLANG_ORG_KEY);
 * try { verifierList(v, v).verifier(v.name, v.keyHash); } catch (e) {
 *   console.log(e instanceof AmbiguousVerifierError); // true
 * }
 * ```
 */
export class AmbiguousVerifierError extends GosumdbError {
  /** The ambiguous key name. */
  readonly keyName: string;
  /** The ambiguous key hash. */
  readonly keyHash: number;

  constructor(keyName: string, keyHash: number) {
    super('ERR_NOTE_AMBIGUOUS_VERIFIER', `ambiguous key ${formatKeyId(keyName, keyHash)}`);
    this.keyName = keyName;
    this.keyHash = keyHash;
  }
}

/**
 * InvalidSignatureError reports that a known key's signature on a note does not verify, like Go's
 * `note.InvalidSignatureError`: the note is rejected as a whole. Code `ERR_NOTE_INVALID_SIGNATURE`.
 *
 * @example
 * ```ts
 * import { InvalidSignatureError, newVerifier, openNote, verifierList } from 'gosumdb/note';
 * const v = newVerifier('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
 * const forged = 'hello\n\n— PeterNeumann x08go/' + 'A'.repeat(85) + '=\n';
 * try { openNote(new TextEncoder().encode(forged), verifierList(v)); } catch (e) {
 *   console.log(e instanceof InvalidSignatureError, (e as InvalidSignatureError).keyName); // true PeterNeumann
 * }
 * ```
 */
export class InvalidSignatureError extends GosumdbError {
  /** The name of the key whose signature failed. */
  readonly keyName: string;
  /** The hash of the key whose signature failed. */
  readonly keyHash: number;

  constructor(keyName: string, keyHash: number) {
    super('ERR_NOTE_INVALID_SIGNATURE', `invalid signature for key ${formatKeyId(keyName, keyHash)}`);
    this.keyName = keyName;
    this.keyHash = keyHash;
  }
}

/**
 * UnverifiedNoteError reports a well-formed note that no known key signed, like Go's
 * `note.UnverifiedNoteError`. The parsed (untrusted) note is in `note`. Code `ERR_NOTE_UNVERIFIED`.
 *
 * @example
 * ```ts
 * import { UnverifiedNoteError, openNote, verifierList } from 'gosumdb/note';
 * const msg = 'hello\n\n— PeterNeumann x08go/' + 'A'.repeat(85) + '=\n';
 * try { openNote(new TextEncoder().encode(msg), verifierList()); } catch (e) {
 *   if (e instanceof UnverifiedNoteError) console.log(e.note.unverifiedSigs[0]?.name); // PeterNeumann
 * }
 * ```
 */
export class UnverifiedNoteError extends GosumdbError {
  /** The parsed note; its text is not to be trusted. */
  readonly note: Note;

  constructor(note: Note) {
    super('ERR_NOTE_UNVERIFIED', 'note has no verifiable signatures');
    this.note = note;
  }
}
