// A raw-DEFLATE decoder (RFC 1951) with exactly the verdicts of Go's compress/flate, which
// HashZip uses: stored-block length complements checked, Huffman codes complete (or a single
// one-bit code, zlib's degenerate case), at most 286 literal/length and 30 distance codes, no
// distance beyond the output so far, an unfinished stream is an unexpected EOF, and bytes after
// the final block are ignored. fflate, measured against Go's vectors, accepts several of these;
// zlib agrees with Go on all of them.
//
// It decodes incrementally: input arrives in chunks and a symbol cut by a chunk boundary is
// decoded again from its start once more input is there. All values here are bit fields and
// byte counts below 2^31, so bitwise operators are safe.
import { GosumdbError } from '../internal/errors.js';

// A DEFLATE stream Go's flate rejects (Go: CorruptInputError or io.ErrUnexpectedEOF).
function corrupt(what: string): GosumdbError {
  return new GosumdbError('ERR_ZIP_MALFORMED', `flate: ${what}`);
}

// Thrown when the input ends inside a symbol and more may come.
const needInput = Symbol('need input');

const lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const distBase = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
  24577,
];
const distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const clOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const primaryBits = 10;

/**
 * Huffman is a decoding table: codes up to 10 bits resolve in one lookup (entry = symbol << 4 |
 * length, bits reversed as they arrive), longer ones by a canonical walk (RFC 1951 §3.2.2).
 */
type Huffman = {
  readonly table: Int32Array;
  readonly counts: Int32Array;
  readonly symbols: Int32Array;
  readonly max: number;
};

function reverse(code: number, len: number): number {
  let r = 0;
  for (let i = 0; i < len; i++) {
    r = (r << 1) | (code & 1);
    code >>>= 1;
  }
  return r;
}

// Builds a table, or returns undefined for a code Go's huffmanDecoder.init rejects. An empty code
// (all lengths 0) is accepted and fails when used, as in Go.
function huffman(lengths: ArrayLike<number>): Huffman | undefined {
  const counts = new Int32Array(16);
  let max = 0;
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i]!;
    if (l > 0) {
      counts[l]!++;
      if (l > max) max = l;
    }
  }
  // Complete: the code space is exactly used (Go's huffmanDecoder.init), or one 1-bit code.
  let used = 0;
  for (let l = 1; l <= max; l++) used += counts[l]! * 2 ** (max - l);
  if (max > 0 && used !== 2 ** max && !(used === 1 && max === 1)) return undefined;
  const offs = new Int32Array(16);
  let n = 0;
  for (let l = 1; l <= 15; l++) {
    offs[l] = n;
    n += counts[l]!;
  }
  const symbols = new Int32Array(n);
  const next = offs.slice();
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i]!;
    if (l > 0) symbols[next[l]!++] = i;
  }
  const table = new Int32Array(1 << primaryBits).fill(-1);
  let code = 0;
  let k = 0;
  for (let l = 1; l <= Math.min(max, primaryBits); l++) {
    for (let j = 0; j < counts[l]!; j++) {
      const r = reverse(code + j, l);
      const entry = (symbols[k + j]! << 4) | l;
      for (let x = r; x < 1 << primaryBits; x += 1 << l) table[x] = entry;
    }
    k += counts[l]!;
    code = (code + counts[l]!) << 1;
  }
  return { table, counts, symbols, max };
}

const fixedLit = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)))!;

/**
 * Inflate is one incremental decompression. `push` returns the output the new input completes;
 * `done` is set after the final block. Output past `maxOutput` bytes stops the decoding early.
 */
export class Inflate {
  private input: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private bits = 0;
  private nbits = 0;
  private last = false;
  private state: 'header' | 'stored' | 'codes' | 'done' = 'header';
  private storedLeft = 0;
  private lit: Huffman = fixedLit;
  private dist: Huffman | undefined;
  // 32 KiB of history followed by new output; flushed whenever the output part fills. A whole
  // decompression (`whole`) gets one buffer that holds all of the output and is never moved.
  private readonly win: Uint8Array;
  private wp = 0;
  private flushed = 0;
  private total = 0;
  done = false;

