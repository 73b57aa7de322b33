// `gosumdb demo` end to end, as a newcomer runs it: a child process from the sources, whose every
// outgoing connection and DNS lookup is logged by a preload (netlog.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const netlog = join(root, 'test/demo/netlog.mjs');
const tty = join(root, 'test/demo/tty.mjs');

type Run = { code: number | null; stdout: string; stderr: string; connections: string[] };

function run(script: string, env: Record<string, string>, preloads: string[], args: string[] = []): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-demo-test-'));
  const log = join(dir, 'netlog');
  writeFileSync(log, '');
  const base = { PATH: process.env['PATH'] ?? '', HOME: dir, TMPDIR: tmpdir(), GOSUMDB_NETLOG: log };
  const imports = preloads.flatMap((p) => ['--import', p]);
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [...imports, script, ...args],
      // A bound against a hang, not a speed target: the demo signs a 100 000-record tree, and the
      // slow suites share the cores.
      { cwd: root, env: { ...base, ...env }, timeout: 300_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const connections = readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l !== '');
        rmSync(dir, { recursive: true, force: true });
        if (err && typeof err.code !== 'number') return fail(err);
        done({ code: err ? (err.code as number) : 0, stdout, stderr, connections });
      },
    );
  });
}

// Connections to anything but 127.0.0.1 (DNS lookups of names included).
function foreign(connections: readonly string[]): string[] {
  return connections.filter((l) => {
    const [kind, target = ''] = l.split(' ');
    if (kind === 'dns') return target !== '127.0.0.1';
    if (kind === 'tcp' || kind === 'tls' || kind === 'remote') return !/^127\.0\.0\.1:[0-9]+$/.test(target);
    return true;
  });
}

const ansi = /\u001b\[/;

// build bundles the command as `npm run build` does (scripts/build-cli.mjs), into a temporary
// package laid out like the published one (dist/cli/bundle/, examples/, package.json,
// node_modules), and returns the `bin` it ships. The library's tsc build is not the command's: `npm
// test` typechecks it and `npm start` (CI) makes it.
function build(): Promise<{ main: string; cleanup: () => void }> {
  const pkg = mkdtempSync(join(tmpdir(), 'gosumdb-demo-build-'));
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(root, 'examples'), join(pkg, 'examples'));
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  const bin = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: { gosumdb: string } }).bin.gosumdb;
  return new Promise((done, fail) => {
    execFile(process.execPath, [join(root, 'scripts/build-cli.mjs'), join(pkg, dirname(bin))], { cwd: root }, (err, stdout, stderr) => {
      if (err) return fail(new Error(`build failed: ${stdout}${stderr}`));
      done({ main: join(pkg, bin), cleanup: () => rmSync(pkg, { recursive: true, force: true }) });
    });
  });
}

test('the socket log catches connections to other addresses and name lookups', async () => {
  const script = join(tmpdir(), `gosumdb-netlog-probe-${process.pid}.mjs`);
  writeFileSync(
    script,
    `import net from 'node:net'; import dns from 'node:dns';
     await new Promise((r) => net.connect(9, '127.0.0.2').on('error', r).on('connect', r));
     await dns.promises.lookup('localhost').catch(() => {});`,
  );
  try {
    const r = await run(script, {}, [netlog]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(foreign(r.connections), ['tcp 127.0.0.2:9', 'dns localhost']);
  } finally {
    rmSync(script, { force: true });
  }
});

test('gosumdb demo, from sources and build: the sample verifies, the stories give their verdicts, only 127.0.0.1 is used', async () => {
  const built = build();
  const plain = await run('src/cli/main.ts', { NO_COLOR: '1' }, ['tsx', netlog, tty], ['demo']);
  const { main, cleanup } = await built;
  let colored: Run;
  try {
    colored = await run(main, {}, [netlog, tty], ['demo']);
  } finally {
    cleanup();
  }
  for (const r of [plain, colored]) {
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(
      r.connections.some((l) => l.startsWith('remote 127.0.0.1:')),
      'the log saw the audit connect',
    );
    assert.deepEqual(foreign(r.connections), []);
  }
  // NO_COLOR is honoured on a terminal; without it the same terminal gets colours.
  assert.doesNotMatch(plain.stdout, ansi);
  assert.match(colored.stdout, ansi);

  const out = plain.stdout;
  // The sample (examples/sample/SOURCES.md: 424 lines, 258 module versions) in a 100 000-record tree.
  assert.match(out, /^ {2}100 000 records \(hash tiles of height 8 on 3 levels\), built and signed in [0-9.]+ s:$/m);
  assert.match(out, /^ {2}424 go\.sum lines in go\.sum: 424 ok$/m);
  assert.match(out, /^ {2}proved against sum\.demo\.test tree #100000 /m);
  assert.match(out, /\(258 lookups and [0-9]+ tile fetches over HTTP\)/);
  assert.match(out, /^as expected: exit 0, every line verified$/m);
  // Story 1: golang.org/x/crypto's zip hash (examples/sample/go.sum:326) with one character changed.
  const mismatch =
    /^ {2}mismatch +golang\.org\/x\/crypto@v0\.0\.0-20190308221718-c2843e01d9a2 +zip +/.source +
    /database has h1:VklqNMn3ovrHsnt90PveolxSbWFaJdECFbxSq0Mqo2M=$/.source;
  assert.match(out, new RegExp(mismatch, 'm'));
  assert.match(out, /^ {2}424 go\.sum lines in go\.sum: 423 ok, 1 mismatch$/m);
  assert.match(out, /^as expected: exit 1, mismatch$/m);
  // Story 2: a module nobody published.
  assert.match(out, /^ {2}not-found +example\.com\/acme\/billing-internal@v1\.4\.0 +zip /m);
  assert.match(out, /^as expected: exit 1, not-found$/m);
  // Story 3: Go's security report with both signed trees (honest 100000, forked 100001) and the proof.
  const report =
    /^ {2}SECURITY ERROR\n {2}go\.sum database server misbehavior detected!\n\n/.source +
    / {2}old database:\n {2}\tgo\.sum database tree\n {2}\t100000\n/.source;
  assert.match(out, new RegExp(report, 'm'));
  assert.match(out, /^ {2}new database:\n {2}\tgo\.sum database tree\n {2}\t100001\n/m);
  assert.match(out, /^ {2}proof of misbehavior:\n( {2}\t[A-Za-z0-9+/]{43}=\n)+/m);
  assert.match(out, /^as expected: exit 3, SECURITY ERROR with the evidence$/m);
  assert.doesNotMatch(out, /NOT as expected/);
  assert.match(out, /\nThe audit and the three stories behaved as expected\. Audit your own project:\n\n {2}npx gosumdb audit go\.sum\n$/);
});
