import { concatBytes, decodeBase64, decodeUtf8, encodeBase64, hasPrefix, utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { InvalidSignatureError, UnknownVerifierError, UnverifiedNoteError } from './errors.js';
import { isValidKeyName, verifierList, type Signer, type Verifiers } from './key.js';

/** Signature is one signature line of a note, verified or not, like Go's `note.Signature`. */
export type Signature = {
  /** Name of the key that made the signature. */
  readonly name: string;
  /** Hash of the key that made the signature (unsigned 32-bit). */
  readonly hash: number;
  /** The signature as written in the note: base64 of the 4-byte key hash and the signature bytes. */
  readonly base64: string;
};

/** Note is a text with signatures, like Go's `note.Note`. */
export type Note = {
  /** The signed text, ending in a newline. */
  readonly text: string;
  /** Signatures verified by known keys. */
  readonly sigs: readonly Signature[];
  /** Signatures by unknown keys (not verified). */
  readonly unverifiedSigs: readonly Signature[];
};

// Go's note.Open accepts at most this many signature lines.
const MAX_SIGNATURES = 100;

const EM_DASH_SPACE = utf8('— ');

function malformed(): GosumdbError {
  return new GosumdbError('ERR_NOTE_MALFORMED', 'malformed note');
}

function lastBlankLine(msg: Uint8Array): number {
  for (let i = msg.length - 2; i >= 0; i--) if (msg[i] === 0x0a && msg[i + 1] === 0x0a) return i;
  return -1;
}

/**
 * openNote parses a signed note and verifies its signatures against the known keys, with the same
 * verdicts as Go's `note.Open`. The message must be UTF-8 without control characters other than
 * newline; the text ends at the last blank line; each following line is `— <name> <base64>`; at
 * most 100 signatures. A signature by a known key must verify (else the note is rejected);
 * signatures by unknown keys are kept in `unverifiedSigs`; repeated signatures are dropped
 * (a key's later signatures are not even checked, as in Go). At least one known key must have
 * signed.
 *
 * @throws GosumdbError `ERR_NOTE_MALFORMED` ("malformed note"); {@link UnverifiedNoteError}
 *   `ERR_NOTE_UNVERIFIED`; {@link InvalidSignatureError} `ERR_NOTE_INVALID_SIGNATURE`;
 *   {@link AmbiguousVerifierError} `ERR_NOTE_AMBIGUOUS_VERIFIER`; GosumdbError
 *   `ERR_NOTE_MISMATCHED_VERIFIER` if `known` returns a verifier for another name or hash; any
 *   other error thrown by `known.verifier`. Without `known` (Go: nil Verifiers), no key is known.
 * @example
 * ```ts
 * import { newVerifier, openNote, verifierList } from 'gosumdb/note';
 * const msg = new TextEncoder().encode(
 *   "If you think cryptography is the answer to your problem,\n" +
 *   "then you don't know what your problem is.\n" +
 *   "\n" +
 *   "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n");
 * const v = newVerifier('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
 * const n = openNote(msg, verifierList(v));
 * console.log(n.sigs[0]?.name, n.text.split('\n').length); // PeterNeumann 3
 * ```
 */
export function openNote(msg: Uint8Array, known: Verifiers = verifierList()): Note {
  if (!(msg instanceof Uint8Array)) throw new TypeError('note message must be a Uint8Array');
  for (const b of msg) if (b < 0x20 && b !== 0x0a) throw malformed();
  if (decodeUtf8(msg) === undefined) throw malformed();

  const split = lastBlankLine(msg);
  if (split < 0) throw malformed();
  const textBytes = msg.slice(0, split + 1);
  let sigs = msg.subarray(split + 2);
  if (sigs.length === 0 || sigs[sigs.length - 1] !== 0x0a) throw malformed();
  const text = decodeUtf8(textBytes)!;

  const verified: Signature[] = [];
  const unverified: Signature[] = [];
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  let numSig = 0;
  while (sigs.length > 0) {
    const nl = sigs.indexOf(0x0a);
    const lineBytes = sigs.subarray(0, nl);
    sigs = sigs.subarray(nl + 1);
    if (!hasPrefix(lineBytes, EM_DASH_SPACE)) throw malformed();
    // Valid UTF-8 was checked above, and the prefix ends on a character boundary.
    const line = decodeUtf8(lineBytes.subarray(EM_DASH_SPACE.length))!;
    const sp = line.indexOf(' ');
    const name = sp < 0 ? line : line.slice(0, sp);
    const b64 = sp < 0 ? '' : line.slice(sp + 1);
    const raw = decodeBase64(b64);
    if (raw === undefined || !isValidKeyName(name) || b64 === '' || raw.length < 5) throw malformed();
    const hash = raw[0]! * 2 ** 24 + raw[1]! * 2 ** 16 + raw[2]! * 2 ** 8 + raw[3]!;
    const sig = raw.subarray(4);
    // Attacker-controlled: bound the work before looking at more lines.
    if (++numSig > MAX_SIGNATURES) throw malformed();

    let v;
    try {
      v = known.verifier(name, hash);
    } catch (e) {
      if (!(e instanceof UnknownVerifierError)) throw e;
      if (!seenUnverified.has(line)) {
        seenUnverified.add(line);
        unverified.push(Object.freeze({ name, hash, base64: b64 }));
      }
      continue;
    }
    if (v.name !== name || v.keyHash !== hash) {
      throw new GosumdbError('ERR_NOTE_MISMATCHED_VERIFIER', "verifier name or hash doesn't match signature");
    }
    // Go parity: a key's repeated signatures are skipped without being verified.
    const id = `${hash} ${name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!v.verify(textBytes, sig)) throw new InvalidSignatureError(name, hash);
    verified.push(Object.freeze({ name, hash, base64: b64 }));
  }

  const note: Note = Object.freeze({ text, sigs: Object.freeze(verified), unverifiedSigs: Object.freeze(unverified) });
  if (verified.length === 0) throw new UnverifiedNoteError(note);
  return note;
}

/**
 * signNote signs a note's text with the given signers and returns the encoded message, producing
 * the same bytes as Go's `note.Sign`: the text, a blank line, then the note's existing
 * signatures (`sigs`, then `unverifiedSigs`, dropping those by a key that signs again now), then
 * the new signatures in signer order.
 *
 * @throws GosumdbError `ERR_NOTE_MALFORMED` ("malformed note") if the text does not end in a
 *   newline or an existing signature is invalid (bad name, bad base64, hash not matching);
 *   `ERR_NOTE_INVALID_SIGNER` ("invalid signer") if a signer's name is not a valid key name.
 *   TypeError if the text is not well-formed Unicode (it has no UTF-8 encoding).
 * @example
 * ```ts
 * import { newSigner, signNote } from 'gosumdb/note';
 * const s = newSigner('PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz');
 * const text = "If you think cryptography is the answer to your problem,\n" +
 *   "then you don't know what your problem is.\n";
 * console.log(new TextDecoder().decode(signNote({ text }, s)).endsWith(
 *   '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n')); // true
 * ```
 */
export function signNote(
  n: { readonly text: string; readonly sigs?: readonly Signature[]; readonly unverifiedSigs?: readonly Signature[] },
  ...signers: Signer[]
): Uint8Array {
  if (typeof n?.text !== 'string') throw new TypeError('note text must be a string');
  if (/[\uD800-\uDFFF]/u.test(n.text)) throw new TypeError('note text is not well-formed Unicode');
  if (!n.text.endsWith('\n')) throw malformed();
  const text = utf8(n.text);

  const have = new Set<string>();
  let added = '';
  for (const s of signers) {
    have.add(`${s.keyHash} ${s.name}`);
    if (!isValidKeyName(s.name)) throw new GosumdbError('ERR_NOTE_INVALID_SIGNER', 'invalid signer');
    const sig = s.sign(text);
    const h = s.keyHash;
    if (!Number.isInteger(h) || h < 0 || h >= 2 ** 32) throw new TypeError(`signer ${s.name} has key hash ${String(h)}, not a uint32`);
    const hashBytes = new Uint8Array([Math.floor(h / 2 ** 24) % 256, Math.floor(h / 2 ** 16) % 256, Math.floor(h / 2 ** 8) % 256, h % 256]);
    added += `— ${s.name} ${encodeBase64(concatBytes(hashBytes, sig))}\n`;
  }

  let out = '\n';
  for (const sig of [...(n.sigs ?? []), ...(n.unverifiedSigs ?? [])]) {
    if (!isValidKeyName(sig.name)) throw malformed();
    if (have.has(`${sig.hash} ${sig.name}`)) continue;
    // Double-check the hash against the base64 text, as Go does.
    const raw = decodeBase64(sig.base64);
    if (raw === undefined || raw.length < 4 || raw[0]! * 2 ** 24 + raw[1]! * 2 ** 16 + raw[2]! * 2 ** 8 + raw[3]! !== sig.hash)
      throw malformed();
    out += `— ${sig.name} ${sig.base64}\n`;
  }
  return concatBytes(text, utf8(out + added));
}
