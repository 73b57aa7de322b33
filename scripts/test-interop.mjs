#!/usr/bin/env node
// npm run test:interop: builds the Go programs of test/interop/go/ and runs test/interop/*.test.ts
// with GOSUMDB_INTEROP_BIN pointing at them. Needs `go` (see DEVELOPERS.md); .ci/run installs it.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildGoInterop } from './go-interop.mjs';

const root = resolve(import.meta.dirname, '..');
let bin;
try {
  bin = buildGoInterop();
} catch (e) {
  console.error(`test:interop: ${e.message}`);
  process.exit(1);
}
const tests = readdirSync(join(root, 'test/interop'))
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => join('test/interop', f));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...tests], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, GOSUMDB_INTEROP_BIN: bin },
});
process.exit(r.status ?? 1);
