// The real gosumdb command as a child process, for tests of what reaches a terminal byte for byte:
// exit status, standard output and standard error.
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
let built: string | undefined;

/**
 * cliMain is the gosumdb command that tests start as `node <cliMain()> <args>`: src/cli bundled by
 * scripts/build-cli.mjs, as `npm run build` ships it. scripts/run-tests.mjs builds it once for the
 * whole run (GOSUMDB_TEST_CLI); a test file run on its own builds its own, removed at exit.
 * Measured: a process of the bundle costs about 0.15 s of CPU where `node --import tsx
 * src/cli/main.ts` costs 0.5 s (tsx's loader thread and transforms), and tests start dozens.
 */
export function cliMain(): string {
  const fromRunner = process.env['GOSUMDB_TEST_CLI'];
  if (fromRunner) return fromRunner;
  if (built === undefined) {
    // Three folders below the root, as dist/cli/bundle/ (see scripts/build-cli.mjs).
    const dir = resolve(root, 'tmp', `test-cli-${process.pid}`);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    built = execFileSync(process.execPath, [resolve(root, 'scripts/build-cli.mjs'), resolve(dir, 'bundle')], { encoding: 'utf8' }).trim();
  }
  return built;
}

export type ProcessRun = {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
};

/**
 * gosumdb runs `gosumdb <args>` in `cwd` with exactly `env` (plus GOROOT=/nonexistent), feeding `stdin` if
 * given; killed after `timeoutMs`.
 */
export function gosumdb(
  args: readonly string[],
  o: { env: Record<string, string>; cwd: string; stdin?: string | Uint8Array; timeoutMs?: number },
): Promise<ProcessRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cliMain(), ...args], {
      cwd: o.cwd,
      env: { GOROOT: '/nonexistent', ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: o.timeoutMs ?? 120_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {});
    child.stdin.end(o.stdin ?? '');
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
  });
}
