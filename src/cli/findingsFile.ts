// `gosumdb monitor --output <file>`: findings appended to a file, each exactly once across runs
// killed at any moment. Writing a batch out and marking it reported in the state are two steps,
// so a run killed between them shows the batch again on its next run (to a pipe, that repeat
// cannot be taken back). A file can be read back: the batch a killed run left unmarked is the
// first thing the next run reports, and whatever part of it is already at the end of the file
// (whole lines, in order) is not written again; a torn last line is cut off first.
import { open, type FileHandle } from 'node:fs/promises';
import { GosumdbError } from '../internal/errors.js';

/** FindingsFile appends lines of findings to a file, once each (see the top of this file). */
export type FindingsFile = {
  /** append writes `lines` (each ending in "\n"), skipping on its first call the part already written, and syncs the file. */
  append(lines: readonly string[]): Promise<void>;
  close(): Promise<void>;
};

// Longest tail read back: a batch's lines (a malformed record's finding quotes the record).
const maxTail = 64 << 20;

/**
 * openFindingsFile opens (creating) the monitor's findings file for appending. Only a regular
 * file can be read back; anything else (a FIFO, /dev/stdout) is written as a stream.
 *
 * @throws GosumdbError ERR_OUTPUT_UNUSABLE when it cannot be opened or read back (exit 2);
 *   `append` ERR_FILE when a write fails.
 */
export async function openFindingsFile(path: string): Promise<FindingsFile> {
  const fail = (what: string, e: unknown, code = 'ERR_OUTPUT_UNUSABLE') =>
    new GosumdbError(code, `${what} ${path}: ${(e as Error).message}`, { cause: e });
  let fh: FileHandle;
  try {
    fh = await open(path, 'a+');
  } catch (e) {
    throw fail('opening', e);
  }
  let regular: boolean;
  try {
    regular = (await fh.stat()).isFile();
    if (regular) await cutTornLine(fh);
  } catch (e) {
    await fh.close();
    throw fail('reading', e);
  }
  let first = regular;
  return {
    async append(lines) {
      let skip = 0;
      try {
        if (first && lines.length > 0) skip = await alreadyWritten(fh, lines);
        first = false;
        const text = Buffer.from(lines.slice(skip).join(''));
        // One write may take only part (a full disk, a file size limit), and what returns from
        // here is marked reported: all of it must be in the file, or this must throw.
        for (let at = 0; at < text.length; ) {
          const { bytesWritten } = await fh.write(text, at, text.length - at);
          if (bytesWritten === 0) throw new Error(`no byte written after ${at} of ${text.length}`);
          at += bytesWritten;
        }
        if (regular) await fh.datasync();
      } catch (e) {
        throw fail('writing', e, 'ERR_FILE');
      }
    },
    close: () => fh.close(),
  };
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

// A write cut short by a kill leaves a last line without its "\n": it is cut off (the run that
// follows writes that finding in full).
async function cutTornLine(fh: FileHandle): Promise<void> {
  const size = (await fh.stat()).size;
  let end = size;
  while (end > 0) {
    const from = Math.max(0, end - 65536);
    const chunk = await readAt(fh, from, end - from);
    const nl = chunk.lastIndexOf(0x0a);
    if (nl >= 0) {
      end = from + nl + 1;
      break;
    }
    end = from;
  }
  if (end < size) await fh.truncate(end);
}

// alreadyWritten returns the largest j such that the file ends with lines[0..j) as whole lines:
// the part of this batch a killed run wrote out before it could mark it reported. A finding's
// line names its record, which no earlier batch's line does, so an earlier line cannot match.
async function alreadyWritten(fh: FileHandle, lines: readonly string[]): Promise<number> {
  const size = (await fh.stat()).size;
  const want = Buffer.from(lines.join(''));
  const tailLength = Math.min(size, want.length + 1, maxTail);
  const tail = await readAt(fh, size - tailLength, tailLength);
  for (let j = lines.length, length = want.length; j > 0; length -= Buffer.byteLength(lines[--j]!)) {
    if (length > tail.length) continue;
    const at = tail.length - length;
    const whole = at > 0 ? tail[at - 1] === 0x0a : tailLength === size;
    if (whole && tail.subarray(at).equals(want.subarray(0, length))) return j;
  }
  return 0;
}
