import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareUtf8, decodeBase64, encodeBase64, equalBytes, fields } from '../../src/internal/bytes.js';
import { bitLen, parseDecimal, shr } from '../../src/internal/num.js';

test('compareUtf8 sorts as UTF-8 bytes, unlike UTF-16 code units', () => {
  const a = '\u{10000}'; // UTF-8 F0 90 80 80
  const b = '\uE000'; // UTF-8 EE 80 80
  assert.ok(a < b === true); // JavaScript: D800 < E000
  assert.ok(compareUtf8(a, b) > 0); // Go: F0 > EE
  const words = ['b', '\uFFFF', '\u{1F600}', 'a', '\u00e9'];
  const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual([...words].sort(compareUtf8), byBytes);
});

test('base64 follows Go StdEncoding: padding required, standard alphabet', () => {
  assert.equal(encodeBase64(new Uint8Array([1, 2, 3, 4])), 'AQIDBA==');
  assert.deepEqual(decodeBase64('AQIDBA=='), new Uint8Array([1, 2, 3, 4]));
  assert.equal(decodeBase64('AQIDBA'), undefined);
  assert.equal(decodeBase64('AQID-A=='), undefined);
  assert.equal(decodeBase64('A=AA'), undefined);
  assert.equal(decodeBase64('AQIDBB==', { strict: true }), undefined);
});

test('fields splits on Unicode White_Space like strings.Fields', () => {
  assert.deepEqual(fields(' a\u00a0b\u2003c\u200bd '), ['a', 'b', 'c\u200bd']);
});

test('number helpers are exact past 2^32', () => {
  assert.equal(bitLen(0), 0);
  assert.equal(bitLen(1), 1);
  assert.equal(bitLen(2 ** 40), 41);
  assert.equal(shr(2 ** 40 + 5, 33), 128);
  assert.deepEqual(parseDecimal('9007199254740991'), { ok: true, value: 9007199254740991 });
  assert.deepEqual(parseDecimal('9007199254740992'), { ok: false, reason: 'unsafe' });
  assert.deepEqual(parseDecimal('9223372036854775808'), { ok: false, reason: 'syntax' });
  assert.deepEqual(parseDecimal('01'), { ok: false, reason: 'syntax' });
  assert.deepEqual(parseDecimal('+1'), { ok: false, reason: 'syntax' });
});

test('equalBytes agrees with a byte-by-byte comparison at every length and alignment', () => {
  let seed = 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let k = 0; k < 3000; k++) {
    const len = Math.floor(random() * 300);
    const a = Uint8Array.from({ length: len + 8 }, () => Math.floor(random() * 3));
    const b = a.slice();
    // Half the pairs differ in one bit somewhere, possibly outside the compared views.
    if (random() < 0.5) b[Math.floor(random() * b.length)]! ^= 1 << Math.floor(random() * 8);
    const oa = Math.floor(random() * 5);
    const ob = Math.floor(random() * 5);
    const l = Math.max(0, len - 5);
    const x = a.subarray(oa, oa + l);
    const y = b.subarray(ob, ob + l);
    const want = x.every((v, i) => v === y[i]);
    assert.equal(equalBytes(x, y), want, `length ${l}, offsets ${oa} ${ob}`);
  }
  assert.equal(equalBytes(new Uint8Array(64), new Uint8Array(65)), false);
});
