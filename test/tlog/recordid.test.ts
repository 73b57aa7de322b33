// A record id is attacker-controlled: a line of millions of digits must be refused (or, with
// leading zeros, accepted as Go's strconv.ParseInt does) without ever handing it to BigInt, whose
// cost grows with the length (57 s of CPU for 40 lookups of 8 MiB ids). Counted by a BigInt spy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRecord } from '../../src/tlog/index.js';
import { parseDecimal } from '../../src/internal/num.js';

function longestBigIntArgument(run: () => void): number {
  const real = globalThis.BigInt;
  let longest = 0;
  const spy = ((v: string | number | bigint | boolean) => {
    if (typeof v === 'string') longest = Math.max(longest, v.length);
    return real(v);
  }) as BigIntConstructor;
  globalThis.BigInt = Object.assign(spy, real);
  try {
    run();
  } finally {
    globalThis.BigInt = real;
  }
  return longest;
}

const enc = (s: string) => new TextEncoder().encode(s);
const text = 'example.com/a v1.0.0 h1:x=\n\n';

test('a record id of a million digits is malformed, and BigInt never sees more than 19 digits', () => {
  const big = '9'.repeat(1 << 20);
  const longest = longestBigIntArgument(() => {
    assert.throws(() => parseRecord(enc(`${big}\n${text}`)), { code: 'ERR_RECORD_MALFORMED' });
    assert.throws(() => parseRecord(enc(`-${big}\n${text}`)), { code: 'ERR_RECORD_MALFORMED' });
    assert.throws(() => parseRecord(enc(`${'0'.repeat(1 << 20)}x\n${text}`)), { code: 'ERR_RECORD_MALFORMED' });
    // Go's ParseInt accepts any number of leading zeros.
    assert.equal(parseRecord(enc(`${'0'.repeat(1 << 20)}42\n${text}`)).id, 42);
    // Above 2^53-1 but an int64: its own code, and a message that quotes only the start of the line.
    assert.throws(
      () => parseRecord(enc(`${'0'.repeat(1 << 20)}9223372036854775807\n${text}`)),
      (e: Error & { code: string }) => {
        assert.equal(e.code, 'ERR_RECORD_ID_UNSAFE');
        assert.ok(e.message.length < 200, e.message.slice(0, 200));
        return true;
      },
    );
    assert.deepEqual(parseDecimal('1'.repeat(1 << 20)), { ok: false, reason: 'syntax' });
  });
  assert.ok(longest <= 19, `BigInt was given ${longest} characters`);
});
