// Runs the Go programs of test/interop/go/ (built by scripts/test-interop.mjs into
// $GOSUMDB_INTEROP_BIN): Go's reference server and Go's reference client.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * goOffline runs the go command in `cwd` with modules only from the module cache `cache`
 * (GOPROXY=off, GOSUMDB=off) and HOME and GOPATH under `root`; output is stdout then stderr.
 */
export function goOffline(
  args: readonly string[],
  options: { readonly cwd: string; readonly root: string; readonly cache: string; readonly goflags: string },
): { status: number | null; output: string } {
  const r = spawnSync('go', args, {
    cwd: options.cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: options.root,
      GOMODCACHE: options.cache,
      GOPATH: join(options.root, 'gopath'),
      GOFLAGS: options.goflags,
      GOPROXY: 'off',
      GOSUMDB: 'off',
    },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function binary(name: string): string {
  const dir = process.env.GOSUMDB_INTEROP_BIN;
  if (!dir) throw new Error('GOSUMDB_INTEROP_BIN is not set: run the interop suite with `npm run test:interop`');
  return join(dir, name);
}

/** GoServer is a running test/interop/go/sumdbserver: /honest/... and /fork/... under `url`. */
export type GoServer = {
  readonly url: string;
  readonly vkey: string;
  readonly skey: string;
  readonly n: number;
  /** close stops the server and returns the number of requests it answered. */
  close(): Promise<number>;
};

/** startGoServer starts Go's sumdb.Server over a TestServer with `n` synthetic modules on 127.0.0.1. */
export async function startGoServer(options: { n: number; latencyMs?: number }): Promise<GoServer> {
  const args = ['-port', '0', '-n', String(options.n)];
  if (options.latencyMs) args.push('-latency', `${options.latencyMs}ms`);
  const child = spawn(binary('sumdbserver'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sumdbserver did not start within 60s: ${stderr}`)), 60_000);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sumdbserver exited with ${code}: ${stderr}`));
    });
  });
  const ready = JSON.parse(first) as { url: string; vkey: string; skey: string; n: number };
  return {
    ...ready,
    async close() {
      child.kill('SIGTERM');
      await exited;
      const m = /requests (\d+)/.exec(stderr);
      return m ? Number(m[1]) : -1;
    },
  };
}

/** GoLookup is one lookup result of Go's sumdb.Client. */
export type GoLookup = { path: string; version: string; lines: string[] | null; error?: string };

/** GoClientRun is the output of one run of test/interop/go/sumdbclient. */
export type GoClientRun = { results: GoLookup[]; security: string[] | null; requests: number; seconds: number };

/**
 * runGoClient looks up `list` with Go's sumdb.Client against `url` (`parallel` at once). With
 * `config`, the latest tree and verified tiles persist in that directory between runs.
 */
export async function runGoClient(options: {
  url: string;
  vkey: string;
  list: readonly { path: string; version: string }[];
  config?: string;
  parallel?: number;
}): Promise<GoClientRun> {
  const args = ['-url', options.url, '-vkey', options.vkey, '-parallel', String(options.parallel ?? 1)];
  if (options.config) args.push('-config', options.config);
  const child = spawn(binary('sumdbclient'), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.end(options.list.map((m) => `${m.path} ${m.version}\n`).join(''));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sumdbclient did not finish within 120s: ${stderr}`));
    }, 120_000);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (code !== 0) throw new Error(`sumdbclient exited with ${code}: ${stderr}`);
  return JSON.parse(stdout) as GoClientRun;
}
