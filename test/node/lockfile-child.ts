// A child process for lockfile.test.ts: `count <lock> <file> <n>` adds 1 to the number in file
// n times, each read-modify-write under the lock; `hold <lock>` takes the lock, says "locked"
// and waits to be killed.
import { readFileSync, writeFileSync } from 'node:fs';
import { withLockFile } from '../../src/node/lockfile.js';

const [mode, lock, file, n] = process.argv.slice(2) as [string, string, string?, string?];
if (mode === 'count') {
  for (let i = 0; i < Number(n); i++) {
    await withLockFile(lock, async () => {
      const v = Number(readFileSync(file!, 'utf8'));
      // Widen the window a lost update needs.
      await new Promise((r) => setTimeout(r, Math.random() * 2));
      writeFileSync(file!, String(v + 1));
    });
  }
} else {
  await withLockFile(lock, async () => {
    process.stdout.write('locked\n');
    await new Promise(() => setInterval(() => {}, 1000));
  });
}
