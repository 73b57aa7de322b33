// withLockFile between real processes: mutual exclusion (no lost update), a holder killed with
// SIGKILL does not block the next one, and a live holder makes a waiter fail with ERR_STATE_LOCKED.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLockFile } from '../../src/node/lockfile.js';

const child = join(import.meta.dirname, 'lockfile-child.ts');

function run(args: string[], onLine?: (line: string) => void) {
  const p = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  p.stdout.setEncoding('utf8').on('data', (s: string) => onLine?.(s.trim()));
  return { p, done: new Promise<number | null>((r) => p.on('close', (code) => r(code))) };
}

test('four processes each adding 1 to a file 25 times under the lock: no update is lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-lock-'));
  try {
    const file = join(dir, 'n');
    writeFileSync(file, '0');
    const codes = await Promise.all([0, 1, 2, 3].map(() => run(['count', join(dir, 'l.lock'), file, '25']).done));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    assert.equal(readFileSync(file, 'utf8'), '100');
    assert.equal(existsSync(join(dir, 'l.lock')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a holder killed with SIGKILL leaves its lock behind; the next taker breaks it at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-lock-'));
  try {
    const lock = join(dir, 'l.lock');
    let locked: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = run(['hold', lock], (line) => line === 'locked' && locked());
    await isLocked;
    holder.p.kill('SIGKILL');
    await holder.done;
    assert.equal(existsSync(lock), true);
    assert.equal(await withLockFile(lock, async () => 'mine', { timeoutMs: 5000 }), 'mine');
    assert.equal(existsSync(lock), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a live holder: ERR_STATE_LOCKED after the timeout, naming the lock; an old empty lock is broken', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-lock-'));
  // A live process on this host that is not this one.
  const other = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    const lock = join(dir, 'l.lock');
    const line = `${other.pid} ${hostname()} someone\n`;
    writeFileSync(lock, line);
    await assert.rejects(
      withLockFile(lock, async () => 'never', { timeoutMs: 100 }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, 'ERR_STATE_LOCKED');
        assert.ok(e.message.includes(lock), e.message);
        return true;
      },
    );
    assert.equal(readFileSync(lock, 'utf8'), line);
    // Left empty by a process killed between creating and writing it, a while ago.
    writeFileSync(lock, '');
    utimesSync(lock, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    assert.equal(await withLockFile(lock, async () => 'taken', { timeoutMs: 1000 }), 'taken');
    // A stalled holder alive on this host keeps its lock past staleMs (broken from under it, two
    // would write at once), up to ten times staleMs (its pid may belong to another process by now).
    writeFileSync(lock, `${other.pid} ${hostname()} stalled\n`);
    utimesSync(lock, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    await assert.rejects(
      withLockFile(lock, async () => 'never', { timeoutMs: 100 }),
      { code: 'ERR_STATE_LOCKED' },
    );
    utimesSync(lock, new Date(Date.now() - 700_000), new Date(Date.now() - 700_000));
    assert.equal(await withLockFile(lock, async () => 'after ten times', { timeoutMs: 1000 }), 'after ten times');
    // This process's own pid in a lock it does not hold: left by an earlier process with that pid.
    writeFileSync(lock, `${process.pid} ${hostname()} earlier\n`);
    assert.equal(await withLockFile(lock, async () => 'own pid', { timeoutMs: 1000 }), 'own pid');
    // Held from another host, whose process cannot be asked: broken once older than staleMs.
    writeFileSync(lock, `1 another-host.invalid stuck\n`);
    utimesSync(lock, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    assert.equal(await withLockFile(lock, async () => 'taken again', { timeoutMs: 1000 }), 'taken again');
    // Too large to be a lock line: a malformed lock, broken as an old empty one is.
    writeFileSync(lock, 'x'.repeat(10_000));
    utimesSync(lock, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    assert.equal(await withLockFile(lock, async () => 'past the big file', { timeoutMs: 1000 }), 'past the big file');
    // Not a regular file (a FIFO, which an open would wait on forever): nobody's lock, broken at once.
    rmSync(lock, { force: true });
    execFileSync('mkfifo', [lock]);
    assert.equal(await withLockFile(lock, async () => 'past the FIFO', { timeoutMs: 1000 }), 'past the FIFO');
  } finally {
    other.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
