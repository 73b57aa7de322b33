import { whenAborted } from '../internal/abort.js';

/**
 * semaphore returns an acquire function that admits at most n holders at once; each acquire
 * resolves to a release function (safe to call twice) and rejects with the abort reason if
 * `signal` aborts while waiting. Urgent waiters are admitted before the others.
 */
export function semaphore(n: number): (signal: AbortSignal | undefined, urgent?: boolean) => Promise<() => void> {
  let free = n;
  const urgentWaiting: Array<() => void> = [];
  const normalWaiting: Array<() => void> = [];
  const release = () => {
    const next = urgentWaiting.shift() ?? normalWaiting.shift();
    if (next) next();
    else free++;
  };
  return (signal, urgent = false) => {
    const waiting = urgent ? urgentWaiting : normalWaiting;
    if (free > 0) {
      free--;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const wake = () => {
        forget?.();
        resolve(once(release));
      };
      const onAbort = () => {
        const i = waiting.indexOf(wake);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal?.reason);
      };
      waiting.push(wake);
      const forget = signal && whenAborted(signal, onAbort);
    });
  };
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      f();
    }
  };
}

/** abortable waits for p, or rejects with the abort reason as soon as signal aborts; p keeps running for other waiters. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const forget = whenAborted(signal, () => reject(signal.reason));
    p.then(
      (v) => {
        forget();
        resolve(v);
      },
      (e: unknown) => {
        forget();
        reject(e);
      },
    );
  });
}
