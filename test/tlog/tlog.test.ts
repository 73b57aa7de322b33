// Cases from Go's own x/mod/sumdb/tlog tests (inputs and expected values as data), the pinned
// newer-x/mod behaviours, and independent checks of hashing and the stored-hash layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GosumdbError } from '../../src/internal/errors.js';
import {
  checkRecord,
  checkTree,
  emptyTreeHash,
  formatHash,
  formatRecord,
  formatTree,
  nodeHash,
  parseHash,
  parseRecord,
  parseTree,
  proveRecord,
  proveTree,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashIndex,
  treeHash,
  type Hash,
  type HashReader,
} from '../../src/tlog/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());

function code(c: string) {
  return (e: unknown) => e instanceof GosumdbError && e.code === c;
}

// A log held in memory, as Go's testHashStorage, asserting that readers ask in increasing order.
function memoryLog() {
  const stored: Hash[] = [];
  const reads: number[][] = [];
  const r: HashReader = {
    readHashes: async (ix) => {
      for (let i = 1; i < ix.length; i++) assert.ok(ix[i - 1]! < ix[i]!, 'indexes in increasing order');
      reads.push([...ix]);
      return ix.map((i) => stored[i]!);
    },
  };
  return { stored, r, reads };
}

test('recordHash and nodeHash are RFC 6962 leaf and node hashes (checked with node:crypto)', () => {
  const data = enc.encode('hello world');
  assert.deepEqual(recordHash(data), sha(new Uint8Array([0]), data));
  const a = recordHash(enc.encode('a'));
  const b = recordHash(enc.encode('b'));
  assert.deepEqual(nodeHash(a, b), sha(new Uint8Array([1]), a, b));
  assert.notDeepEqual(nodeHash(a, b), nodeHash(b, a));
  // Go's TestFormatTree golden hash of "hello world".
  assert.equal(formatHash(recordHash(data)), 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=');
});

test('newer x/mod: the empty tree hash is SHA-256 of the empty string, not zeros (v0.7.0)', async () => {
  // RFC 6962 §2.1: MTH({}) = SHA-256(). The well-known digest of the empty string:
  const want = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  assert.equal(Buffer.from(emptyTreeHash).toString('hex'), want);
  const h = await treeHash(0, { readHashes: async () => assert.fail('no reads for the empty tree') });
  assert.equal(Buffer.from(h).toString('hex'), want);
  assert.notDeepEqual(h, new Uint8Array(32));
  h[0] = 0;
  assert.equal(Buffer.from(emptyTreeHash).toString('hex'), want, 'treeHash returns a copy');
});

test('nodeHash and checkRecord reject hashes of the wrong size as caller mistakes', () => {
  assert.throws(() => nodeHash(new Uint8Array(31), new Uint8Array(32)), TypeError);
  assert.throws(() => checkRecord([], 1, new Uint8Array(32), 0, new Uint8Array(33)), TypeError);
});

test('parseHash follows Go base64.StdEncoding and needs exactly 32 bytes', () => {
  const s = 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=';
  assert.equal(formatHash(parseHash(s)), s);
  assert.equal(formatHash(parseHash(s.slice(0, 20) + '\r\n' + s.slice(20))), s); // Go skips \r and \n
  for (const bad of ['', s.slice(0, 43), s + '=', 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=', ' ' + s, s.replace('T', '-')]) {
    assert.throws(() => parseHash(bad), code('ERR_HASH_MALFORMED'), bad);
  }
});

test("Go's TestTree: 100 records, stored-hash counts, tree hashes, proofs and corrupt proofs", async () => {
  const { stored, r } = memoryLog();
  const trees: Hash[] = [];
  const leaves: Hash[] = [];
  for (let i = 0; i < 100; i++) {
    const data = enc.encode(`leaf ${i}`);
    stored.push(...(await storedHashes(i, data, r)));
    leaves.push(recordHash(data));
    assert.equal(storedHashCount(i + 1), stored.length);
    const th = await treeHash(i + 1, r);
    trees.push(th);
    for (let j = 0; j <= i; j++) {
      const p = await proveRecord(i + 1, j, r);
      checkRecord(p, i + 1, th, j, leaves[j]!);
      for (let k = 0; k < p.length; k++) {
        p[k]![0]! ^= 1;
        assert.throws(() => checkRecord(p, i + 1, th, j, leaves[j]!), code('ERR_PROOF_INVALID'));
        p[k]![0]! ^= 1;
      }
      const q = await proveTree(i + 1, j + 1, r);
      checkTree(q, i + 1, th, j + 1, trees[j]!);
      for (let k = 0; k < q.length; k++) {
        q[k]![0]! ^= 1;
        assert.throws(() => checkTree(q, i + 1, th, j + 1, trees[j]!), code('ERR_PROOF_INVALID'));
        q[k]![0]! ^= 1;
      }
    }
  }
  // Independent root of 3 leaves: MTH = node(node(l0, l1), l2).
  assert.deepEqual(trees[2], nodeHash(nodeHash(leaves[0]!, leaves[1]!), leaves[2]!));
});

test("Go's TestSplitStoredHashIndex, and large indexes past 2^31 and 2^40", () => {
  for (let l = 0; l < 10; l++) {
    for (let n = 0; n < 100; n++) assert.deepEqual(splitStoredHashIndex(storedHashIndex(l, n)), { level: l, n });
  }
  // storedHashIndex(0, n) = 2n - popcount(n) (every record adds its leaf plus completed subtrees).
  for (const n of [2 ** 31, 2 ** 31 - 1, 2 ** 40 - 1, 2 ** 40 + 12345, 2 ** 51 - 1]) {
    const pop = n
      .toString(2)
      .split('')
      .filter((c) => c === '1').length;
    assert.equal(storedHashIndex(0, n), 2 * n - pop, `n=${n}`);
    assert.deepEqual(splitStoredHashIndex(storedHashIndex(0, n)), { level: 0, n });
    assert.deepEqual(splitStoredHashIndex(storedHashIndex(3, n >= 2 ** 49 ? 5 : n)), { level: 3, n: n >= 2 ** 49 ? 5 : n });
  }
  // A perfect tree of 2^k records stores 2^(k+1) - 1 hashes.
  for (const k of [0, 1, 10, 31, 40]) assert.equal(storedHashCount(2 ** k), 2 ** (k + 1) - 1);
  assert.throws(() => storedHashIndex(0, 2 ** 52 + 1), RangeError);
  assert.throws(() => storedHashIndex(-1, 0), RangeError);
  // Levels whose 2^level is Infinity: refused at once (the loop never ended on an infinite index).
  assert.throws(() => storedHashIndex(1023, 1), RangeError);
  assert.throws(() => storedHashIndex(2000, 0), RangeError);
  assert.throws(() => splitStoredHashIndex(0.5), RangeError);
  assert.throws(() => storedHashCount(Number.MAX_SAFE_INTEGER + 1), RangeError);
});

test('storedHashes and treeHash reject a reader that breaks its contract', async () => {
  const short: HashReader = { readHashes: async () => [] };
  await assert.rejects(storedHashes(1, enc.encode('x'), short), code('ERR_READER_RESULT'));
  await assert.rejects(treeHash(3, short), code('ERR_READER_RESULT'));
  const wrongSize: HashReader = { readHashes: async (ix) => ix.map(() => new Uint8Array(31)) };
  await assert.rejects(treeHash(3, wrongSize), code('ERR_READER_RESULT'));
  await assert.rejects(proveRecord(3, 3, short), RangeError);
  await assert.rejects(proveTree(3, 0, short), RangeError);
});

test('checkRecord and checkTree: invalid inputs fail closed as ERR_PROOF_INVALID, as Go errors', () => {
  const h = recordHash(enc.encode('x'));
  assert.throws(() => checkRecord([], 1, h, 1, h), code('ERR_PROOF_INVALID'));
  assert.throws(() => checkTree([], 1, h, 2, h), code('ERR_PROOF_INVALID'));
  assert.throws(() => checkTree([], 0, h, 0, h), code('ERR_PROOF_INVALID'));
  checkRecord([], 1, h, 0, h);
  checkTree([], 5, h, 5, h);
  assert.throws(() => checkTree([], 5, h, 5, recordHash(enc.encode('y'))), code('ERR_PROOF_INVALID'));
  assert.throws(() => checkRecord([new Uint8Array(31) as Hash], 2, h, 0, h), code('ERR_PROOF_INVALID'));
});

test("Go's TestFormatTree and TestParseTree", () => {
  const h = recordHash(enc.encode('hello world'));
  const golden = 'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';
  assert.equal(dec.decode(formatTree({ n: 123456789012, hash: h })), golden);
  const t = parseTree(enc.encode(golden));
  assert.equal(t.n, 123456789012);
  assert.deepEqual(t.hash, h);
  for (const bad of [
    'not-' + golden,
    'go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n',
    'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n',
  ]) {
    assert.throws(() => parseTree(enc.encode(bad)), code('ERR_TREE_MALFORMED'));
  }
  for (const good of [golden + 'JOE', golden + 'JOE\n', golden + 'JOE\n'.repeat(1000)]) {
    assert.equal(parseTree(enc.encode(good)).n, 123456789012);
  }
  assert.throws(() => parseTree(enc.encode(golden + 'x'.repeat(1e6))), code('ERR_TREE_MALFORMED'));
});

test('parseTree: sizes Go accepts above 2^53-1 get their own code', () => {
  const hash = 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=';
  assert.equal(parseTree(enc.encode(`go.sum database tree\n9007199254740991\n${hash}\n`)).n, 9007199254740991);
  for (const n of ['9007199254740992', '9223372036854775807']) {
    assert.throws(() => parseTree(enc.encode(`go.sum database tree\n${n}\n${hash}\n`)), code('ERR_TREE_SIZE_UNSAFE'));
  }
  assert.throws(() => parseTree(enc.encode(`go.sum database tree\n9223372036854775808\n${hash}\n`)), code('ERR_TREE_MALFORMED'));
});

test("Go's TestFormatRecord and TestParseRecord", () => {
  assert.equal(dec.decode(formatRecord(123456789012, enc.encode('hello, world\n'))), '123456789012\nhello, world\n\n');
  for (const bad of ['', 'hello\nworld', 'hello\n\nworld\n', 'hello\x01world\n']) {
    assert.throws(() => formatRecord(123456789012, enc.encode(bad)), code('ERR_RECORD_MALFORMED'));
  }
  const r = parseRecord(new Uint8Array([...enc.encode('123456789012\nhello, world\n\njunk on end\x01'), 0xff]));
  assert.equal(r.id, 123456789012);
  assert.equal(dec.decode(r.text), 'hello, world\n');
  assert.deepEqual(r.rest, new Uint8Array([...enc.encode('junk on end\x01'), 0xff]));
  const r2 = parseRecord(enc.encode('123456789012\nhello, world\n\n'));
  assert.equal(r2.rest.length, 0);
  for (const bad of [
    enc.encode('not-123456789012\nhello, world\n\n'),
    enc.encode('123\nhello\x01world\n\n'),
    new Uint8Array([...enc.encode('123\nhello'), 0xff, ...enc.encode('world\n\n')]),
    enc.encode('123\nhello world\n'),
    enc.encode('0x123\nhello world\n\n'),
  ]) {
    assert.throws(() => parseRecord(bad), code('ERR_RECORD_MALFORMED'));
  }
});

test('parseRecord: Go-accepted ids with + and leading zeros; negative ids rejected (documented difference)', () => {
  assert.equal(parseRecord(enc.encode('+7\na\n\n')).id, 7);
  assert.equal(parseRecord(enc.encode('007\na\n\n')).id, 7);
  assert.equal(parseRecord(enc.encode('-0\na\n\n')).id, 0);
  assert.throws(() => parseRecord(enc.encode('-5\na\n\n')), code('ERR_RECORD_MALFORMED'));
  assert.throws(() => parseRecord(enc.encode('9007199254740992\na\n\n')), code('ERR_RECORD_ID_UNSAFE'));
  assert.throws(() => parseRecord(enc.encode('9223372036854775808\na\n\n')), code('ERR_RECORD_MALFORMED'));
  assert.throws(() => formatRecord(-1, enc.encode('a\n')), RangeError);
});

test('parsers copy: results never alias the caller buffer', () => {
  const msg = enc.encode('1\na\n\nrest');
  const r = parseRecord(msg);
  msg.fill(0);
  assert.equal(dec.decode(r.text), 'a\n');
  assert.equal(dec.decode(r.rest), 'rest');
});