  constructor(
    private readonly maxOutput: number,
    private readonly whole = false,
  ) {
    this.win = new Uint8Array(whole ? maxOutput + 259 : 2 ** 17);
  }

  push(chunk: Uint8Array, final: boolean): Uint8Array[] {
    if (this.pos < this.input.length) {
      const rest = this.input.subarray(this.pos);
      const joined = new Uint8Array(rest.length + chunk.length);
      joined.set(rest);
      joined.set(chunk, rest.length);
      this.input = joined;
    } else {
      this.input = chunk;
    }
    this.pos = 0;
    const out: Uint8Array[] = [];
    try {
      this.run(out);
    } catch (e) {
      if (e !== needInput) throw e;
      if (final) throw corrupt('unexpected EOF');
    }
    this.flush(out);
    // The caller may reuse its chunk: keep a copy of what is not decoded yet, with the whole
    // bytes of the bit buffer given back to it.
    const whole = this.nbits >>> 3;
    this.pos -= whole;
    this.nbits -= whole * 8;
    this.bits &= (1 << this.nbits) - 1;
    this.input = this.input.slice(this.pos);
    this.pos = 0;
    if (final && !this.done && this.total <= this.maxOutput) throw corrupt('unexpected EOF');
    return out;
  }

  private flush(out: Uint8Array[]): void {
    if (this.whole) {
      if (this.wp > this.flushed) out.push(this.win.subarray(this.flushed, this.wp));
      this.flushed = this.wp;
      return;
    }
    if (this.wp > this.flushed) out.push(this.win.slice(this.flushed, this.wp));
    if (this.wp > this.win.length - 32768 - 258) {
      this.win.copyWithin(0, this.wp - 32768, this.wp);
      this.wp = 32768;
    }
    this.flushed = this.wp;
  }

  private need(n: number): void {
    while (this.nbits < n) {
      if (this.pos >= this.input.length) throw needInput;
      this.bits |= this.input[this.pos++]! << this.nbits;
      this.nbits += 8;
    }
  }

  private take(n: number): number {
    this.need(n);
    const v = this.bits & ((1 << n) - 1);
    this.bits >>>= n;
    this.nbits -= n;
    return v;
  }

  private restore(pos: number, bits: number, nbits: number): void {
    this.pos = pos;
    this.bits = bits;
    this.nbits = nbits;
  }

  private symbol(h: Huffman): number {
    if (h.max === 0) throw corrupt('corrupt input: empty Huffman code used');
    // Fast path: enough bits buffered for a primary lookup.
    while (this.nbits < primaryBits && this.pos < this.input.length) {
      this.bits |= this.input[this.pos++]! << this.nbits;
      this.nbits += 8;
    }
    const e = h.table[this.bits & ((1 << primaryBits) - 1)]!;
    if (e >= 0 && (e & 15) <= this.nbits) {
      this.bits >>>= e & 15;
      this.nbits -= e & 15;
      return e >> 4;
    }
    // Canonical walk, one bit at a time (codes longer than the table, or input running short).
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= h.max; len++) {
      code |= this.take(1);
      const count = h.counts[len]!;
      if (code - first < count) return h.symbols[index + code - first]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw corrupt('corrupt input: invalid Huffman code');
  }

  private run(out: Uint8Array[]): void {
    for (;;) {
      if (this.total > this.maxOutput) return;
      switch (this.state) {
        case 'done':
          return;
        case 'header': {
          const [pos, bits, nbits] = [this.pos, this.bits, this.nbits];
          try {
            this.header();
          } catch (e) {
            if (e === needInput) this.restore(pos, bits, nbits);
            throw e;
          }
          break;
        }
        case 'stored':
          this.stored(out);
          break;
        case 'codes':
          this.codes(out);
          break;
      }
    }
  }

