// printable: outside text made safe for a terminal and capped. Expected escapes are Go's
// strconv.Quote spellings (\a for BEL, \x1b for ESC, \u202e for RIGHT-TO-LEFT OVERRIDE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGE_MAX, PRINTABLE_MAX, printable } from '../../src/internal/quote.js';

test('printable escapes terminal controls, C1 controls, bidi overrides and invalid UTF-8', () => {
  assert.equal(printable('\u001b]0;pwned\u0007\u001b[2J'), '\\x1b]0;pwned\\a\\x1b[2J');
  assert.equal(printable('a\u009bb\u202ec\u007f'), 'a\\u009bb\\u202ec\\x7f');
  assert.equal(printable(new Uint8Array([0x61, 0xff, 0x62])), 'a\ufffdb');
  assert.equal(printable('line1\nline2\tx\r'), 'line1\\nline2\\tx\\r');
  assert.equal(printable('line1\nline2\tx\r', { lines: true }), 'line1\nline2\tx\\r');
  assert.equal(printable('C:\\path — ünïcode ok'), 'C:\\path — ünïcode ok');
});

test('printable cuts long text and says how long it was, looking only at the start', () => {
  const long = 'A'.repeat(8 << 20);
  const s = printable(long);
  assert.equal(s, `${'A'.repeat(PRINTABLE_MAX)}…[cut: ${8 << 20} characters in all]`);
  const b = printable(new TextEncoder().encode(long), { max: 10 });
  assert.equal(b, `AAAAAAAAAA…[cut: ${8 << 20} bytes in all]`);
  assert.equal(printable('x'.repeat(MESSAGE_MAX), { max: MESSAGE_MAX }), 'x'.repeat(MESSAGE_MAX));
  // Escapes count towards the cap: 8 MiB of ESC is still a short string.
  assert.ok(printable('\u001b'.repeat(8 << 20)).length < PRINTABLE_MAX + 64);
});
