// The real gosumdb command as a child process (node + tsx on src/cli/main.ts), for tests of what
// reaches a terminal byte for byte: exit status, standard output and standard error.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const main = resolve(import.meta.dirname, '../../src/cli/main.ts');

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
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], {
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
