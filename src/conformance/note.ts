// Runners for vectors/note/*.json (see vectors/README.md, "note").
import { concatBytes, encodeBase64, utf8 } from '../internal/bytes.js';
import {
  cosignatureV1Timestamp,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  generateKey,
  newCosignatureV1Signer,
  newCosignatureV1Verifier,
  newEd25519VerifierKey,
  newSigner,
  newVerifier,
  openNote,
  signNote,
  verifierList,
  type Note,
  type Signature,
} from '../note/index.js';
import { ALG_COSIGNATURE_V1 } from '../note/cosignature.js';
import { formatKey, parseSignerKeyFields } from '../note/key.js';
import { vectorBytes as bytes, type Runners } from './run.js';

function noteJson(n: Note): unknown {
  const sig = (s: Signature) => ({ name: s.name, hash: s.hash, base64: s.base64 });
  return { text: n.text, sigs: n.sigs.map(sig), unverifiedSigs: n.unverifiedSigs.map(sig) };
}

function open(input: { msgB64: string; vkeys: string[] }): unknown {
  return noteJson(openNote(bytes(input.msgB64), verifierList(...input.vkeys.map(newVerifier))));
}

function verify(input: { publicKeyB64: string; messageB64: string; signatureB64: string }): boolean {
  return ed25519Verify(bytes(input.publicKeyB64), bytes(input.messageB64), bytes(input.signatureB64));
}

// The message every signer-keys case signs (vectors/gen/note: signedMessage).
const signedMessage = utf8('hello, world\n');

/** noteRunners runs the `note/*` vector topics. */
export const noteRunners: Runners = {
  'note/verifier-keys': (input: { vkey: string }) => {
    const v = newVerifier(input.vkey);
    return { name: v.name, keyHash: v.keyHash };
  },
  'note/signer-keys': (input: { skey: string }) => {
    const s = newSigner(input.skey);
    return { name: s.name, keyHash: s.keyHash, sigB64: encodeBase64(s.sign(signedMessage)) };
  },
  'note/generate-key': (input: { name: string; randB64: string }) => generateKey(input.name, () => bytes(input.randB64)),
  'note/ed25519-verifier-key': (input: { name: string; publicKeyB64: string }) =>
    newEd25519VerifierKey(input.name, bytes(input.publicKeyB64)),
  'note/open': open,
  'note/open-mutations': open,
  'note/sign': (input: { text: string; sigs: Signature[]; unverifiedSigs: Signature[]; skeys: string[] }) => ({
    msgB64: encodeBase64(
      signNote({ text: input.text, sigs: input.sigs, unverifiedSigs: input.unverifiedSigs }, ...input.skeys.map(newSigner)),
    ),
  }),
  'note/ed25519': verify,
  'note/ed25519-small-order': verify,
  'note/ed25519-sign': (input: { seedB64: string; messageB64: string }) => {
    const seed = bytes(input.seedB64);
    return {
      publicKeyB64: encodeBase64(ed25519PublicKey(seed)),
      signatureB64: encodeBase64(ed25519Sign(seed, bytes(input.messageB64))),
    };
  },
  'note/cosignature': (input: { msgB64: string; vkeys: string[]; cosignerVKeys: string[] }) => {
    const cosigners = input.cosignerVKeys.map(newCosignatureV1Verifier);
    const n = openNote(bytes(input.msgB64), verifierList(...input.vkeys.map(newVerifier), ...cosigners));
    const timestamps = n.sigs.map((s) =>
      cosigners.some((c) => c.name === s.name && c.keyHash === s.hash) ? cosignatureV1Timestamp(s) : null,
    );
    return { ...(noteJson(n) as object), timestamps };
  },
  'note/cosignature-sign': (input: { skey: string; timestamp: number; text: string }) => {
    const s = newCosignatureV1Signer(input.skey, () => input.timestamp);
    const f = parseSignerKeyFields(input.skey)!;
    const vkey = formatKey(f.name, concatBytes(new Uint8Array([ALG_COSIGNATURE_V1]), ed25519PublicKey(f.key.slice(1))));
    return { vkey, msgB64: encodeBase64(signNote({ text: input.text }, s)) };
  },
};
