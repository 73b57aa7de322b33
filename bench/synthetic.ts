// A synthetic checksum database for bench/monitor.ts, small in memory at any size: record i is
// "example.com/m<i/4> v1.0.<i%4>" with two h1 hashes from a seeded generator, made again on each
// request (a data tile costs its 256 records); one pass at start hashes every record and keeps
// the level-0 hashes (32 bytes a record: 320 MB at 10 million) and the hashes of the tile levels
// above (1/255 of that), from which hash tiles are sliced and the signed tree computed. An
// in-memory test database (newTestDatabase) holds ~640 bytes a record, 6.4 GB at 10 million.
// The answers are a checksum database's: signed /latest, /tile/8/L/N[.p/W] and /tile/8/data/N.
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

// Record i's two h1 hashes are 64 bytes from splitmix32 seeded with i. The text is written byte
// by byte into one array (measured, 1 million records: strings, TextEncoder and base64 through
// strings cost the server ~2.5 s of CPU, more than the clients it serves).
const b64 = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));
const random = new Uint8Array(64);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const prefix = ascii('example.com/m');
const midfix = ascii(' v1.0.');
const h1 = ascii(' h1:');
const goModH1 = ascii('/go.mod h1:');

function fillRandom(i: number): void {
  let x = (i * 0x9e3779b9) >>> 0;
  for (let k = 0; k < 64; k += 4) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    random[k] = z & 0xff;
    random[k + 1] = (z >>> 8) & 0xff;
    random[k + 2] = (z >>> 16) & 0xff;
    random[k + 3] = z >>> 24;
  }
}

// Standard base64 of the 32 bytes random[from..from+32) at out[at..at+44).
function base64Into(from: number, out: Uint8Array, at: number): void {
  for (let k = 0; k < 30; k += 3, at += 4) {
    const v = (random[from + k]! << 16) | (random[from + k + 1]! << 8) | random[from + k + 2]!;
    out[at] = b64[v >>> 18]!;
    out[at + 1] = b64[(v >>> 12) & 63]!;
    out[at + 2] = b64[(v >>> 6) & 63]!;
    out[at + 3] = b64[v & 63]!;
  }
  const v = (random[from + 30]! << 8) | random[from + 31]!;
  out[at] = b64[v >>> 10]!;
  out[at + 1] = b64[(v >>> 4) & 63]!;
  out[at + 2] = b64[(v << 2) & 63]!;
  out[at + 3] = 0x3d;
}

// put copies a short constant (a loop: TypedArray#set costs more at this size).
function put(src: Uint8Array, out: Uint8Array, at: number): number {
  for (let k = 0; k < src.length; k++) out[at + k] = src[k]!;
  return at + src.length;
}

/** syntheticRecordInto writes the text of record i at out[at..] (room for 256 bytes) and returns its length. */
function syntheticRecordInto(i: number, out: Uint8Array, at: number): number {
  fillRandom(i);
  const start = at;
  at = put(prefix, out, at);
  const m = String(Math.floor(i / 4));
  for (let k = 0; k < m.length; k++) out[at++] = m.charCodeAt(k);
  at = put(midfix, out, at);
  out[at++] = 0x30 + (i % 4);
  const mv = at - start;
  at = put(h1, out, at);
  base64Into(0, out, at);
  at += 44;
  out[at++] = 0x0a;
  for (let k = 0; k < mv; k++) out[at++] = out[start + k]!;
  at = put(goModH1, out, at);
  base64Into(32, out, at);
  at += 44;
  out[at++] = 0x0a;
  return at - start;
}

/** syntheticRecord returns the text of record i. */
export function syntheticRecord(i: number): Uint8Array {
  const out = new Uint8Array(256);
  return out.slice(0, syntheticRecordInto(i, out, 0));
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
  const leaf = new Uint8Array(1 + 256);
  for (let i = 0; i < n; i++) {
    const length = syntheticRecordInto(i, leaf, 1);
    sha256Into(nodeSha256, leaf.subarray(0, 1 + length), levels[0]!, 32 * i);
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
        // One array for the tile's records, each a view of it.
        const buf = new Uint8Array(256 * count);
        const records: Uint8Array[] = [];
        for (let j = 0, at = 0; j < count; j++) {
          const length = syntheticRecordInto(id + j, buf, at);
          records.push(buf.subarray(at, at + length));
          at += length;
        }
        return records;
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
