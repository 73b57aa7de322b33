// Cases from Go's x/mod/sumdb/note tests (note_test.go): inputs and expected values are data
// taken from there, plus behaviours Go's tests pin with custom Verifiers/Signers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AmbiguousVerifierError,
  ed25519PublicKey,
  generateKey,
  InvalidSignatureError,
  newEd25519VerifierKey,
  newSigner,
  newVerifier,
  openNote,
  signNote,
  UnknownVerifierError,
  UnverifiedNoteError,
  verifierList,
  type Signer,
  type Verifier,
  type Verifiers,
} from '../../src/note/index.js';
import { GosumdbError } from '../../src/internal/errors.js';

const enc = (s: string) => new TextEncoder().encode(s);
const peterKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const peterSKey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const enochKey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterSig = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const enochSig = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const peter = {
  name: 'PeterNeumann',
  hash: 0xc74f20a3,
  base64: 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
};
const enoch = {
  name: 'EnochRoot',
  hash: 0xaf0cfe78,
  base64: 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof GosumdbError ? e.code : `not a GosumdbError: ${String(e)}`;
  }
  return 'no error';
}

test('newVerifier: every proper substring and every single-byte change of a key is rejected (Go TestNewVerifier)', () => {
  assert.equal(newVerifier(peterKey).keyHash, 0xc74f20a3);
  const bad: string[] = [];
  const b = [...enc(peterKey)];
  const str = (x: number[]) => String.fromCharCode(...x);
  for (let i = 0; i <= b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) if (i !== 0 || j !== b.length) bad.push(str(b.slice(i, j)));
  }
  for (let i = 0; i < b.length; i++) bad.push(str(b.map((x, k) => (k === i ? x + 1 : x))));
  bad.push('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==');
  bad.push('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
  for (const k of bad)
    assert.equal(
      code(() => newVerifier(k)),
      'ERR_KEY_MALFORMED',
      k,
    );
});

test('newSigner: every proper substring and every single-byte change of a key is rejected (Go TestNewSigner)', () => {
  const b = [...enc(peterSKey)];
  const str = (x: number[]) => String.fromCharCode(...x);
  for (let i = 0; i <= b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) {
      if (i === 0 && j === b.length) continue;
      assert.equal(
        code(() => newSigner(str(b.slice(i, j)))),
        'ERR_KEY_MALFORMED',
      );
    }
  }
  for (let i = 0; i < b.length; i++)
    assert.equal(
      code(() => newSigner(str(b.map((x, k) => (k === i ? x + 1 : x))))),
      'ERR_KEY_MALFORMED',
    );
});

function checkPair(name: string, s: Signer, v: Verifier): void {
  assert.equal(s.name, name);
  assert.equal(v.name, name);
  assert.equal(s.keyHash, v.keyHash);
  const msg = enc('hi');
  const sig = s.sign(msg);
  assert.ok(v.verify(msg, sig));
  sig[0] = (sig[0]! + 1) % 256;
  assert.ok(!v.verify(msg, sig));
  sig[0] = (sig[0]! + 255) % 256;
  msg[0] = msg[0]! + 1;
  assert.ok(!v.verify(msg, sig));
}

test('generateKey makes a working pair (Go TestGenerateKey)', () => {
  const { skey, vkey } = generateKey('EnochRoot');
  checkPair('EnochRoot', newSigner(skey), newVerifier(vkey));
  assert.throws(() => generateKey('EnochRoot', () => new Uint8Array(31)), TypeError);
  assert.throws(() => generateKey('bad name'), TypeError);
});

test('newEd25519VerifierKey (Go TestFromEd25519)', () => {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const s = newSigner(generateKey('EnochRoot', () => seed).skey);
  const pub = ed25519PublicKey(seed);
  checkPair('EnochRoot', s, newVerifier(newEd25519VerifierKey('EnochRoot', pub)));
  assert.throws(() => newEd25519VerifierKey('EnochRoot', pub.slice(0, 31)), RangeError);
});

test('signNote (Go TestSign)', () => {
  const signer = newSigner(peterSKey);
  const want = `${text}\n${peterSig}`;
  assert.equal(new TextDecoder().decode(signNote({ text }, signer)), want);
  assert.equal(
    new TextDecoder().decode(signNote({ text, sigs: [{ name: 'PeterNeumann', hash: 0xc74f20a3, base64: 'BADSIGN=' }] }, signer)),
    want,
  );
  assert.equal(
    code(() => signNote({ text: 'abc' }, signer)),
    'ERR_NOTE_MALFORMED',
  );
  assert.equal(
    code(() => signNote({ text, sigs: [{ name: 'a+b', hash: 0, base64: 'ABCD' }] })),
    'ERR_NOTE_MALFORMED',
  );
  assert.equal(
    code(() => signNote({ text, sigs: [{ name: 'PeterNeumann', hash: 0xc74f20a3, base64: 'BADHASH=' }] })),
    'ERR_NOTE_MALFORMED',
  );
  const badSigner: Signer = { name: 'bad name', keyHash: signer.keyHash, sign: (m) => signer.sign(m) };
  assert.equal(
    code(() => signNote({ text }, badSigner)),
    'ERR_NOTE_INVALID_SIGNER',
  );
  const surprise = new Error('surprise!');
  const errSigner: Signer = {
    name: signer.name,
    keyHash: signer.keyHash,
    sign: () => {
      throw surprise;
    },
  };
  assert.throws(
    () => signNote({ text }, errSigner),
    (e) => e === surprise,
  );
});

