// A synthetic checksum database for bench/monitor.ts, small in memory at any size: record i is
// "example.com/m<i/4> v1.0.<i%4>" with two h1 hashes from a seeded generator, made again on each
// request (a data tile costs its 256 records); one pass at start hashes every record and keeps
// the level-0 hashes (32 bytes a record: 320 MB at 10 million) and the hashes of the tile levels
// above (1/255 of that), from which hash tiles are sliced and the signed tree computed. An
// in-memory test database (newTestDatabase) holds ~640 bytes a record, 6.4 GB at 10 million.
// The answers are a checksum database's: signed /latest, /tile/8/L/N[.p/W] and /tile/8/data/N.
import { encodeBase64, utf8 } from '../src/internal/bytes.js';
import { GosumdbError } from '../src/internal/errors.js';
import { sha256Into } from '../src/internal/sha256.js';
import { nodeSha256 } from '../src/node/index.js';
import { generateKey, newSigner, signNote } from '../src/note/index.js';
import { newServer, type Handler } from '../src/server/index.js';
import { formatTree, splitStoredHashIndex, treeHash, type HashReader } from '../src/tlog/index.js';

const H = 8;
const W = 256;

/** SyntheticDatabase is a database of `n` generated records, served by `handle`. */
export type SyntheticDatabase = { readonly n: number; readonly vkey: string; readonly handle: Handler };

// Two h1 hashes of record i: 64 bytes from splitmix32 seeded with i.
function hashes(i: number): [string, string] {
  const b = new Uint8Array(64);
  let x = (i * 0x9e3779b9) >>> 0;
  for (let k = 0; k < 64; k += 4) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    b[k] = z & 0xff;
    b[k + 1] = (z >>> 8) & 0xff;
    b[k + 2] = (z >>> 16) & 0xff;
    b[k + 3] = z >>> 24;
  }
  return [encodeBase64(b.subarray(0, 32)), encodeBase64(b.subarray(32))];
}

/** syntheticRecord returns the text of record i. */
export function syntheticRecord(i: number): Uint8Array {
  const mv = `example.com/m${Math.floor(i / 4)} v1.0.${i % 4}`;
  const [zip, mod] = hashes(i);
  return utf8(`${mv} h1:${zip}\n${mv}/go.mod h1:${mod}\n`);
}

/** newSyntheticDatabase hashes the `n` records once and returns the database that serves them. */
export function newSyntheticDatabase(n: number): SyntheticDatabase {
  const keys = generateKey('bench.synthetic');
  const signer = newSigner(keys.skey);
  const node = new Uint8Array(65);
  node[0] = 1;
  const fold = (src: Uint8Array, from: number, count: number, out: Uint8Array, at: number) => {
    const buf = src.slice(32 * from, 32 * (from + count));
    for (let m = count; m > 1; m /= 2) {
      for (let j = 0; j < m / 2; j++) {
        node.set(buf.subarray(64 * j, 64 * j + 64), 1);
        sha256Into(nodeSha256, node, buf, 32 * j);
      }
    }
    out.set(buf.subarray(0, 32), at);
  };
  // levels[L]: the hashes at tree level 8L (complete subtrees only).
  const levels: Uint8Array[] = [new Uint8Array(32 * n)];
  let leaf = new Uint8Array(512);
  for (let i = 0; i < n; i++) {
    const text = syntheticRecord(i);
    if (leaf.length < text.length + 1) leaf = new Uint8Array(2 * text.length);
    leaf[0] = 0;
    leaf.set(text, 1);
    sha256Into(nodeSha256, leaf.subarray(0, 1 + text.length), levels[0]!, 32 * i);
  }
  for (let L = 1, count = Math.floor(n / W); count > 0; L++, count = Math.floor(count / W)) {
    const level = new Uint8Array(32 * count);
    for (let k = 0; k < count; k++) fold(levels[L - 1]!, k * W, W, level, 32 * k);
    levels.push(level);
  }
  // Any stored hash: folded from the tile level at or below it.
  const stored = (level: number, k: number): Uint8Array => {
    const base = Math.floor(level / H);
    const count = 2 ** (level - H * base);
    const out = new Uint8Array(32);
    fold(levels[base]!, k * count, count, out, 0);
    return out;
  };
  const reader: HashReader = {
    readHashes: async (indexes) =>
      indexes.map((i) => {
        const { level, n: k } = splitStoredHashIndex(i);
        return stored(level, k);
      }),
  };
  let note: Uint8Array | undefined;
  const notFound = () => new GosumdbError('ERR_NOT_FOUND', 'not found');
  const handle = newServer(
    {
      signed: async () => {
        note ??= signNote({ text: new TextDecoder().decode(formatTree({ n, hash: await treeHash(n, reader) })) }, signer);
        return note;
      },
      readRecords: async (id, count) => {
        if (id + count > n) throw notFound();
        return Array.from({ length: count }, (_, j) => syntheticRecord(id + j));
      },
      lookup: async () => {
        throw notFound();
      },
      readTileData: async (t) => {
        const level = levels[t.l];
        if (t.h !== H || level === undefined || 32 * (t.n * W + t.w) > level.length) throw notFound();
        return level.slice(32 * t.n * W, 32 * (t.n * W + t.w));
      },
    },
    { name: signer.name },
  );
  return { n, vkey: keys.vkey, handle };
}