  private header(): void {
    this.last = this.take(1) === 1;
    const type = this.take(2);
    if (type === 0) {
      // Stored: skip to a byte boundary, then LEN and its one's complement NLEN.
      this.bits >>>= this.nbits % 8;
      this.nbits -= this.nbits % 8;
      const len = this.take(16);
      const nlen = this.take(16);
      if ((len ^ 0xffff) !== nlen) throw corrupt('corrupt input: stored block length complement');
      // Whole bytes still in the bit buffer go back to the input, which the copy reads directly.
      this.pos -= this.nbits / 8;
      this.bits = 0;
      this.nbits = 0;
      this.storedLeft = len;
      this.state = len === 0 ? this.endBlock() : 'stored';
    } else if (type === 1) {
      this.lit = fixedLit;
      this.dist = undefined;
      this.state = 'codes';
    } else if (type === 2) {
      this.dynamic();
      this.state = 'codes';
    } else {
      throw corrupt('corrupt input: block type 3');
    }
  }

  private endBlock(): 'header' | 'done' {
    if (this.last) {
      this.done = true;
      return 'done';
    }
    return 'header';
  }

  private dynamic(): void {
    const nlit = this.take(5) + 257;
    if (nlit > 286) throw corrupt('corrupt input: too many literal/length codes');
    const ndist = this.take(5) + 1;
    if (ndist > 30) throw corrupt('corrupt input: too many distance codes');
    const nclen = this.take(4) + 4;
    const cl = new Int32Array(19);
    for (let i = 0; i < nclen; i++) cl[clOrder[i]!] = this.take(3);
    const clCode = huffman(cl);
    if (!clCode) throw corrupt('corrupt input: bad code-length code');
    const n = nlit + ndist;
    const lengths = new Int32Array(n);
    for (let i = 0; i < n; ) {
      const x = this.symbol(clCode);
      if (x < 16) {
        lengths[i++] = x;
        continue;
      }
      let rep: number;
      let b = 0;
      if (x === 16) {
        if (i === 0) throw corrupt('corrupt input: repeat with no previous length');
        rep = 3 + this.take(2);
        b = lengths[i - 1]!;
      } else if (x === 17) {
        rep = 3 + this.take(3);
      } else {
        rep = 11 + this.take(7);
      }
      if (i + rep > n) throw corrupt('corrupt input: code lengths overflow');
      lengths.fill(b, i, i + rep);
      i += rep;
    }
    const lit = huffman(lengths.subarray(0, nlit));
    const dist = huffman(lengths.subarray(nlit));
    if (!lit || !dist) throw corrupt('corrupt input: bad literal/length or distance code');
    this.lit = lit;
    this.dist = dist;
  }

  private room(out: Uint8Array[]): void {
    if (this.wp > this.win.length - 258) this.flush(out);
  }

  private stored(out: Uint8Array[]): void {
    while (this.storedLeft > 0) {
      if (this.pos >= this.input.length) throw needInput;
      this.room(out);
      const n = Math.min(this.storedLeft, this.input.length - this.pos, this.win.length - this.wp);
      this.win.set(this.input.subarray(this.pos, this.pos + n), this.wp);
      this.pos += n;
      this.wp += n;
      this.total += n;
      this.storedLeft -= n;
      if (this.total > this.maxOutput) return;
    }
    this.state = this.endBlock();
  }

  private codes(out: Uint8Array[]): void {
    const win = this.win;
    for (;;) {
      if (this.total > this.maxOutput) return;
      this.room(out);
      const pos = this.pos;
      const bits = this.bits;
      const nbits = this.nbits;
      try {
        const sym = this.symbol(this.lit);
        if (sym < 256) {
          win[this.wp++] = sym;
          this.total++;
          continue;
        }
        if (sym === 256) {
          this.state = this.endBlock();
          return;
        }
        if (sym > 285) throw corrupt('corrupt input: invalid literal/length symbol');
        const li = sym - 257;
        const len = lengthBase[li]! + this.take(lengthExtra[li]!);
        let ds: number;
        if (this.dist === undefined) {
          ds = reverse(this.take(5), 5);
        } else {
          ds = this.symbol(this.dist);
        }
        if (ds >= 30) throw corrupt('corrupt input: invalid distance symbol');
        const d = distBase[ds]! + this.take(distExtra[ds]!);
        if (d > Math.min(this.total, 32768)) throw corrupt('corrupt input: distance too far back');
        let from = this.wp - d;
        for (let i = 0; i < len; i++) win[this.wp++] = win[from++]!;
        this.total += len;
      } catch (e) {
        if (e === needInput) this.restore(pos, bits, nbits);
        throw e;
      }
    }
  }
}
