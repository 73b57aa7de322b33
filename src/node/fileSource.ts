import { open } from 'node:fs/promises';
import { GosumdbError } from '../internal/errors.js';
import type { ByteSource } from '../dirhash/index.js';

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
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new GosumdbError('ERR_FILE_READ', `open ${path}: ${(e as Error).message}`, { cause: e });
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new GosumdbError('ERR_FILE_READ', `open ${path}: not a regular file`);
  }
  const handle = fh;
  const readInto = async (buf: Uint8Array, offset: number) => {
    for (let got = 0; got < buf.length; ) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, offset + got);
      if (bytesRead === 0) throw new GosumdbError('ERR_FILE_READ', `read ${path}: file shrank while reading (offset ${offset + got})`);
      got += bytesRead;
    }
  };
  return {
    size: st.size,
    async read(offset, length) {
      const buf = new Uint8Array(length);
      await readInto(buf, offset);
      return buf;
    },
    readInto,
    close: () => handle.close(),
  };
}
