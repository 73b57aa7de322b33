// Builds the Go baselines of the benchmarks (bench/go/<name>) in GOPATH mode against Debian's
// golang.org/x/mod, as scripts/gen-vectors.sh builds the vector generators: bench/go is linked
// into .gopath as gosumdb.dev/bench, so the programs share gosumdb.dev/bench/peakrss.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * buildGoBench builds bench/go/<name> into bench/.cache/bin/gobench-<name> and returns its path,
 * or undefined when Go (with golang.org/x/mod) is not installed.
 */
export function buildGoBench(name: string): string | undefined {
  const gopath = join(root, '.gopath');
  const bin = join(root, 'bench/.cache/bin', `gobench-${name}`);
  try {
    mkdirSync(join(root, 'bench/.cache/bin'), { recursive: true });
    mkdirSync(join(gopath, 'src/gosumdb.dev'), { recursive: true });
    try {
      symlinkSync('../../../bench/go', join(gopath, 'src/gosumdb.dev/bench'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    execFileSync('go', ['build', '-o', bin, `./bench/go/${name}`], {
      cwd: root,
      env: { ...process.env, GO111MODULE: 'off', GOPATH: `${gopath}:/usr/share/gocode` },
      stdio: 'ignore',
    });
    return bin;
  } catch {
    return undefined;
  }
}
