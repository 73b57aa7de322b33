// whenAborted: one 'abort' listener per signal, however many waiters; and the client's waits
// built on it (abortable, semaphore) reject with the signal's reason and leave nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { abortable, semaphore } from '../../src/client/limit.js';
import { whenAborted } from '../../src/internal/abort.js';

test('whenAborted: one listener for a thousand waiters; each called once, in order; forgotten ones never', () => {
  const ctl = new AbortController();
  const calls: number[] = [];
  const forgets = Array.from({ length: 1000 }, (_, i) => whenAborted(ctl.signal, () => calls.push(i)));
  assert.equal(getEventListeners(ctl.signal, 'abort').length, 1);
  for (let i = 0; i < 1000; i += 2) forgets[i]!();
  ctl.abort(new Error('stop'));
  assert.deepEqual(
    calls,
    Array.from({ length: 500 }, (_, i) => 2 * i + 1),
  );
  ctl.abort();
  assert.equal(calls.length, 500, 'a signal aborts once');
  // A waiter added after the abort is never called (callers check signal.aborted first).
  whenAborted(ctl.signal, () => calls.push(-1));
  assert.equal(calls.length, 500);
});

test('abortable and semaphore reject with the reason when the signal aborts, and forget their waiters when they settle', async () => {
  const ctl = new AbortController();
  const reason = new Error('deadline');
  // Settled waits leave no waiter behind: the abort below calls only the pending ones.
  assert.equal(await abortable(Promise.resolve(7), ctl.signal), 7);
  await assert.rejects(abortable(Promise.reject(new Error('own')), ctl.signal), /own/);
  const acquire = semaphore(1);
  const release = await acquire(ctl.signal);
  const waiting = acquire(ctl.signal);
  const pending = abortable(new Promise(() => {}), ctl.signal);
  ctl.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  await assert.rejects(pending, (e) => e === reason);
  // The aborted waiter left the queue: the slot goes to the next acquire, not to nobody.
  release();
  const next = await acquire(undefined);
  next();
  assert.throws(
    () => abortable(Promise.resolve(1), ctl.signal),
    (e) => e === reason,
  );
});
