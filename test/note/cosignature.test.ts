// C2SP tlog-cosignature and the quorum policy, on notes signed by the Go generator
// (vectors/note/cosignature.json, written with crypto/ed25519 and x/mod's note.Sign).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GosumdbError } from '../../src/internal/errors.js';
import {
  cosignatureV1Timestamp,
  generateCosignatureV1Key,
  generateKey,
  newCosignatureV1Signer,
  newCosignatureV1Verifier,
  newSigner,
  newVerifier,
  openCosignedNote,
  openNote,
  signNote,
  UnverifiedNoteError,
  verifierList,
} from '../../src/note/index.js';

type Case = { name: string; input: { msgB64: string; vkeys: string[]; cosignerVKeys: string[] } };
const vf = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../vectors/note/cosignature.json'), 'utf8')) as { cases: Case[] };
const byName = (n: string) => vf.cases.find((c) => c.name === n)!.input;
const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

const three = byName('log-and-three-witnesses');
const msg = bytes(three.msgB64);
const log = newVerifier(three.vkeys[0]!);
const [w1, w2, w3] = three.cosignerVKeys.map(newCosignatureV1Verifier);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof GosumdbError ? e.code : e instanceof Error ? e.name : String(e);
  }
  return 'no error';
}

test('openCosignedNote accepts the log signature plus a quorum of witnesses and exposes timestamps', () => {
  const n = openCosignedNote(msg, { log, witnesses: [w1!, w2!, w3!], quorum: 3 });
  // Times chosen in vectors/gen/note/cosig.go (1679315147 is the spec's example).
  assert.deepEqual(
    n.witnesses.map((w) => [w.name, w.timestamp]),
    [
      ['witness.example.com/w1', 1679315147],
      ['witness.example.com/w2', 1700000000],
      ['witness.example.com/w3', 0],
    ],
  );
  assert.equal(n.text, 'example.com/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
  const two = openCosignedNote(msg, { log, witnesses: [w1!, w2!], quorum: 2 });
  assert.equal(two.witnesses.length, 2);
  assert.equal(two.unverifiedSigs.length, 1);
  assert.equal(openCosignedNote(msg, { log, witnesses: [], quorum: 0 }).witnesses.length, 0);
});

test('openCosignedNote rejects too few witnesses, a missing log signature, and bad quorums', () => {
  const other = newCosignatureV1Verifier(generateCosignatureV1Key('witness.example.com/other').vkey);
  assert.equal(
    code(() => openCosignedNote(msg, { log, witnesses: [w1!, other], quorum: 2 })),
    'ERR_NOTE_QUORUM',
  );
  const otherLog = newVerifier(generateKey('example.com/log').vkey);
  assert.equal(
    code(() => openCosignedNote(msg, { log: otherLog, witnesses: [w1!, w2!], quorum: 1 })),
    'ERR_NOTE_NOT_SIGNED_BY_LOG',
  );
  assert.ok(
    (() => {
      try {
        openCosignedNote(msg, { log: otherLog, witnesses: [other], quorum: 0 });
      } catch (e) {
        return e instanceof UnverifiedNoteError;
      }
      return false;
    })(),
  );
  assert.equal(
    code(() => openCosignedNote(msg, { log, witnesses: [w1!], quorum: 2 })),
    'RangeError',
  );
  assert.equal(
    code(() => openCosignedNote(msg, { log, witnesses: [w1!], quorum: -1 })),
    'RangeError',
  );
  assert.equal(
    code(() => openCosignedNote(msg, { log, witnesses: [w1!], quorum: 0.5 })),
    'RangeError',
  );
  // The log key listed as a witness too is an ambiguous key list.
  assert.equal(
    code(() => openCosignedNote(msg, { log, witnesses: [log], quorum: 1 })),
    'ERR_NOTE_AMBIGUOUS_VERIFIER',
  );
});

test('witness keys may be plain Ed25519 note keys; they count but have no timestamp', () => {
  const logKey = generateKey('example.com/log2');
  const plain = generateKey('witness.example.com/plain');
  const text = 'example.com/log2\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
  const signed = signNote({ text }, ...[logKey.skey, plain.skey].map((k) => newSigner(k)));
  const n = openCosignedNote(signed, { log: newVerifier(logKey.vkey), witnesses: [newVerifier(plain.vkey)], quorum: 1 });
  assert.equal(n.witnesses.length, 1);
  assert.equal(n.witnesses[0]!.timestamp, undefined);
});

test('cosignature/v1 signer and verifier agree; the timestamp is covered by the signature', () => {
  const k = generateCosignatureV1Key('witness.example.com/rt');
  const s = newCosignatureV1Signer(k.skey, () => 1234567890);
  const v = newCosignatureV1Verifier(k.vkey);
  assert.equal(s.keyHash, v.keyHash);
  const text = new TextEncoder().encode('example.com/log\n1\nAAAA\n');
  const sig = s.sign(text);
  assert.equal(sig.length, 72);
  assert.ok(v.verify(text, sig));
  const later = sig.slice();
  later[7] = later[7]! + 1;
  assert.ok(!v.verify(text, later));
  assert.ok(!v.verify(text, sig.subarray(8)));
  const n = openNote(signNote({ text: 'example.com/log\n1\nAAAA\n' }, s), verifierList(v));
  assert.equal(cosignatureV1Timestamp(n.sigs[0]!), 1234567890);
  assert.throws(() => newCosignatureV1Signer(k.skey, () => -1).sign(text), RangeError);
});

test('cosigner keys are type 0x04 only, and plain note keys are not cosigner keys', () => {
  const k = generateCosignatureV1Key('witness.example.com/t');
  assert.equal(
    code(() => newVerifier(k.vkey)),
    'ERR_KEY_MALFORMED',
  );
  assert.equal(
    code(() => newCosignatureV1Verifier(generateKey('example.com/x').vkey)),
    'ERR_KEY_MALFORMED',
  );
  assert.equal(
    code(() => newCosignatureV1Signer(generateKey('example.com/x').skey)),
    'ERR_KEY_MALFORMED',
  );
  assert.equal(
    code(() => newCosignatureV1Verifier(k.vkey.replace('+', '+0'))),
    'ERR_KEY_MALFORMED',
  );
  assert.equal(
    code(() => cosignatureV1Timestamp({ name: 'w', hash: 0, base64: 'AAAAAAAA' })),
    'ERR_COSIGNATURE_MALFORMED',
  );
  const huge = new Uint8Array(76).fill(0xff);
  assert.equal(
    code(() => cosignatureV1Timestamp({ name: 'w', hash: 0, base64: btoa(String.fromCharCode(...huge)) })),
    'ERR_COSIGNATURE_MALFORMED',
  );
});

// Data from transparency-dev/formats note/note_cosigv1_test.go
// (commit 091ce41666c09683aa9350785e572be27f0c026d): a real witness's cosigner key and a
// cosignature whose timestamp that project's tests pin.
test('third-party cosignature data: a native type-0x04 witness key and a pinned timestamp', () => {
  const remora = newCosignatureV1Verifier('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
  assert.equal(remora.name, 'remora.n621.de');
  assert.equal(remora.keyHash, 0xda77ade7);
  const sig = {
    name: 'w',
    hash: 0,
    base64: 'ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==',
  };
  assert.equal(cosignatureV1Timestamp(sig), 1727964367);
  const plain = {
    name: 'w',
    hash: 0,
    base64: 'eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=',
  };
  assert.equal(
    code(() => cosignatureV1Timestamp(plain)),
    'ERR_COSIGNATURE_MALFORMED',
  );
  assert.equal(
    code(() => cosignatureV1Timestamp({ name: 'w', hash: 0, base64: '5%/$!\n 2' })),
    'ERR_COSIGNATURE_MALFORMED',
  );
  // That project converts plain Ed25519 vkeys to cosigner keys; gosumdb requires type 0x04.
  assert.equal(
    code(() => newCosignatureV1Verifier('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6')),
    'ERR_KEY_MALFORMED',
  );
  assert.equal(newVerifier('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6').keyHash, 0x7997405c);
});
