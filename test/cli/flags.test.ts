// Every command parses its flags through the one wrapper: our one-line messages and the "Run
// --help" hint, exit 2; an unexpected internal error (a bug) is exit 70 with its own message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { errorExitCode, formatFailure } from '../../src/cli/errors.js';
import { GosumdbError } from '../../src/internal/errors.js';
import { cli } from './world.js';

const env = { HOME: '/nonexistent', GOPATH: '/nonexistent/go', GOFLAGS: '', GOPROXY: 'off', GOSUMDB: 'off' };

async function commandNames(): Promise<string[]> {
  const help = (await cli(['--help'], env, '/')).stdout;
  const list = help.slice(help.indexOf('Commands:\n') + 'Commands:\n'.length).split('\n\n')[0]!;
  return list.split('\n').map((l) => l.trim().split(' ')[0]!);
}

test('no command: the usage on stderr and exit 2; asked for with --help: on stdout, exit 0', async () => {
  const none = await cli([], env, '/');
  assert.deepEqual([none.code, none.stdout], [2, '']);
  assert.match(none.stderr, /^Usage: gosumdb /m);
  const help = await cli(['--help'], env, '/');
  assert.deepEqual([help.code, help.stderr, help.stdout], [0, '', none.stderr]);
});

test('every command: an unknown flag is a one-line usage error with the help hint, exit 2', async () => {
  const names = await commandNames();
  assert.ok(
    names.includes('audit') && names.includes('hash') && names.includes('vectors') && names.includes('verify-note'),
    names.join(' '),
  );
  for (const name of names) {
    for (const flag of ['--no-such-flag', '-Z']) {
      const r = await cli([name, flag], env, '/');
      assert.equal(r.code, 2, `${name} ${flag}: ${r.stderr}`);
      assert.equal(r.stderr, `gosumdb ${name}: unknown flag ${flag}\nRun 'gosumdb ${name} --help' for usage.\n`);
    }
  }
});

test('a missing value, a value for a switch, and a value that looks like a flag get our own words', async () => {
  const cases: [string[], string][] = [
    [['hash', 'x', '--prefix'], 'gosumdb hash: flag --prefix needs a value'],
    [['hash', '--prefix', '-x', 'f'], 'gosumdb hash: flag --prefix needs a value (write --prefix=-x for one that starts with "-")'],
    [['vectors', '--verbose=yes'], 'gosumdb vectors: flag --verbose takes no value'],
    [['verify-note', '--key'], 'gosumdb verify-note: flag --key needs a value'],
    [['audit', '--json=1'], 'gosumdb audit: flag --json takes no value'],
    [['audit', '--concurrency', 'many'], 'gosumdb audit: --concurrency must be a positive integer, got "many"'],
  ];
  for (const [args, line] of cases) {
    const r = await cli(args, env, '/');
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, `${line}\nRun 'gosumdb ${args[0]} --help' for usage.\n`);
  }
});

test('short and inline forms still parse: -v, --prefix=value', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-flags-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n');
    // Go's dirhash.HashDir over {example.com/m@v1.0.0/go.mod: "module example.com/m\n"}.
    const r = await cli(['hash', '--prefix=example.com/m@v1.0.0', dir], env, '/');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'h1:yJwNngL0tCKlmRg8yireic46hRGohEbhwD/WSE0Ax3I=\n');
    const v = await cli(['vectors', '-v', join(dir, 'none')], env, '/');
    assert.equal(v.code, 2, v.stderr);
    assert.match(v.stderr, /^gosumdb vectors: cannot read /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an internal error (a bug) exits 70 with its own message, not a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-flags-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module m\n');
    let stderr = '';
    // A stdout that fails with a TypeError stands in for a bug inside a command.
    const code = await runCli(['hash', join(dir, 'go.mod')], {
      stdout: () => {
        throw new TypeError('boom');
      },
      stderr: (s) => (stderr += s),
      env,
      cwd: dir,
      isTTY: false,
    });
    assert.equal(code, 70);
    assert.match(
      stderr,
      /^gosumdb hash: internal error, a bug in gosumdb \S+ \(please report it with this output\): TypeError: boom\n\s+at /,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(errorExitCode(new RangeError('x')), 70);
  assert.equal(errorExitCode('thrown string'), 70);
  assert.equal(errorExitCode(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', syscall: 'open' })), 2);
  assert.equal(errorExitCode(new GosumdbError('ERR_FILE_READ', 'read x')), 2);
  assert.equal(errorExitCode(new GosumdbError('ERR_NETWORK', 'down')), 1);
  assert.equal(formatFailure('lookup', new GosumdbError('ERR_NETWORK', 'down')), 'gosumdb lookup: down\n');
});
