// Local files read safely: only regular files (a FIFO must not hang the process, a device such as
// /dev/zero must not be read forever), opened without waiting, read with a cap and an abort signal.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { GosumdbError } from '../internal/errors.js';
import type { ByteSource } from '../dirhash/index.js';

function readError(what: string, e: unknown): GosumdbError {
  return new GosumdbError('ERR_FILE_READ', `${what}: ${(e as Error).message}`, { cause: e });
}

function kind(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * openRegular opens a regular file for reading and returns its handle and size, or undefined if
 * it does not exist (ENOENT, ENOTDIR). O_NONBLOCK: opening a FIFO must not wait for a writer.
 *
 * @throws GosumdbError `ERR_FILE_READ` when it cannot be opened or is not a regular file.
 */
export async function openRegular(path: string): Promise<{ fh: FileHandle; size: number } | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw readError(`open ${path}`, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      // A directory carries the EISDIR that reading it would have given, for callers that tell it apart.
      const cause = st.isDirectory()
        ? Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR', syscall: 'read', path })
        : undefined;
      throw new GosumdbError('ERR_FILE_READ', `open ${path}: ${kind(st)}, not a regular file`, cause ? { cause } : undefined);
    }
    return { fh, size: st.size };
  } catch (e) {
    await fh.close();
    throw e instanceof GosumdbError ? e : readError(`stat ${path}`, e);
  }
}

/** READ_MAX is the most {@link readRegularFile} reads by default: 16 MiB, the go command's limit on a go.mod. */
export const READ_MAX = 16 << 20;

/**
 * readRegularFile reads a whole regular file of at most `maxBytes` (default {@link READ_MAX}), or
 * returns undefined if it does not exist; it stops when `signal` aborts.
 *
 * @throws GosumdbError `ERR_FILE_READ` for a file that cannot be read, is not a regular file or is
 *   larger than `maxBytes`; the abort reason.
 */
export async function readRegularFile(
  path: string,
  options: { readonly maxBytes?: number; readonly signal?: AbortSignal | undefined } = {},
): Promise<Uint8Array | undefined> {
  const max = options.maxBytes ?? READ_MAX;
  const opened = await openRegular(path);
  if (opened === undefined) return undefined;
  const { fh, size } = opened;
  try {
    if (size > max) throw new GosumdbError('ERR_FILE_READ', `read ${path}: larger than ${max} bytes`);
    // The file may grow while it is read (or have no size, as in /proc): grow the buffer up to
    // max+1 bytes, to notice a file that went past the cap.
    let buf = new Uint8Array(Math.min(max + 1, Math.max(size, 1 << 16)));
    let got = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      if (got === buf.length) {
        if (buf.length > max) break;
        const bigger = new Uint8Array(Math.min(max + 1, buf.length * 2));
        bigger.set(buf);
        buf = bigger;
      }
      let n: number;
      try {
        n = (await fh.read(buf, got, buf.length - got, got)).bytesRead;
      } catch (e) {
        throw readError(`read ${path}`, e);
      }
      if (n === 0) break;
      got += n;
    }
    if (got > max) throw new GosumdbError('ERR_FILE_READ', `read ${path}: larger than ${max} bytes`);
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** FileSource is a {@link ByteSource} over an open file; `close` releases the file handle. */
export type FileSource = ByteSource & { close(): Promise<void> };

/**
 * fileSource opens a file for random access as a {@link ByteSource}, so a zip is hashed
 * piece by piece instead of being read into memory. Close it when done.
 *
 * @throws GosumdbError `ERR_FILE_READ` if the file cannot be opened or is not a regular file.
 * @example
 * ```ts
 * import { fileSource } from 'gosumdb/node';
 * import { writeFileSync, mkdtempSync } from 'node:fs';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const p = join(mkdtempSync(join(tmpdir(), 'ex-')), 'f');
 * writeFileSync(p, 'hello');
 * const src = await fileSource(p);
 * console.log(src.size, new TextDecoder().decode(await src.read(1, 3))); // 5 ell
 * await src.close();
 * ```
 */
export async function fileSource(path: string): Promise<FileSource> {
  if (typeof path !== 'string') throw new TypeError('path must be a string');
  const opened = await openRegular(path);
  if (opened === undefined) throw new GosumdbError('ERR_FILE_READ', `open ${path}: no such file or directory`);
  const { fh: handle, size } = opened;
  const readInto = async (buf: Uint8Array, offset: number) => {
    for (let got = 0; got < buf.length; ) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, offset + got);
      if (bytesRead === 0) throw new GosumdbError('ERR_FILE_READ', `read ${path}: file shrank while reading (offset ${offset + got})`);
      got += bytesRead;
    }
  };
  return {
    size,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      await readInto(buf, offset);
      return buf;
    },
    readInto,
    close: () => handle.close(),
  };
}
