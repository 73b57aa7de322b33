import { GosumdbError } from '../internal/errors.js';

/**
 * ByteSource is random access to a zip held elsewhere (a file, a blob, a remote object), so that
 * a zip is read piece by piece and never held whole. `read` returns exactly `length` bytes at
 * `offset`; callers stay within `size`. `gosumdb/node` provides `fileSource(path)`.
 */
export type ByteSource = {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * readInto, when present, fills all of `target` with the bytes at `offset`, so that a reader
   * can reuse one buffer instead of allocating one per read.
   */
  readInto?(target: Uint8Array, offset: number): Promise<void>;
};

/**
 * bytesSource wraps bytes in memory as a {@link ByteSource} (reads are views, not copies).
 *
 * @example
 * ```ts
 * import { bytesSource } from 'gosumdb/dirhash';
 * const src = bytesSource(new Uint8Array([1, 2, 3]));
 * console.log(src.size, await src.read(1, 2)); // 3 Uint8Array(2) [ 2, 3 ]
 * ```
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)),
  };
}

// Reads ahead in windows of this size: module zips are read front to back, so one window
// serves many small local headers and entries (measured: this removes most read calls).
const windowSize = 2 ** 20;

/**
 * Reader reads a {@link ByteSource} through one read-ahead window. `readAt` returns fewer bytes
 * than asked at the end of the source, like Go's io.SectionReader, and never reads past `size`.
 * What `readAt` and `peek` return may be a view of the window: use it before the next read.
 */
export class Reader {
  private start = 0;
  private buf: Uint8Array = new Uint8Array(0);
  // The window's storage, reused across refills when the source can read into it (measured:
  // allocating a fresh 1 MiB per refill let peak RSS grow with the zip's size).
  private store: Uint8Array | undefined;

  constructor(private readonly src: ByteSource) {}

  get size(): number {
    return this.src.size;
  }

  /** peek returns the bytes at offset if the window holds all of them, without awaiting. */
  peek(offset: number, length: number): Uint8Array | undefined {
    if (offset >= this.start && offset + length <= this.start + this.buf.length) {
      return this.buf.subarray(offset - this.start, offset + length - this.start);
    }
    return undefined;
  }

  /** readAt returns up to `length` bytes at `offset` (fewer only at the end of the source). */
  async readAt(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.src.size || length <= 0) return new Uint8Array(0);
    const n = Math.min(length, this.src.size - offset);
    const end = offset + n;
    if (offset >= this.start && end <= this.start + this.buf.length) {
      return this.buf.subarray(offset - this.start, end - this.start);
    }
    if (n >= windowSize) return this.fetch(offset, n);
    const w = Math.min(windowSize, this.src.size - offset);
    this.buf = new Uint8Array(0);
    if (this.src.readInto) {
      this.store ??= new Uint8Array(windowSize);
      const target = this.store.subarray(0, w);
      try {
        await this.src.readInto(target, offset);
      } catch (e) {
        throw new GosumdbError('ERR_ZIP_READ', `zip: reading ${w} bytes at offset ${offset}: ${(e as Error).message}`, { cause: e });
      }
      this.buf = target;
    } else {
      this.buf = await this.fetch(offset, w);
    }
    this.start = offset;
    return this.buf.subarray(0, n);
  }

  private async fetch(offset: number, length: number): Promise<Uint8Array> {
    let b: Uint8Array;
    try {
      b = await this.src.read(offset, length);
    } catch (e) {
      throw new GosumdbError('ERR_ZIP_READ', `zip: reading ${length} bytes at offset ${offset}: ${(e as Error).message}`, { cause: e });
    }
    if (!(b instanceof Uint8Array) || b.length !== length) {
      throw new GosumdbError(
        'ERR_ZIP_READ',
        `zip: short read at offset ${offset}: want ${length} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`,
      );
    }
    return b;
  }
}

/** toSource accepts bytes or a source and validates the source's size. */
export function toSource(zip: Uint8Array | ByteSource): ByteSource {
  if (zip instanceof Uint8Array) return bytesSource(zip);
  if (zip === null || typeof zip !== 'object' || typeof zip.read !== 'function') {
    throw new TypeError('zip must be a Uint8Array or a ByteSource { size, read(offset, length) }');
  }
  if (!Number.isSafeInteger(zip.size) || zip.size < 0)
    throw new RangeError(`zip size must be a non-negative safe integer, got ${String(zip.size)}`);
  return zip;
}
