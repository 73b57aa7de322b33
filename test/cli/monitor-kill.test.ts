// gosumdb monitor in its own process: killed with SIGKILL at random moments and started again,
// its state in SQLite must lose nothing and report nothing twice (on stdout, but for the batch
// written in the moment before it is marked reported; with --output, not even that); without better-sqlite3
// installed, --state must say how to install it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// runMonitor runs the CLI; with `kill`, it is killed (SIGKILL) `ms` milliseconds after it has
// printed `lines` lines of findings, i.e. in the middle of the sync, after it has made progress
// (a run killed before its second batch could not tell a mark that works from none).
function runMonitor(
  args: string[],
  env: Record<string, string>,
  kill: { lines: number; ms: number; file?: string } | undefined,
): Promise<Child> {
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
    const printed = () => (kill?.file === undefined ? stdout : existsSync(kill.file) ? readFileSync(kill.file, 'utf8') : '');
    const check = () => {
      if (kill !== undefined && timer === undefined && printed().split('\n').length > kill.lines) {
        timer = setTimeout(() => (killed = child.kill('SIGKILL')), kill.ms);
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    // Findings written to a file are watched every 2 ms (at most while the child runs).
    const poll = kill?.file === undefined ? undefined : setInterval(check, 2);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      done({ stdout, stderr, code, killed });
    });
  });
}

type Finding = { kind: string; id: number; firstId?: number; line?: string };
const findingText = (f: Finding) => (f.kind === 'duplicate' ? `duplicate ${f.id} ${f.firstId} ${f.line}` : `${f.kind} ${f.id}`);

// killedRuns syncs a log of duplicates spread far apart and watched records with runs killed
// in the middle (five at most), then one to the end; with `output`, findings go to that file.
async function killedRuns(output: boolean): Promise<{ runs: Child[]; want: string[]; total: number; file: string | undefined }> {
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
    const file = output ? join(tmp, 'findings.jsonl') : undefined;
    // With a worker thread reading the tiles (the bundle's tileWorker.js), whatever the CPU count.
    const args = [
      '--state',
      join(tmp, 'state'),
      '--json',
      '--watch',
      'example.com/m7*7',
      '--workers',
      '1',
      ...(file ? ['--output', file] : []),
    ];
    const runs: Child[] = [];
    // Five runs killed in the middle of the sync, then one to the end.
    for (let i = 0; i < 6; i++) {
      // 20 to 60 lines in (of about 1150), then at once or within 10 ms: the whole sync takes
      // well under a second of CPU, and a kill at once lands near a write and its mark.
      // Findings in a file are seen within 2 ms of their write, while the run syncs the file and
      // marks them: a kill at once lands in that window most of the time.
      const ms = file ? 0 : Math.floor(Math.random() * 10);
      const kill = { lines: 20 + Math.floor(Math.random() * 40), ms, ...(file ? { file } : {}) };
      const r = await runMonitor(args, env, i < 5 ? kill : undefined);
      runs.push(r);
      if (!r.killed) break;
    }
    const last = runs.at(-1)!;
    assert.equal(last.killed, false);
    assert.ok(last.code === 0 || last.code === 1, last.stderr);
    assert.match(last.stderr, new RegExp(`${total} of ${total} records verified`));
    assert.ok(runs.filter((r) => r.killed).length >= 3, `runs: ${runs.map((r) => `${r.killed}/${r.stdout.length}`).join(' ')}`);
    assert.match(last.stderr, /resumed at record [1-9]|nothing new/);
    return { runs, want, total, file: file && readFileSync(file, 'utf8') };
  } finally {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('monitor killed with SIGKILL mid-sync and restarted loses nothing and repeats at most the batch it was writing', {
  timeout: 300_000,
}, async () => {
  const { runs, want } = await killedRuns(false);
  // A kill can cut a write short: an unfinished last line was not delivered.
  const outs = runs.map((r) =>
    r.stdout
      .split('\n')
      .slice(0, -1)
      .map((l) => findingText(JSON.parse(l) as Finding)),
  );
  // The one thing a kill may show twice (docs/monitor.md): the batch a killed run had written
  // but not yet marked reported, i.e. its last lines, which the next run shows first. Anything
  // else seen twice, or a line never seen, fails.
  const once: string[] = [...outs[0]!];
  for (let i = 1; i < outs.length; i++) {
    const before = outs[i - 1]!;
    const seen = new Set(before);
    const again = outs[i]!.filter((l) => seen.has(l));
    assert.deepEqual(again, outs[i]!.slice(0, again.length), `run ${i + 1} shows again only what it shows first`);
    assert.deepEqual(again, before.slice(before.length - again.length), `run ${i + 1} shows again only run ${i}'s last lines`);
    // ... all of them from one batch (16 data tiles of 256 records).
    const ids = again.map((l) => Number(l.split(' ')[1]));
    assert.ok(ids.length === 0 || Math.max(...ids) - Math.min(...ids) < 16 * 256, `run ${i + 1} shows again ${again.join(', ')}`);
    once.push(...outs[i]!.slice(again.length));
  }
  assert.deepEqual([...once].sort(), [...want].sort(), "every finding, once but for a killed run's last lines");
});

test('monitor --output killed with SIGKILL mid-sync and restarted: the file holds every finding exactly once, in log order', {
  timeout: 300_000,
}, async () => {
  const { runs, want, file } = await killedRuns(true);
  assert.ok(runs.every((r) => r.stdout === ''));
  const lines = file!.split('\n');
  assert.equal(lines.pop(), '', 'the file ends with a whole line');
  const got = lines.map((l) => JSON.parse(l) as Finding);
  assert.deepEqual(got.map(findingText).sort(), [...want].sort(), 'every finding exactly once');
  assert.deepEqual(
    got.map((f) => f.id),
    got.map((f) => f.id).sort((a, b) => a - b),
    'in record order',
  );
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
