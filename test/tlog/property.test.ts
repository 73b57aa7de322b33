// Properties: prove-then-check round trips for random sizes; every single-byte tamper of a
// proof is rejected; every parser throws only GosumdbError on random bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GosumdbError } from '../../src/internal/errors.js';
import {
  checkRecord,
  checkTree,
  parseCheckpoint,
  parseDataTile,
  parseEntryBundle,
  parseHash,
  parseRecord,
  parseTilePath,
  parseTlogTilesPath,
  parseTree,
  proveRecord,
  proveTree,
  recordHash,
  storedHashes,
  treeHash,
  type Hash,
  type HashReader,
} from '../../src/tlog/index.js';
import { rng } from '../helpers/rng.js';

const rand = rng(20261130);
const int = (n: number) => Math.floor(rand() * n);

const enc = new TextEncoder();
const N = 3000;
const stored: Hash[] = [];
const r: HashReader = { readHashes: async (ix) => ix.map((i) => stored[i]!) };
const leaf = (i: number) => recordHash(enc.encode(`leaf ${i}\n`));
const ready = (async () => {
  for (let i = 0; i < N; i++) stored.push(...(await storedHashes(i, enc.encode(`leaf ${i}\n`), r)));
})();

function rejected(f: () => void): boolean {
  try {
    f();
    return false;
  } catch (e) {
    assert.ok(e instanceof GosumdbError && e.code === 'ERR_PROOF_INVALID', String(e));
    return true;
  }
}

test('prove/check round trips for random sizes, and every single-byte tamper is rejected', async () => {
  await ready;
  for (let iter = 0; iter < 40; iter++) {
    const t = 1 + int(N);
    const th = await treeHash(t, r);
    const n = int(t);
    const p = await proveRecord(t, n, r);
    checkRecord(p, t, th, n, leaf(n));
    const m = 1 + int(t);
    const oh = await treeHash(m, r);
    const q = await proveTree(t, m, r);
    checkTree(q, t, th, m, oh);
    for (const [proof, check] of [
      [p, (x: Hash[]) => checkRecord(x, t, th, n, leaf(n))],
      [q, (x: Hash[]) => checkTree(x, t, th, m, oh)],
    ] as const) {
      for (let k = 0; k < proof.length; k++) {
        for (let b = 0; b < 32; b++) {
          const bad = proof.map((h) => h.slice());
          bad[k]![b]! ^= 1 + int(255);
          assert.ok(
            rejected(() => check(bad)),
            `t=${t} tamper hash ${k} byte ${b}`,
          );
        }
      }
      if (proof.length > 0) assert.ok(rejected(() => check(proof.slice(1))));
      assert.ok(rejected(() => check([...proof, leaf(0)])));
    }
    if (t > 1) assert.ok(rejected(() => checkRecord(p, t, th, (n + 1) % t, leaf(n))));
    assert.ok(rejected(() => checkRecord(p, t, th, n, leaf(n + 1))));
  }
});

test('parsers throw only GosumdbError on random and mutated bytes', () => {
  const seeds = [
    'go.sum database tree\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
    '12\nexample.com/m v1.0.0 h1:x=\nexample.com/m v1.0.0/go.mod h1:y=\n\n',
    'example.com/log\n5\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\next\n',
    'tile/8/0/x001/234.p/5',
    'tile/entries/x001/234.p/5',
  ].map((s) => enc.encode(s));
  const dec = new TextDecoder();
  const parsers: ((b: Uint8Array) => unknown)[] = [
    parseTree,
    parseRecord,
    parseCheckpoint,
    parseDataTile,
    parseEntryBundle,
    (b) => parseHash(dec.decode(b)),
    (b) => parseTilePath(dec.decode(b)),
    (b) => parseTlogTilesPath(dec.decode(b)),
  ];
  for (let iter = 0; iter < 3000; iter++) {
    let b: Uint8Array;
    if (iter % 2 === 0) {
      b = new Uint8Array(int(80)).map(() => int(256));
    } else {
      b = seeds[int(seeds.length)]!.slice();
      for (let k = 1 + int(3); k > 0 && b.length > 0; k--) b[int(b.length)] = [0x0a, 0x30, 0x2f, 0x78, int(256)][int(5)]!;
      if (rand() < 0.3) b = b.subarray(0, int(b.length + 1));
    }
    for (const parse of parsers) {
      try {
        parse(b);
      } catch (e) {
        assert.ok(e instanceof GosumdbError, `${parse.name} threw ${String(e)} on ${JSON.stringify(Array.from(b))}`);
      }
    }
  }
});
