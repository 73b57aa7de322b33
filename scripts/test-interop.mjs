#!/usr/bin/env node
// npm run test:interop: builds the Go programs of test/interop/go/ (GOPATH mode, importing
// Debian's golang.org/x/mod) into .gopath/interop-bin/ and runs test/interop/*.test.ts with
// GOSUMDB_INTEROP_BIN pointing there. Needs `go` (see DEVELOPERS.md); .ci/run installs it first.
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');
const goDir = join(root, 'test/interop/go');
const bin = join(root, '.gopath/interop-bin');
const gopath = `${join(root, '.gopath')}:/usr/share/gocode`;

if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
  console.error('test:interop: `go` is not installed; run: apt-get install -y golang-go golang-golang-x-mod-dev');
  process.exit(1);
}
mkdirSync(bin, { recursive: true });
for (const name of readdirSync(goDir).sort()) {
  const r = spawnSync('go', ['build', '-o', join(bin, name), '.'], {
    cwd: join(goDir, name),
    stdio: 'inherit',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: gopath, GOFLAGS: '' },
  });
  if (r.status !== 0) {
    console.error(`test:interop: building test/interop/go/${name} failed`);
    process.exit(1);
  }
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
