// gosumdb monitor in its own process: killed with SIGKILL at random moments and started again,
// its state in SQLite must lose nothing and report nothing twice; without better-sqlite3
// installed, --state must say how to install it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateKey } from '../../src/note/index.js';
import { nodeSha256, startServer } from '../../src/node/index.js';
import { newTestDatabase, syntheticModule } from '../../src/server/index.js';
import { cliMain } from '../helpers/process.js';

const root = resolve(import.meta.dirname, '../..');
const records = 40_000;

type Child = { stdout: string; stderr: string; code: number | null; killed: boolean };

// runMonitor runs the CLI; with killAfterMs, it is killed (SIGKILL) that long after its first
// output (findings), i.e. in the middle of the sync.
function runMonitor(args: string[], env: Record<string, string>, killAfterMs: number | undefined): Promise<Child> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cliMain(), 'monitor', ...args], {
      env,
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (killAfterMs !== undefined && timer === undefined) timer = setTimeout(() => (killed = child.kill('SIGKILL')), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ stdout, stderr, code, killed });
    });
  });
}

test('monitor killed with SIGKILL mid-sync and restarted loses nothing and reports nothing twice', { timeout: 300_000 }, async () => {
  const db = newTestDatabase({ synthetic: records, sha256: nodeSha256 });
  // A duplicate every 2000 records, each of an early module version, so findings are spread over the whole sync.
  const want: string[] = [];
  for (let k = 0; k < 20; k++) {
    const m = syntheticModule(k + 1);
    const id = db.log.append(m.path, m.version, m.text);
    want.push(`duplicate ${id} ${k + 1} zip`, `duplicate ${id} ${k + 1} go.mod`);
    for (let i = 0; i < 1999; i++) {
      const s = syntheticModule(records + k * 1999 + i);
      db.log.append(s.path, s.version, s.text);
    }
  }
  const total = db.log.size();
  for (let i = 0; i < total; i++) {
    const r = db.log.records()[i]!;
    if (/^example\.com\/m7[0-9]*7$/.test(r.path)) want.push(`watch ${i}`);
  }
  const server = await startServer(db.handle);
  const tmp = mkdtempSync(join(tmpdir(), 'gosumdb-kill-'));
  try {
    const env = {
      HOME: tmp,
      GOPATH: join(tmp, 'gopath'),
      GOSUMDB: `${db.vkey} ${server.url}`,
      GOPROXY: 'off',
      PATH: process.env['PATH'] ?? '',
    };
    const args = ['--state', join(tmp, 'state'), '--json', '--watch', 'example.com/m7*7'];
    const runs: Child[] = [];
    // Five runs killed in the middle of the sync, then one to the end.
    for (let i = 0; i < 6; i++) {
      // (Within 100 ms of the first findings: the whole sync takes well under a second of CPU now.)
      const r = await runMonitor(args, env, i < 5 ? 2 + Math.floor(Math.random() * 100) : undefined);
      runs.push(r);
      if (!r.killed) break;
    }
    const last = runs.at(-1)!;
    assert.equal(last.killed, false);
    assert.ok(last.code === 0 || last.code === 1, last.stderr);
    assert.match(last.stderr, new RegExp(`${total} of ${total} records verified`));
    assert.ok(runs.filter((r) => r.killed).length >= 3, `runs: ${runs.map((r) => `${r.killed}/${r.stdout.length}`).join(' ')}`);
    assert.match(last.stderr, /resumed at record [1-9]|nothing new/);
    const got = runs
      // A kill can cut a write short: an unfinished last line was not delivered.
      .flatMap((r) => r.stdout.split('\n').slice(0, -1))
      .map((l) => JSON.parse(l) as { kind: string; id: number; firstId?: number; line?: string })
      .map((f) => (f.kind === 'duplicate' ? `duplicate ${f.id} ${f.firstId} ${f.line}` : `${f.kind} ${f.id}`));
    assert.deepEqual([...got].sort(), [...want].sort(), 'every finding exactly once');
  } finally {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('monitor --state without better-sqlite3 installed says how to install it (exit 2)', { timeout: 120_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gosumdb-nodriver-'));
  try {
    // A resolve hook that finds no better-sqlite3 (as for a user who only audits).
    writeFileSync(
      join(tmp, 'hooks.mjs'),
      `export async function resolve(specifier, context, next) {
  if (specifier === 'better-sqlite3') {
    throw Object.assign(new Error("Cannot find package 'better-sqlite3'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}\n`,
    );
    writeFileSync(
      join(tmp, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(tmp, 'hooks.mjs')).href)});\n`,
    );
    const env = {
      HOME: tmp,
      GOPATH: join(tmp, 'gopath'),
      GOSUMDB: `${generateKey('sumdb.test').vkey} http://127.0.0.1:9`,
      GOPROXY: 'off',
      PATH: process.env['PATH'] ?? '',
    };
    const r = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, ['--import', join(tmp, 'register.mjs'), cliMain(), 'monitor', '--state', join(tmp, 'state')], {
        env,
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stderr }));
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /needs better-sqlite3, an optional peer dependency of gosumdb: npm install better-sqlite3@12/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
