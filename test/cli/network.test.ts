// #11 §3-4 end to end: nothing checked is not "all verified", and a network that fails makes the
// audit fail fast and once, within the run's deadline. Real gosumdb processes against servers on
// 127.0.0.1 started here: a closed port (connection refused), a server that drips one byte at a
// time, one that always asks to retry after 29 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedModuleWorld, cli, gosumdb, world, type Run, type World } from './world.js';
import { writeFile } from '../helpers/files.js';
import { closedPort, dripServer, serve, type TestServer } from '../helpers/http.js';
import { cacheModule } from '../helpers/modules.js';

const fixtures = join(import.meta.dirname, '../fixtures/gosum');
const prometheus = readFileSync(join(fixtures, 'prometheus.go.sum'), 'utf8');
const first40 = prometheus.trimEnd().split('\n').slice(0, 40).join('\n') + '\n';

// How long a real process takes to start and exit on this (possibly busy) machine, so that the
// time limits below measure the run, not the load: `gosumdb --version` loads the same CLI.
let started: Promise<number> | undefined;
function startup(): Promise<number> {
  started ??= gosumdb(['--version'], {}, import.meta.dirname).then((r) => r.ms);
  return started;
}

/** at is the world's environment with its database's key served at url. */
const at = (w: World, url: string) => ({ ...w.env, GOSUMDB: `${w.db.vkey} ${url}` });

/**
 * auditWithDeadline runs the real process's audit of the first 40 lines with --timeout 2s against
 * the database at s, and says how long after s's first request it ended.
 */
async function auditWithDeadline(s: TestServer): Promise<{ r: Run; afterFirst: number }> {
  const w = await world();
  try {
    writeFile(join(w.tmp, 'go.sum'), first40);
    const r = await gosumdb(['audit', '--timeout', '2s'], at(w, s.url), w.tmp);
    const afterFirst = Date.now() - s.firstAt();
    assert.equal(r.code, 1, r.stderr);
    assert.ok(s.requests() >= 1);
    assert.ok(afterFirst < 15_000, `ended ${afterFirst} ms after its first request`);
    return { r, afterFirst };
  } finally {
    await w.close();
  }
}

test('a database that refuses connections: the process ends in seconds, says it once, counts every line not verified', async () => {
  const w = await world();
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const url = await closedPort();
    const env = at(w, url);
    const base = await startup();
    const r = await gosumdb(['audit'], env, w.tmp);
    assert.equal(r.code, 1, r.stderr);
    // It took 38 s before; now the retries take under 2 s. The process's time is loose (start-up on
    // a busy machine varies), the same run in-process is timed closely below.
    assert.ok(r.ms - base < 15_000, `took ${r.ms} ms, starting takes ${base} ms`);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.length <= 15, `${lines.length} lines:\n${r.stdout}`);
    assert.equal(r.stdout.match(/ECONNREFUSED/g)?.length, 1, r.stdout);
    assert.ok(
      r.stdout.includes(`go.sum:1-424 (424 lines): error: not verified: ${url} could not be reached (connect ECONNREFUSED`),
      r.stdout,
    );
    assert.match(r.stdout, /^ {4}remedy: check that http:\/\/127\.0\.0\.1:[0-9]+ is the right address/m);
    assert.match(r.stdout, /^424 go\.sum lines in go\.sum: 424 error$/m);
    assert.match(r.stdout, /^nothing was verified: /m);
    assert.doesNotMatch(r.stdout, /GOSUMDB=off/);
    const before = Date.now();
    const doc = JSON.parse((await cli(['audit', '--json'], env, w.tmp)).stdout);
    assert.ok(Date.now() - before < 8_000, `in-process: ${Date.now() - before} ms`);
    assert.equal(doc.exitCode, 1);
    assert.equal(doc.summary.error, 424);
    assert.ok(doc.entries.every((e: { errorCode?: string }) => e.errorCode === 'ERR_UNREACHABLE'));
  } finally {
    await w.close();
  }
});

test('a server that drips one byte every 300 ms: --timeout 2s ends the process on time, reports what was not verified', async () => {
  const s = await dripServer(300);
  try {
    // From its first request to its exit (the start-up of a process on a busy machine left out):
    // a 30 s timeout per attempt, retried, before (486 s for a byte every 2 s).
    const { r } = await auditWithDeadline(s);
    assert.ok(r.stdout.includes("go.sum:1-40 (40 lines): error: not verified: the run's deadline of 2s (--timeout) passed"), r.stdout);
    assert.match(r.stdout, /^40 go\.sum lines in go\.sum: 40 error$/m);
    assert.ok(r.stdout.trimEnd().split('\n').length <= 15, r.stdout);
  } finally {
    await s.close();
  }
});

test('a server that always answers 503 with Retry-After: 29: --timeout 2s ends the real process on time', async () => {
  const s = await serve((_req, res) => {
    res.writeHead(503, { 'retry-after': '29' });
    res.end();
  });
  try {
    // Three waits of 29 s before (88 s).
    const { r } = await auditWithDeadline(s);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.includes("(40 lines): error: not verified: the run's deadline of 2s (--timeout) passed"), r.stdout);
  } finally {
    await s.close();
  }
});

