// splitDataTile checks record texts in the same pass that splits them: it must split and refuse
// exactly as splitting at each blank line and checking each record with isValidRecordText does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDataTile } from '../../src/tlog/data.js';
import { isValidRecordText } from '../../src/tlog/note.js';

function reference(data: Uint8Array): Uint8Array[] | string {
  const records: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0x0a || data[i + 1] !== 0x0a) continue;
    const text = data.subarray(start, i + 1);
    if (!isValidRecordText(text)) break;
    records.push(text);
    start = i + 2;
    i++;
  }
  return start === data.length ? records : `malformed data tile: bad record ${records.length} at byte ${start}`;
}

test('splitDataTile splits and refuses as the two-pass reference on random tiles', () => {
  // Bytes: letters, space, newline (often), a control character, UTF-8 pieces (é = c3 a9), a stray continuation byte.
  const bytes = [...Array<number>(12).fill(0x61), 0x62, 0x20, 0x0a, 0x0a, 0x0a, 0x09, 0xc3, 0xa9, 0xa9, 0x7f];
  let seed = 1;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  let refused = 0;
  let split = 0;
  for (let k = 0; k < 20000; k++) {
    // Mostly ending in a blank line, as a tile does.
    const data = Uint8Array.from([
      ...Array.from({ length: rand(16) }, () => bytes[rand(bytes.length)]!),
      ...(rand(4) === 0 ? [] : [0x0a, 0x0a]),
    ]);
    const want = reference(data);
    let got: Uint8Array[] | string;
    try {
      got = splitDataTile(data);
    } catch (e) {
      got = (e as Error).message;
    }
    assert.deepEqual(got, want, JSON.stringify([...data]));
    if (typeof want === 'string') refused++;
    else if (want.length > 0) split++;
  }
  assert.ok(refused > 1000 && split > 1000, `${refused} refused, ${split} split`);
});
