#!/usr/bin/env node
// Runs test/**/*.test.ts with Node's test runner (Node 20 has no glob in --test), files in parallel.
// Usage: node scripts/run-tests.mjs [--slow] [dir-or-file ...]
//   default: every test file under test/ except test/interop/ (needs Go: `npm run test:interop`)
//   and the slow end-to-end suites, *.slow.test.ts (`npm run test:slow`, which CI also runs);
//   --slow: only the slow suites; named files and directories: those files, slow ones included.
// The files run in a few long-lived worker processes (scripts/test-worker.mjs), not one process
// each as `node --test` does: starting a process for a file (node, tsx's loader thread, the
// modules the file imports) cost about 0.5 s of CPU, a quarter of the suite's CPU for 80 files.
// A worker runs one file at a time, its tests in order as before; the next free worker takes the
// next file, the slowest first by the last run's times (tmp/test-times.json).
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { buildCli } from './build-cli.mjs';

function collect(p, out) {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p).sort()) collect(join(p, e), out);
  } else if (p.endsWith('.test.ts')) {
    out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const slow = args.includes('--slow');
const roots = args.filter((a) => a !== '--slow');
const isSlow = (f) => f.endsWith('.slow.test.ts');
const files = roots.length
  ? roots.flatMap((r) => collect(r, [])).filter((f) => !slow || isSlow(f))
  : collect('test', []).filter((f) => !f.startsWith(join('test', 'interop')) && isSlow(f) === slow);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Most test files wait on child processes, servers and timers more than they compute, so twice
// as many workers as cores keep the cores busy.
const workers = Math.min(files.length, Math.max(2, 2 * availableParallelism()));
const root = resolve(import.meta.dirname, '..');
const timesFile = join(root, 'tmp', 'test-times.json');
let lastTimes = {};
try {
  lastTimes = JSON.parse(readFileSync(timesFile, 'utf8'));
} catch {
  // No earlier run: path order.
}
// Files not timed yet first (they may be slow), then the slowest.
const queue = [...files].sort((a, b) => (lastTimes[b] ?? Infinity) - (lastTimes[a] ?? Infinity));
const times = { ...lastTimes };
const totals = {};

// runWorker feeds files to one worker until the queue is empty. Its output is held until a
// file's report ends (the line that closes the file's describe), then written in one piece, so
// that the workers' reports do not interleave. Resolves with the worker's exit code.
function runWorker(env) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--test-reporter=spec', join(root, 'scripts/test-worker.mjs')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let pending = '';
  let block = '';
  let summary = '';
  child.stdout.setEncoding('utf8').on('data', (s) => {
    const lines = (pending + s).split('\n');
    pending = lines.pop();
    for (const line of lines) {
      // The worker's own totals (ℹ tests 12 ...) are added up below instead.
      const m = /^\u2139 (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ([0-9.]+)$/.exec(line);
      if (m) {
        summary += `${m[1]} ${m[2]}\n`;
        continue;
      }
      block += line + '\n';
      if (/^[\u2714\u2716] \S+\.test\.ts \(/.test(line)) {
        process.stdout.write(block);
        block = '';
      }
    }
  });
  child.on('message', (m) => {
    if (m.done !== undefined) times[m.done] = Math.round(m.ms);
    child.send({ file: queue.shift() ?? null });
  });
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      process.stdout.write(block + (pending === '' ? '' : pending + '\n'));
      for (const [, k, v] of summary.matchAll(/^(\w+) ([0-9.]+)$/gm)) totals[k] = (totals[k] ?? 0) + Number(v);
      done(code ?? (signal ? 1 : 0));
    });
  });
}

// One bundle of the CLI for every test that starts the real command (test/helpers/process.ts).
const cliDir = join(root, 'tmp', `test-cli-${process.pid}`);
const started = performance.now();
let codes = [];
try {
  const cli = await buildCli(join(cliDir, 'bundle'));
  const env = { ...process.env, GOSUMDB_TEST_CLI: cli };
  codes = await Promise.all(Array.from({ length: workers }, () => runWorker(env)));
} finally {
  rmSync(cliDir, { recursive: true, force: true });
}
mkdirSync(join(root, 'tmp'), { recursive: true });
writeFileSync(timesFile, JSON.stringify(times, null, 1) + '\n');
const unrun = queue.length;
for (const k of ['tests', 'pass', 'fail', 'cancelled', 'skipped', 'todo']) console.log(`\u2139 ${k} ${totals[k] ?? 0}`);
console.log(`\u2139 files ${files.length - unrun} of ${files.length} in ${workers} processes`);
console.log(`\u2139 duration_ms ${(performance.now() - started).toFixed(0)}`);
const failed = codes.some((c) => c !== 0) || unrun > 0 || (totals.fail ?? 0) > 0 || (totals.cancelled ?? 0) > 0;
process.exit(failed ? 1 : 0);
