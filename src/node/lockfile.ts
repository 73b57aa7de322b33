// A lock between processes: for the small read-compare-write of a remembered signed tree, and
// for a monitor's state while a monitor has it open. Node has no flock: the lock is a file
// created with O_EXCL holding "<pid> <host> <token>", removed on release. A holder that died
// (kill -9) leaves it behind; it is broken when its process is gone (same host), when it was
// left empty (killed between create and write), when it is no regular file, or, held from
// another host, when it is very old.

import { randomBytes } from 'node:crypto';
import { link, lstat, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as wait } from 'node:timers/promises';
import { GosumdbError } from '../internal/errors.js';
import { readRegularFile } from './fileSource.js';

/** LockOptions tune {@link withLockFile}. */
export type LockOptions = {
  /** How long to wait for another holder before giving up (default 10 000 ms). */
  readonly timeoutMs?: number;
  /**
   * Age after which a lock held from another host (whose process cannot be asked) is broken
   * (default 60 000 ms, for work of milliseconds; Infinity for a lock held as long as a process
   * runs). A holder alive on this host keeps its lock up to ten times as long.
   */
  readonly staleMs?: number;
};

// A lock file that is still empty this long after its creation was left by a killed process:
// the holder writes its line right after creating it.
const emptyStaleMs = 2000;

/**
 * withLockFile runs `fn` while holding the lock file `lockPath` (see {@link acquireLockFile}) and
 * removes the lock afterwards, even when `fn` throws.
 *
 * @throws GosumdbError ERR_STATE_LOCKED when another live process holds the lock for longer
 *   than `timeoutMs`; ERR_FILE when the lock cannot be created (e.g. a read-only directory);
 *   whatever `fn` throws.
 */
export async function withLockFile<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireLockFile(lockPath, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/**
 * acquireLockFile takes the lock file `lockPath` (created with O_EXCL, so at most one process at
 * a time holds it) and returns the function that releases it. A lock left by a process that no
 * longer runs on this host, or older than `staleMs`, is broken.
 *
 * @throws GosumdbError ERR_STATE_LOCKED when another live process holds the lock for longer
 *   than `timeoutMs`; ERR_FILE when the lock cannot be created (e.g. a read-only directory).
 */
export async function acquireLockFile(lockPath: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  if (typeof lockPath !== 'string') throw new TypeError('lockPath must be a string');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 60_000;
  const me = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}\n`;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lockPath, me, { flag: 'wx' });
      held.add(me);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new GosumdbError('ERR_FILE', `creating lock ${lockPath}: ${(e as Error).message}`, { cause: e });
      }
    }
    const holder = await inspect(lockPath);
    if (holder !== undefined && isStale(holder, staleMs)) {
      await breakLock(lockPath, holder.content);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder?.content.trim().split(' ').slice(0, 2).join(' on ') ?? 'another process';
      throw new GosumdbError('ERR_STATE_LOCKED', `${lockPath} is held by process ${who}; if no gosumdb is running, remove the file`);
    }
    // Short, jittered waits: the holder only compares and renames a small file.
    await wait(Math.min(100, 5 * 2 ** Math.min(attempt, 4)) + Math.random() * 10);
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    held.delete(me);
    // Remove only our own lock: if it was broken as stale meanwhile, another holder has it now.
    const now = await readSmall(lockPath);
    if (now === me) await unlink(lockPath).catch(() => {});
  };
}

type Holder = { readonly content: string; readonly ageMs: number };

// A lock file's line, read without ever blocking: a lock is a small regular file, and anything
// else at its name (a FIFO, which an open would wait on forever; a link to /dev/zero) is no lock.
async function readSmall(path: string): Promise<string | undefined> {
  try {
    const b = await readRegularFile(path, { maxBytes: 4096 });
    return b === undefined ? undefined : new TextDecoder().decode(b);
  } catch {
    return undefined;
  }
}

async function inspect(lockPath: string): Promise<Holder | undefined> {
  let st;
  try {
    st = await lstat(lockPath);
  } catch {
    // Released between our attempt and now: try again.
    return undefined;
  }
  // Not a regular file: nobody's lock, broken at once.
  if (!st.isFile()) return { content: '', ageMs: Number.POSITIVE_INFINITY };
  const ageMs = Date.now() - st.mtimeMs;
  // A file too large to be a lock line reads as a malformed (empty) lock.
  return { content: (await readSmall(lockPath)) ?? '', ageMs };
}

// Locks this process holds, by their line: its own pid in a lock it does not hold is a lock
// left by an earlier process that had the same pid (a container's pid 1, say).
const held = new Set<string>();

// A holder alive on this host keeps its lock up to ten times staleMs: broken from under a
// stalled holder, two would write at once; a process that merely reuses a dead holder's pid
// (or is someone else's: EPERM) cannot keep it forever. From another host, whose process
// cannot be asked, staleMs.
function isStale(h: Holder, staleMs: number): boolean {
  const [pid, host] = h.content.trim().split(' ');
  if (pid === undefined || host === undefined || !/^[0-9]+$/.test(pid)) return h.ageMs > emptyStaleMs;
  if (host !== hostname()) return h.ageMs > staleMs;
  if (h.ageMs > staleMs * 10) return true;
  if (Number(pid) === process.pid) return !held.has(h.content);
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    // EPERM: the process exists but is someone else's.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

// Moves the stale lock aside before deleting it, and deletes it only if it is still the lock that
// was judged stale: two processes breaking the same lock must not delete a fresh one.
async function breakLock(lockPath: string, staleContent: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readSmall(aside);
  // A fresh lock taken between our look and the move goes back where it was (link fails if yet
  // another process created one meanwhile: a window of microseconds, after a holder died).
  if (moved !== undefined && moved !== staleContent) await link(aside, lockPath).catch(() => {});
  await unlink(aside).catch(() => {});
}
