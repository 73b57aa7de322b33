// Property tests: openNote and the key parsers throw only GosumdbError on hostile input, a signed
// note never opens with a different text after any single-byte change, and sign/open round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GosumdbError } from '../../src/internal/errors.js';
import { generateKey, newSigner, newVerifier, openNote, signNote, verifierList } from '../../src/note/index.js';
import { rng } from '../helpers/rng.js';

const enc = (s: string) => new TextEncoder().encode(s);
const { skey, vkey } = generateKey('example.com/fuzz', () => new Uint8Array(32).fill(9));
const signer = newSigner(skey);
const known = verifierList(newVerifier(vkey));

test('openNote throws only GosumdbError on random and near-valid bytes', () => {
  const r = rng(1);
  const valid = signNote({ text: 'go.sum database tree\n1\nAAAA\n' }, signer);
  const alphabet = enc('— \nab+/=AZ09\x00\xff');
  for (let i = 0; i < 3000; i++) {
    let msg: Uint8Array;
    if (i % 3 === 0) msg = Uint8Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256));
    else if (i % 3 === 1) msg = Uint8Array.from({ length: Math.floor(r() * 120) }, () => alphabet[Math.floor(r() * alphabet.length)]!);
    else {
      msg = valid.slice(0, Math.floor(r() * (valid.length + 1)));
      if (msg.length > 0) msg[Math.floor(r() * msg.length)] = Math.floor(r() * 256);
    }
    try {
      openNote(msg, known);
    } catch (e) {
      assert.ok(e instanceof GosumdbError, `non-GosumdbError ${String(e)} for ${JSON.stringify([...msg])}`);
    }
  }
});

test('no single-byte change lets a signed note open with a different text', () => {
  const text = 'go.sum database tree\n42\nxyz=\n';
  const msg = signNote({ text }, signer);
  for (let i = 0; i < msg.length; i++) {
    for (const delta of [1, 0x80, 0xff]) {
      const m = msg.slice();
      m[i] = (m[i]! + delta) % 256;
      let opened: string | undefined;
      try {
        opened = openNote(m, known).text;
      } catch (e) {
        assert.ok(e instanceof GosumdbError);
        continue;
      }
      // Only the unused low bits of the last base64 digit may change without changing the bytes.
      assert.equal(opened, text, `byte ${i} + ${delta}`);
    }
  }
});

test('signNote then openNote returns the text and the signature for random texts', () => {
  const r = rng(7);
  const pieces = ['a', ' ', '\n', 'é', '☺', '\u{1F600}', '—', '+', '=', '\u00a0', '\u2028', 'x'];
  for (let i = 0; i < 60; i++) {
    let text = '';
    const n = Math.floor(r() * 30);
    for (let j = 0; j < n; j++) text += pieces[Math.floor(r() * pieces.length)];
    text += '\n';
    const n2 = openNote(signNote({ text }, signer), known);
    assert.equal(n2.text, text);
    assert.equal(n2.sigs.length, 1);
    assert.equal(n2.sigs[0]!.name, 'example.com/fuzz');
  }
});

test('key parsers throw only GosumdbError (or TypeError for non-strings)', () => {
  const r = rng(3);
  const chars = 'PRIVATE+KEY+ab09/=\n\u00a0é';
  for (let i = 0; i < 2000; i++) {
    let s = '';
    const n = Math.floor(r() * 60);
    for (let j = 0; j < n; j++) s += chars[Math.floor(r() * chars.length)];
    for (const parse of [newVerifier, newSigner]) {
      try {
        parse(s);
      } catch (e) {
        assert.ok(e instanceof GosumdbError && e.code === 'ERR_KEY_MALFORMED');
      }
    }
  }
  assert.throws(() => newVerifier(42 as unknown as string), TypeError);
});