test('--timeout takes durations (90, 2m, 1m30s, 60000ms); anything else is a usage error', async () => {
  const w = await world({ gosum: first40 });
  try {
    writeFile(join(w.tmp, 'go.sum'), first40);
    for (const ok of ['90', '2m', '1m30s', '60000ms']) assert.equal((await cli(['audit', '--timeout', ok], w.env, w.tmp)).code, 0, ok);
    for (const bad of ['0', 'soon', '-1s', '2d', '25h', '']) {
      const r = await cli(['audit', `--timeout=${bad}`], w.env, w.tmp);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--timeout must be a duration/);
    }
  } finally {
    await w.close();
  }
});

test('--offline with an empty cache says the cache is empty, once, not "check your network"', async () => {
  const w = await world();
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit', '--offline'], w.env, w.tmp);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes("go.sum:1-424 (424 lines): error: not verified: offline, and the go command's checksum database cache is empty"),
      r.stdout,
    );
    assert.doesNotMatch(r.stdout, /network/);
    assert.ok(r.stdout.trimEnd().split('\n').length <= 15, r.stdout);
    assert.equal(w.db.stats().requests, 0);
  } finally {
    await w.close();
  }
});

test('GONOSUMDB=* skips every line: nothing was verified, exit 1, with a line saying why', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit'], { ...w.env, GONOSUMDB: '*' }, w.tmp);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^424 go\.sum lines in go\.sum: 424 skipped$/m);
    assert.match(r.stdout, /^nothing was verified: every line was skipped \(GONOSUMDB\/GOPRIVATE pattern "\*"\)$/m);
    assert.equal(JSON.parse((await cli(['audit', '--json'], { ...w.env, GONOSUMDB: '*' }, w.tmp)).stdout).exitCode, 1);
    // One verified line is enough for the skipped ones to be fine.
    const some = await cli(['audit'], { ...w.env, GONOSUMDB: 'cloud.google.com' }, w.tmp);
    assert.equal(some.code, 0, some.stdout);
    assert.doesNotMatch(some.stdout, /nothing was verified/);
  } finally {
    await w.close();
  }
});

