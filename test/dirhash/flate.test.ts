// The portable DEFLATE decoder against zlib (which agrees with Go's compress/flate on every
// generated vector): same output for streams zlib writes with every level and strategy, fed in
// random chunk sizes, and the same accept/reject verdict on corrupted streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { portableInflater } from '../../src/dirhash/index.js';
import { rng } from '../helpers/rng.js';

const r = rng(7);
const rnd = (n: number) => Math.floor(r() * n);

function sample(n: number): Uint8Array {
  const kinds = [
    () => Uint8Array.from({ length: n }, () => rnd(256)),
    () =>
      new TextEncoder().encode(
        Array.from({ length: n }, (_, i) => `line ${i % 97} of some Go source;\n`)
          .join('')
          .slice(0, n),
      ),
    () => Uint8Array.from({ length: n }, (_, i) => (i % 251 < 3 ? rnd(256) : 0)),
    () => Uint8Array.from({ length: n }, () => 97 + rnd(4)),
  ];
  return kinds[rnd(kinds.length)]!();
}

function inflateChunked(data: Uint8Array, max: number): Uint8Array {
  const s = portableInflater.create(max);
  const parts: Uint8Array[] = [];
  let off = 0;
  do {
    const n = 1 + rnd(Math.max(1, Math.min(data.length - off, 5000)));
    const chunk = data.slice(off, off + n);
    off += n;
    parts.push(...(s.push(chunk, off >= data.length) as Uint8Array[]));
    chunk.fill(0xaa); // the caller may reuse its chunk
  } while (off < data.length);
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

test('portable inflate equals zlib on zlib-written streams of every level and strategy', () => {
  const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED];
  for (let i = 0; i < 120; i++) {
    const data = sample(rnd(3) === 0 ? rnd(300000) : rnd(3000));
    const c = new Uint8Array(deflateRawSync(data, { level: rnd(10), strategy: strategies[rnd(strategies.length)]!, memLevel: 1 + rnd(9) }));
    assert.deepEqual(portableInflater.inflateSync(c, data.length), data);
    if (data.length < 40000) assert.deepEqual(inflateChunked(c, data.length), data);
  }
});

test('portable inflate accepts and rejects corrupted streams exactly as zlib does', () => {
  let rejected = 0;
  for (let i = 0; i < 1500; i++) {
    const data = sample(1 + rnd(2000));
    const c = new Uint8Array(deflateRawSync(data, { level: rnd(10), strategy: rnd(2) ? constants.Z_FIXED : constants.Z_DEFAULT_STRATEGY }));
    const t = c.slice();
    for (let k = 0; k <= rnd(3); k++) t[rnd(t.length)]! ^= 1 << rnd(8);
    let want: Uint8Array | undefined;
    try {
      want = new Uint8Array(inflateRawSync(t));
    } catch {
      want = undefined;
    }
    let got: Uint8Array | undefined;
    try {
      got = portableInflater.inflateSync(t, 1 << 20);
    } catch {
      got = undefined;
    }
    if (want === undefined) rejected++;
    assert.deepEqual(got, want, `case ${i}`);
  }
  assert.ok(rejected > 100, `only ${rejected} corrupted streams were rejected: the test is too weak`);
});