test('verifierList (Go TestVerifierList)', () => {
  const p = newVerifier(peterKey);
  const e = newVerifier(enochKey);
  const list = verifierList(p, e, e);
  assert.equal(list.verifier('PeterNeumann', 0xc74f20a3), p);
  assert.throws(
    () => list.verifier('PeterNeumann', 0xc74f20a4),
    (err) => err instanceof UnknownVerifierError && err.message === 'unknown key PeterNeumann+c74f20a4',
  );
  assert.throws(
    () => list.verifier('PeterNeuman', 0xc74f20a3),
    (err) => err instanceof UnknownVerifierError && err.message === 'unknown key PeterNeuman+c74f20a3',
  );
  assert.throws(
    () => list.verifier('EnochRoot', 0xaf0cfe78),
    (err) => err instanceof AmbiguousVerifierError && err.message === 'ambiguous key EnochRoot+af0cfe78',
  );
});

test('openNote (Go TestOpen)', () => {
  const p = newVerifier(peterKey);
  const e = newVerifier(enochKey);
  const both = enc(`${text}\n${peterSig}${enochSig}`);

  let n = openNote(both, verifierList(p));
  assert.equal(n.text, text);
  assert.deepEqual(n.sigs, [peter]);
  assert.deepEqual(n.unverifiedSigs, [enoch]);

  n = openNote(both, verifierList(p, e));
  assert.deepEqual(n.sigs, [peter, enoch]);
  assert.deepEqual(n.unverifiedSigs, []);

  assert.throws(
    () => openNote(both, verifierList()),
    (err) =>
      err instanceof UnverifiedNoteError &&
      err.code === 'ERR_NOTE_UNVERIFIED' &&
      err.message === 'note has no verifiable signatures' &&
      err.note.sigs.length === 0 &&
      JSON.stringify(err.note.unverifiedSigs) === JSON.stringify([peter, enoch]),
  );

  assert.throws(
    () => openNote(enc(`${text}\n${enochSig}`), verifierList(e, p, e)),
    (err) => err instanceof AmbiguousVerifierError && err.message === 'ambiguous key EnochRoot+af0cfe78',
  );
  openNote(enc(`${text}\n${peterSig}`), verifierList(e, p, e));

  assert.equal(
    code(() => openNote(enc(`${text}\n${peterSig.repeat(101)}`), verifierList(p))),
    'ERR_NOTE_MALFORMED',
  );
  assert.equal(
    code(() => openNote(enc(`${text}\n${peterSig.repeat(101)}`), verifierList())),
    'ERR_NOTE_MALFORMED',
  );

  assert.throws(
    () => openNote(enc(`${text}\n${peterSig.slice(0, 60)}ABCD${peterSig.slice(60)}`), verifierList(p)),
    (err) =>
      err instanceof InvalidSignatureError &&
      err.message === 'invalid signature for key PeterNeumann+c74f20a3' &&
      err.keyName === 'PeterNeumann' &&
      err.keyHash === 0xc74f20a3,
  );

  const enochABCD = {
    ...enoch,
    base64: 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n' + 'ABCD' + '2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
  };
  // JS strings index UTF-16 units; the em dash is one unit, so slice(60) here is Go's [60:] minus 2 bytes.
  const enochBad = enochSig.slice(0, 58) + 'ABCD' + enochSig.slice(58);
  n = openNote(enc(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${enochBad}`), verifierList(p));
  assert.deepEqual(n.sigs, [peter]);
  assert.deepEqual(n.unverifiedSigs, [enoch, enochABCD]);

  const bad = [
    text,
    `${text}\n`,
    `${text}\n${peterSig.slice(0, -1)}`,
    `\x01${text}\n${peterSig}`,
    `${text}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
    `${text}\n${peterSig}Unexpected line.\n`,
  ];
  for (const m of bad)
    assert.equal(
      code(() => openNote(enc(m), verifierList(p))),
      'ERR_NOTE_MALFORMED',
      m,
    );
  assert.equal(
    code(() => openNote(new Uint8Array([0xff, ...enc(`${text}\n${peterSig}`)]), verifierList(p))),
    'ERR_NOTE_MALFORMED',
  );

  const fixed: Verifiers = { verifier: () => p };
  assert.equal(
    code(() => openNote(enc(`${text}\n${peterSig.replaceAll('PeterNeumann', 'CarmenSandiego')}`), fixed)),
    'ERR_NOTE_MISMATCHED_VERIFIER',
  );
  assert.equal(
    code(() => openNote(enc(`${text}\n${peterSig.replaceAll('x08g', 'xxxx')}`), fixed)),
    'ERR_NOTE_MISMATCHED_VERIFIER',
  );
});

test('openNote passes through errors other than UnknownVerifierError from Verifiers', () => {
  const boom = new Error('lookup failed');
  const known: Verifiers = {
    verifier: () => {
      throw boom;
    },
  };
  assert.throws(
    () => openNote(enc(`${text}\n${peterSig}`), known),
    (e) => e === boom,
  );
});
