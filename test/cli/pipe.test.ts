import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { cliMain } from '../helpers/process.js';

const root = resolve(import.meta.dirname, '../..');

test('a reader that closes early (gosumdb ... | head) ends the CLI quietly, without a stack trace, and not with 0', async () => {
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
  // Cut short before its verdict: not a success (141, as a shell reports a program SIGPIPE ended).
  assert.equal(code, 141);
});

test('an output that cannot be written (a full disk) is one line on stderr and exit 2, not a stack trace', async () => {
  const { openSync, closeSync } = await import('node:fs');
  const full = openSync('/dev/full', 'w');
  try {
    const child = spawn(process.execPath, [cliMain(), '--version'], { cwd: root, stdio: ['ignore', full, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.equal(code, 2);
    assert.match(stderr, /^gosumdb: writing output: .*ENOSPC.*\n$/);
  } finally {
    closeSync(full);
  }
});
