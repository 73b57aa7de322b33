import { Inflate, inflateSync } from 'fflate';

/** InflateStream is one incremental raw-DEFLATE decompression. */
export interface InflateStream {
  /**
   * push feeds the next compressed chunk (`final` on the last one) and returns the output produced
   * so far. It throws on corrupt data, and on the final chunk if the DEFLATE stream is unfinished.
   * Bytes after the stream's final block are ignored, as Go's compress/flate does.
   */
  push(chunk: Uint8Array, final: boolean): Uint8Array[] | Promise<Uint8Array[]>;
}

/**
 * Inflater decompresses raw DEFLATE (zip method 8). The portable default is {@link fflateInflater};
 * `gosumdb/node` supplies node:zlib's (about 2x faster), injected per call.
 */
export interface Inflater {
  /**
   * inflateSync decompresses a whole raw DEFLATE stream held in memory. It returns at most
   * `maxOutput + 1` bytes (so that a caller sees an overlong entry without inflating all of it),
   * and throws on corrupt or unfinished data.
   */
  readonly inflateSync: (data: Uint8Array, maxOutput: number) => Uint8Array;
  /**
   * create starts an incremental decompression for entries too large to hold. Once more than
   * `maxOutput` bytes have come out, the stream may stop early and return what it has.
   */
  readonly create: (maxOutput: number) => InflateStream;
  /**
   * chunkSize is how many compressed bytes to push at a time: the stream holds the output of one
   * push, up to about 1032 times this for a hostile input (DEFLATE's largest ratio).
   */
  readonly chunkSize: number;
}

/**
 * fflateInflater is the portable raw-DEFLATE decompressor (fflate), usable in any runtime.
 *
 * @example
 * ```ts
 * import { fflateInflater } from 'gosumdb/dirhash';
 * const stored = new Uint8Array([1, 2, 0, 253, 255, 104, 105]); // a stored block holding "hi"
 * console.log(new TextDecoder().decode(fflateInflater.inflateSync(stored, 2))); // hi
 * ```
 */
export const fflateInflater: Inflater = {
  inflateSync(data, maxOutput) {
    // fflate accepts an empty input as an empty stream; Go's flate reports an unexpected EOF.
    if (data.length === 0) throw new Error('unexpected EOF');
    // With a fixed output buffer fflate stops when it is full instead of growing it, or throws
    // a RangeError when a stored block does not fit: both mean more than maxOutput bytes.
    const out = new Uint8Array(maxOutput + 1);
    try {
      return inflateSync(data, { out });
    } catch (e) {
      if (e instanceof RangeError) return out;
      throw e;
    }
  },
  // fflate inflates a whole pushed chunk before returning: small chunks bound a bomb's output.
  chunkSize: 16 * 1024,
  create() {
    let out: Uint8Array[] = [];
    let started = false;
    const inf = new Inflate((chunk) => {
      out.push(chunk);
    });
    return {
      push(chunk, final) {
        if (chunk.length > 0) started = true;
        if (final && !started) throw new Error('unexpected EOF');
        inf.push(chunk, final);
        const r = out;
        out = [];
        return r;
      },
    };
  },
};
