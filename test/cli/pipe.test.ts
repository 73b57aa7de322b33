import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { cliMain } from '../helpers/process.js';

const root = resolve(import.meta.dirname, '../..');

test('a reader that closes early (gosumdb ... | head) ends the CLI quietly, without a stack trace', async () => {
  // `vectors --verbose` prints one line per case: thousands of lines, far more than one pipe buffer.
  const child = spawn(process.execPath, [cliMain(), 'vectors', '--verbose'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let first = '';
  await new Promise<void>((done) => {
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout.destroy();
      done();
    });
  });
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  assert.match(first, /^ok {3}\S+/);
  assert.doesNotMatch(stderr, /EPIPE|Unhandled|\n\s+at /);
  assert.equal(code, 0);
});
