// Ed25519: RFC 8032 §7.1 test vectors (spec), isolation from noble's global configuration, and
// robustness on random input. Go's verdicts on edge cases are in vectors/note/ed25519.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as noble from '@noble/ed25519';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../../src/note/index.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

// RFC 8032 §7.1, TEST 1..3.
const rfc8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    pub: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    msg: 'af82',
    sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

test('RFC 8032 test vectors: public key, signature, verification', () => {
  for (const v of rfc8032) {
    assert.deepEqual(ed25519PublicKey(hex(v.seed)), hex(v.pub));
    assert.deepEqual(ed25519Sign(hex(v.seed), hex(v.msg)), hex(v.sig));
    assert.equal(ed25519Verify(hex(v.pub), hex(v.msg), hex(v.sig)), true);
    const bad = hex(v.sig);
    bad[63] = bad[63]! ^ 0x01;
    assert.equal(ed25519Verify(hex(v.pub), hex(v.msg), bad), false);
  }
});

test('using gosumdb Ed25519 leaves noble unconfigured for everyone else', () => {
  ed25519Sign(new Uint8Array(32), new Uint8Array(1));
  ed25519Verify(hex(rfc8032[0]!.pub), new Uint8Array(0), hex(rfc8032[0]!.sig));
  assert.equal(noble.hashes.sha512, undefined);
});

test('caller mistakes are TypeErrors; hostile signatures are just false', () => {
  assert.throws(() => ed25519Verify(new Uint8Array(31), new Uint8Array(0), new Uint8Array(64)), TypeError);
  assert.throws(() => ed25519Sign(new Uint8Array(33), new Uint8Array(0)), TypeError);
  assert.throws(() => ed25519PublicKey(new Uint8Array(0)), TypeError);
  const pub = hex(rfc8032[0]!.pub);
  for (let i = 0; i < 300; i++) {
    const sig = crypto.getRandomValues(new Uint8Array(i % 3 === 0 ? 64 : (i * 7) % 80));
    const key = i % 2 === 0 ? pub : crypto.getRandomValues(new Uint8Array(32));
    assert.equal(ed25519Verify(key, new Uint8Array([i]), sig), false);
  }
});

test('verification gives the same verdicts before and after it switches to the base-point table (after 32 in a process)', () => {
  // Each round verifies the RFC vectors (true), each with a flipped message bit (false) and with
  // S = 0 and S = 1 (false): 12 per round, so the rounds cross the switch wherever it falls.
  const S = (sig: Uint8Array, s: number) => {
    const out = sig.slice();
    out.fill(0, 32);
    out[32] = s;
    return out;
  };
  for (let round = 0; round < 5; round++) {
    for (const v of rfc8032) {
      const msg = hex(v.msg);
      const other = msg.length === 0 ? Uint8Array.of(1) : Uint8Array.from(msg, (b, i) => (i === 0 ? b ^ 1 : b));
      assert.equal(ed25519Verify(hex(v.pub), msg, hex(v.sig)), true, `round ${round}`);
      assert.equal(ed25519Verify(hex(v.pub), other, hex(v.sig)), false, `round ${round}`);
      assert.equal(ed25519Verify(hex(v.pub), msg, S(hex(v.sig), 0)), false, `round ${round}`);
      assert.equal(ed25519Verify(hex(v.pub), msg, S(hex(v.sig), 1)), false, `round ${round}`);
    }
  }
});
