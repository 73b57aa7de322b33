#!/usr/bin/env node
// Runs test/**/*.test.ts with Node's test runner (Node 20 has no glob in --test), files in parallel.
// Usage: node scripts/run-tests.mjs [--slow] [dir-or-file ...]
//   default: every test file under test/ except test/interop/ (needs Go: `npm run test:interop`)
//   and the slow end-to-end suites, *.slow.test.ts (`npm run test:slow`, which CI also runs);
//   --slow: only the slow suites; named files and directories: those files, slow ones included.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
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
// as many files as cores keep the cores busy (measured: npm test 5 min -> see DEVELOPERS.md).
const concurrency = Math.max(2, 2 * availableParallelism());
// One bundle of the CLI for every test that starts the real command (test/helpers/process.ts).
const cliDir = resolve(import.meta.dirname, '..', 'tmp', `test-cli-${process.pid}`);
let r;
try {
  const cli = await buildCli(join(cliDir, 'bundle'));
  r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
    stdio: 'inherit',
    env: { ...process.env, GOSUMDB_TEST_CLI: cli },
  });
} finally {
  rmSync(cliDir, { recursive: true, force: true });
}
process.exit(r?.status ?? 1);
