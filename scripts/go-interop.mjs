// Builds the Go programs of test/interop/go/ (GOPATH mode, importing Debian's golang.org/x/mod)
// into .gopath/interop-bin/, for the interop suite and the client benchmark.
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');

/** buildGoInterop builds every test/interop/go/<name> program and returns the directory holding them. */
export function buildGoInterop() {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('`go` is not installed; run: apt-get install -y golang-go golang-golang-x-mod-dev');
  }
  const goDir = join(root, 'test/interop/go');
  const bin = join(root, '.gopath/interop-bin');
  mkdirSync(bin, { recursive: true });
  for (const name of readdirSync(goDir).sort()) {
    const r = spawnSync('go', ['build', '-o', join(bin, name), '.'], {
      cwd: join(goDir, name),
      encoding: 'utf8',
      env: { ...process.env, GO111MODULE: 'off', GOPATH: `${join(root, '.gopath')}:/usr/share/gocode`, GOFLAGS: '' },
    });
    if (r.status !== 0) throw new Error(`building test/interop/go/${name} failed:\n${r.stderr}`);
  }
  return bin;
}
