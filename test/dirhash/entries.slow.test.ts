// The million-entry zip: too slow for `npm test` (seconds of zip parsing), run by `npm run test:slow`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GosumdbError } from '../../src/internal/errors.js';
import { hashZip, MAX_ZIP_ENTRIES } from '../../src/dirhash/index.js';
import { buildZip } from './zipfixture.js';

const enc = new TextEncoder();

test('absurd entry counts: more records than MAX_ZIP_ENTRIES are refused', async () => {
  // One real entry, then its central record repeated MAX_ZIP_ENTRIES + 1 times (all duplicates
  // of one local header, as an overlapping-entry bomb would be).
  const one = buildZip([{ name: 'a', data: enc.encode('x') }]);
  const local = 30 + 1 + 1;
  const record = one.subarray(local, local + 46 + 1);
  const n = MAX_ZIP_ENTRIES + 1;
  const z = new Uint8Array(local + n * record.length + 22);
  z.set(one.subarray(0, local));
  for (let i = 0; i < n; i++) z.set(record, local + i * record.length);
  const end = one.slice(one.length - 22);
  const dv = new DataView(end.buffer);
  dv.setUint16(8, n % 65536, true);
  dv.setUint16(10, n % 65536, true);
  dv.setUint32(12, n * record.length, true);
  z.set(end, local + n * record.length);
  await assert.rejects(hashZip(z), (e) => e instanceof GosumdbError && e.code === 'ERR_ZIP_TOO_LARGE');
});