test('--zip and --modcache directories that do not exist (or are files) are input errors, exit 2', async () => {
  const w = await world({ gosum: first40 });
  try {
    writeFile(join(w.tmp, 'go.sum'), first40);
    writeFile(join(w.tmp, 'a-file'), 'not a directory\n');
    const cases: [string[], RegExp][] = [
      [['--zip', join(w.tmp, 'nonexistent')], /--zip: .*nonexistent: no such directory/],
      [['--zip', join(w.tmp, 'a-file')], /--zip: .*a-file is not a directory/],
      [[`--modcache=${join(w.tmp, 'nonexistent')}`], /--modcache: .*nonexistent: no such directory/],
      [['--modcache'], /--modcache \(GOMODCACHE\): .*no such directory/],
    ];
    for (const [flags, message] of cases) {
      const r = await cli(['audit', ...flags], { ...w.env, GOMODCACHE: join(w.tmp, 'no-modcache') }, w.tmp);
      assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stdout}`);
      assert.match(r.stderr, message);
    }
    assert.equal(w.db.stats().requests, 0);
  } finally {
    await w.close();
  }
});

test('lines with no local copy are counted in the summary, text and JSON', async () => {
  const w = await world({ gosum: first40 });
  try {
    writeFile(join(w.tmp, 'go.sum'), first40);
    mkdirSync(join(w.tmp, 'zips'));
    const r = await cli(['audit', '--zip', 'zips'], w.env, w.tmp);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^40 go\.sum lines in go\.sum: 40 ok; 40 had no local copy to compare$/m);
    const doc = JSON.parse((await cli(['audit', '--json', '--zip', 'zips'], w.env, w.tmp)).stdout);
    assert.equal(doc.summary.noLocalCopy, 40);
    const plain = JSON.parse((await cli(['audit', '--json'], w.env, w.tmp)).stdout);
    assert.equal(plain.summary.noLocalCopy, undefined);
  } finally {
    await w.close();
  }
});

test('verify-modcache: a directory that does not exist is an input error (exit 2); an empty cache verifies nothing (exit 1)', async () => {
  const w = await world();
  try {
    const missing = await cli(['verify-modcache', 'nonexistent'], w.env, w.tmp);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /module cache: .*nonexistent: no such directory/);
    const wrongEnv = await cli(['verify-modcache'], { ...w.env, GOMODCACHE: join(w.tmp, 'nowhere') }, w.tmp);
    assert.equal(wrongEnv.code, 2);
    assert.match(wrongEnv.stderr, /module cache \(GOMODCACHE\): .*nowhere: no such directory/);
    writeFile(join(w.tmp, 'a-file'), 'x\n');
    assert.equal((await cli(['verify-modcache', 'a-file'], w.env, w.tmp)).code, 2);
    mkdirSync(join(w.tmp, 'empty'));
    const empty = await cli(['verify-modcache', 'empty'], w.env, w.tmp);
    assert.equal(empty.code, 1);
    assert.match(empty.stdout, /^nothing was verified: no module version in .*empty\/cache\/download$/m);
    assert.doesNotMatch(empty.stdout, /all verified/);
    assert.equal(JSON.parse((await cli(['verify-modcache', '--json', 'empty'], w.env, w.tmp)).stdout).exitCode, 1);
  } finally {
    await w.close();
  }
});

test('verify-modcache --check-db skips GONOSUMDB/GOPRIVATE modules as the go command does', async () => {
  const { w } = await cachedModuleWorld();
  try {
    for (const env of [{ GONOSUMDB: 'example.com' }, { GOPRIVATE: 'example.com/*' }]) {
      const r = await cli(['verify-modcache', 'modcache', '--check-db'], { ...w.env, ...env }, w.tmp);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /: all verified \(1 not asked of the database: GONOSUMDB\/GOPRIVATE\)$/m);
      const json = JSON.parse((await cli(['verify-modcache', '--json', 'modcache', '--check-db'], { ...w.env, ...env }, w.tmp)).stdout);
      assert.equal(json.modules[0].databaseSkipped, true);
      assert.equal(json.modules[0].database, undefined);
    }
    assert.equal(w.db.stats().requests, 0);
    const asked = await cli(['verify-modcache', 'modcache', '--check-db'], w.env, w.tmp);
    assert.equal(asked.code, 0, asked.stdout);
    assert.doesNotMatch(asked.stdout, /not asked/);
  } finally {
    await w.close();
  }
});

test('verify-modcache --check-db: a database that cannot be reached is labelled error, even next to a modified directory', async () => {
  const { w, dir } = await cachedModuleWorld();
  try {
    writeFile(join(dir, 'm.go'), 'package evil\n');
    const url = await closedPort();
    const r = await cli(['verify-modcache', 'modcache', '--check-db'], at(w, url), w.tmp);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^modified {2}example\.com\/m v1\.0\.0: dir has been modified \(/m);
    assert.ok(
      r.stdout.includes(`error  example.com/m v1.0.0: checksum database: ${url} could not be reached (connect ECONNREFUSED`),
      r.stdout,
    );
    assert.equal(r.stdout.match(/ECONNREFUSED/g)?.length, 1, r.stdout);
    assert.doesNotMatch(r.stdout, /^modified .*ECONNREFUSED/m);
  } finally {
    await w.close();
  }
});

test('a GOPROXY that refuses connections is named once as the server that could not be reached', async () => {
  const w = await world();
  try {
    writeFile(join(w.tmp, 'go.sum'), first40);
    const proxy = await closedPort();
    // No database URL: it is reached through the proxy list, which has no "direct" to fall back to.
    const r = await cli(['audit'], { ...w.env, GOSUMDB: w.db.vkey, GOPROXY: proxy }, w.tmp);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes(`go.sum:1-40 (40 lines): error: not verified: ${proxy} could not be reached (connect ECONNREFUSED`),
      r.stdout,
    );
    assert.equal(r.stdout.match(/ECONNREFUSED/g)?.length, 1, r.stdout);
  } finally {
    await w.close();
  }
});

test('verify-modcache --check-db against a database that cannot be reached says it once for every version', async () => {
  const { w, cache } = await cachedModuleWorld();
  try {
    // Two more cached versions of the same module, intact.
    for (const version of ['v1.0.1', 'v1.0.2']) {
      cacheModule(cache, 'example.com/m', version, { 'go.mod': 'module example.com/m\n' });
    }
    const url = await closedPort();
    const r = await cli(['verify-modcache', 'modcache', '--check-db'], at(w, url), w.tmp);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes(
        `error  3 module versions (example.com/m v1.0.0, example.com/m v1.0.1, example.com/m v1.0.2): checksum ` +
          `database: ${url} could not be reached (connect ECONNREFUSED`,
      ),
      r.stdout,
    );
    assert.equal(r.stdout.trimEnd().split('\n').length, 2, r.stdout);
    const json = JSON.parse((await cli(['verify-modcache', '--json', 'modcache', '--check-db'], at(w, url), w.tmp)).stdout);
    assert.deepEqual(
      json.modules.map((m: { status: string }) => m.status),
      ['error', 'error', 'error'],
    );
  } finally {
    await w.close();
  }
});

test('mirrors --timeout: an endpoint that drips is one that could not be read, on time', async () => {
  const s = await dripServer(200);
  const w = await world();
  try {
    const before = Date.now();
    const r = await cli(['mirrors', '--timeout', '1s', s.url], at(w, s.url), w.tmp);
    assert.ok(Date.now() - before < 8_000, `${Date.now() - before} ms`);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /the run's deadline of 1s \(--timeout\) passed/);
  } finally {
    await s.close();
    await w.close();
  }
});
