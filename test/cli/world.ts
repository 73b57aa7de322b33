// A checksum database on 127.0.0.1 (gosumdb/server's test database) holding the records of real
// go.sum files, and runCli with captured output, for end-to-end CLI tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { nodeSha256, startServer, type RunningServer } from '../../src/node/index.js';
import { newTestDatabase, type Handler, type Mode, type TestDatabase } from '../../src/server/index.js';
import { cacheModule, h1, inModule } from '../helpers/modules.js';
import { cliMain } from '../helpers/process.js';

/** records groups go.sum text into database records: one per module version, zip line first, as sum.golang.org serves them. */
export function records(gosum: string): { path: string; version: string; text: string }[] {
  const byVersion = new Map<string, { path: string; version: string; zip?: string; mod?: string }>();
  for (const line of gosum.split('\n')) {
    const f = line.split(' ');
    if (f.length !== 3) continue;
    const [path, v, h] = f as [string, string, string];
    const version = v.replace(/\/go\.mod$/, '');
    const r = byVersion.get(`${path}@${version}`) ?? { path, version };
    if (v.endsWith('/go.mod')) r.mod = `${path} ${v} ${h}\n`;
    else r.zip = `${path} ${v} ${h}\n`;
    byVersion.set(`${path}@${version}`, r);
  }
  return [...byVersion.values()].map((r) => ({ path: r.path, version: r.version, text: (r.zip ?? '') + (r.mod ?? '') }));
}

export type World = {
  readonly db: TestDatabase;
  readonly server: RunningServer;
  /** An environment that points the go settings at the test database and an empty GOPATH. */
  readonly env: Record<string, string>;
  readonly tmp: string;
  close(): Promise<void>;
};

export async function world(
  options: {
    gosum?: string;
    synthetic?: number;
    mode?: Mode;
    extra?: { path: string; version: string; text: string }[];
    /** Serves this handler instead of the database's own (which it may call). */
    wrap?: (handle: Handler) => Handler;
  } = {},
): Promise<World> {
  const db = newTestDatabase({
    records: [...records(options.gosum ?? ''), ...(options.extra ?? [])],
    synthetic: options.synthetic ?? 0,
    sha256: nodeSha256,
    ...(options.mode ? { mode: options.mode } : {}),
  });
  const server = await startServer(options.wrap ? options.wrap(db.handle) : db.handle);
  const tmp = mkdtempSync(join(tmpdir(), 'gosumdb-cli-'));
  const env = {
    HOME: tmp,
    GOPATH: join(tmp, 'gopath'),
    GOSUMDB: `${db.vkey} ${server.url}`,
    GOPROXY: 'off',
    NO_COLOR: '1',
    PATH: '',
  };
  return {
    db,
    server,
    env,
    tmp,
    async close() {
      await server.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * cachedModuleWorld is a {@link world} whose database knows example.com/m v1.0.0 (its zip and
 * go.mod lines) and whose module cache, `<tmp>/modcache`, holds that version intact, extracted.
 */
export async function cachedModuleWorld(options: { synthetic?: number; mode?: Mode } = {}) {
  const mod = 'example.com/m';
  const version = 'v1.0.0';
  const files: Record<string, string> = { 'go.mod': `module ${mod}\n`, 'm.go': 'package m\n' };
  const hash = h1(inModule(mod, version, files));
  const text = `${mod} ${version} ${hash}\n${mod} ${version}/go.mod ${h1({ 'go.mod': files['go.mod']! })}\n`;
  const w = await world({ ...options, extra: [{ path: mod, version, text }] });
  const cache = join(w.tmp, 'modcache');
  cacheModule(cache, mod, version, files, { extract: true });
  return { w, mod, version, hash, cache, dir: join(cache, `${mod}@${version}`) };
}

export type Run = { code: number; stdout: string; stderr: string };

/** cli runs `gosumdb <args>` in-process with the given environment and working directory. */
export async function cli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  tty: { isTTY?: boolean; stdoutIsTTY?: boolean } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => (stderr += s),
    env,
    cwd,
    isTTY: tty.isTTY ?? false,
    stdoutIsTTY: tty.stdoutIsTTY ?? false,
  });
  return { code, stdout, stderr };
}

/** spawnCli starts the real gosumdb process ({@link cliMain}); `result` settles when it exits (code -1 when killed). */
export function spawnCli(args: string[], env: Record<string, string>, cwd: string): { child: ChildProcess; result: Promise<Run> } {
  const child = spawn(process.execPath, [cliMain(), ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const result = new Promise<Run>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
  return { child, result };
}

/** gosumdb runs `gosumdb <args>` as a real child process ({@link cliMain}) and reports how long it took. */
export async function gosumdb(args: string[], env: Record<string, string>, cwd: string): Promise<Run & { ms: number }> {
  const started = Date.now();
  const r = await spawnCli(args, env, cwd).result;
  return { ...r, ms: Date.now() - started };
}
