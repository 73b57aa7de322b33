// auditGoSum against the project's own checksum database server (src/server), filled with the
// records of a real go.sum (prometheus, 424 lines), so every expected hash comes from the fixture,
// not from the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client, memoryOps, resolveSumDB } from '../../src/client/index.js';
import { newTestDatabase, serverRemote, type TestDatabase } from '../../src/server/index.js';
import { httpOps, startServer } from '../../src/node/index.js';
import { generateKey } from '../../src/note/index.js';
import { auditGoSum, EMPTY_GOMOD_HASH, parseGoSum, type AuditClient } from '../../src/gosum/index.js';
import { auditExitCode } from '../../src/cli/report.js';
import { GosumdbError } from '../../src/internal/errors.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/gosum');
const promText = readFileSync(join(fixtures, 'prometheus.go.sum'), 'utf8');
const promMod = readFileSync(join(fixtures, 'prometheus.go.mod'), 'utf8');
const key = generateKey('audit.test');

// The database record of a module version holds its go.sum lines: the zip line, then the go.mod line.
function recordsOf(text: string): { path: string; version: string; text: string }[] {
  const byVersion = new Map<string, string[]>();
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const [path, v] = line.split(' ') as [string, string];
    const k = `${path} ${v.replace(/\/go\.mod$/, '')}`;
    byVersion.set(k, [...(byVersion.get(k) ?? []), line]);
  }
  return [...byVersion].map(([k, lines]) => {
    const [path, version] = k.split(' ') as [string, string];
    lines.sort((a, b) => Number(a.includes('/go.mod ')) - Number(b.includes('/go.mod ')));
    return { path, version, text: lines.join('\n') + '\n' };
  });
}

function database(mode?: 'fork' | 'bad-record'): TestDatabase {
  return newTestDatabase({ key, records: recordsOf(promText), synthetic: 40, ...(mode ? { mode } : {}) });
}

function clientOf(db: TestDatabase, noSumDB = ''): Client {
  return new Client(memoryOps({ key: db.vkey, remote: serverRemote(db.handle) }), { noSumDB });
}

test('a real go.sum whose every line is in the database audits clean, against the latest tree', async () => {
  const db = database();
  const sum = parseGoSum(promText, { filename: 'prometheus.go.sum' });
  let progress = 0;
  const report = await auditGoSum(sum, {
    client: clientOf(db),
    concurrency: 8,
    onProgress: (done, total) => (progress = done === total ? done : progress),
  });
  assert.equal(report.entries.length, 424);
  assert.deepEqual(report.summary, { total: 424, ok: 424, mismatch: 0, 'not-found': 0, skipped: 0, 'local-mismatch': 0, error: 0 });
  assert.equal(progress, 424);
  // 258 module versions from the fixture plus 40 synthetic ones.
  assert.equal(report.tree?.tree.n, 258 + 40);
  assert.equal(new TextDecoder().decode(report.tree!.note), new TextDecoder().decode((await db.handle('/latest')).body));
  assert.ok(report.entries.every((e) => e.remedy === '' && e.file === 'prometheus.go.sum'));
  // Each module version and kind is looked up once: 258 records at most, never once per line twice.
  assert.ok(db.stats().lookup <= 258, `lookups: ${db.stats().lookup}`);
});

test('every status: mismatch shows both hashes, not-found, skipped with its pattern, local-mismatch, unknown algorithm', async () => {
  const db = database();
  const lines = promText.split('\n');
  const original = lines[0]!; // cloud.google.com/go v0.26.0 h1:...
  const [p0, v0, h0] = original.split(' ') as [string, string, string];
  const forged = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
  const goModLine = lines.find((l) => l.includes('/go.mod ') && l.startsWith('github.com/prometheus/'))!;
  const [p2, v2m, h2] = goModLine.split(' ') as [string, string, string];
  const v2 = v2m.replace('/go.mod', '');
  const text = [
    `${p0} ${v0} ${forged}`,
    'example.com/never-published v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'example.com/private-fork v0.0.0-20191109021931-daa7c04131f5 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'corp.example.com/private v1.2.3/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    goModLine,
    `${p2} ${v2}/go.mod h2:somethingnew`,
  ].join('\n');
  const sum = parseGoSum(text, { filename: 'go.sum' });
  const local = async (path: string, version: string, kind: string) =>
    path === p2 && version === v2 && kind === 'go.mod' ? forged : undefined;
  const report = await auditGoSum(sum, {
    client: clientOf(db, '*.corp.example.com,corp.example.com'),
    noSumDB: '*.corp.example.com,corp.example.com',
    localHash: local,
  });
  const [mismatch, notFound, notFoundPseudo, skipped, localMismatch, unknown] = report.entries;
  assert.equal(notFoundPseudo!.status, 'not-found');
  assert.match(notFoundPseudo!.diagnosis, /pseudo-version for commit daa7c04131f5 of 2019-11-09/);
  assert.equal(mismatch!.status, 'mismatch');
  assert.equal(mismatch!.hash, forged);
  assert.equal(mismatch!.dbHash, h0);
  assert.ok(mismatch!.diagnosis.includes(forged) && mismatch!.diagnosis.includes(h0));
  assert.equal(notFound!.status, 'not-found');
  assert.equal(skipped!.status, 'skipped');
  assert.equal(skipped!.skipReason, 'gonosumdb');
  assert.equal(skipped!.pattern, 'corp.example.com');
  assert.equal(localMismatch!.status, 'local-mismatch');
  assert.equal(localMismatch!.localHash, forged);
  assert.equal(localMismatch!.hash, h2);
  assert.equal(unknown!.status, 'skipped');
  assert.equal(unknown!.skipReason, 'unknown-algorithm');
  // `local` has a copy of the go.mod line only; the mismatch line (answered by the database) has none.
  assert.deepEqual(report.summary, {
    total: 6,
    noLocalCopy: 1,
    ok: 0,
    mismatch: 1,
    'not-found': 2,
    skipped: 2,
    'local-mismatch': 1,
    error: 0,
  });
  for (const e of report.entries) {
    assert.notEqual(e.diagnosis, '');
    assert.notEqual(e.remedy, '');
    assert.doesNotMatch(e.remedy, /GOSUMDB=off/);
  }
  assert.deepEqual(
    report.findings.map((f) => f.code),
    ['unknown-algorithm'],
  );
});

test('GOSUMDB=off skips every line without contacting the database', async () => {
  const db = database();
  const report = await auditGoSum(parseGoSum(promText), { client: clientOf(db), sumdbOff: true });
  assert.equal(report.summary.skipped, 424);
  assert.ok(report.entries.every((e) => e.skipReason === 'gosumdb-off'));
  assert.equal(report.tree, undefined);
  assert.equal(db.stats().requests, 0);
});

test('a database serving altered records yields errors, never ok', async () => {
  const db = database('bad-record');
  const report = await auditGoSum(parseGoSum(promText.split('\n').slice(0, 20).join('\n')), { client: clientOf(db) });
  assert.equal(report.summary.ok, 0);
  assert.equal(report.summary.error, 20);
  assert.ok(
    report.entries.every((e) => e.errorCode !== undefined && /^ERR_(RECORD|TILE|PROOF)_/.test(e.errorCode)),
    JSON.stringify(report.entries[0]),
  );
  assert.ok(report.entries.every((e) => e.diagnosis.includes("the database's answer did not verify")));
});

test('a fork ends the audit with SecurityError', async () => {
  const db = database();
  const client = clientOf(db);
  await client.latest();
  db.setMode('fork');
  await assert.rejects(
    auditGoSum(parseGoSum(promText), { client }),
    (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_SECURITY',
  );
});

test('go.mod requirements without go.sum lines are reported; replacements are followed', async () => {
  const db = database();
  const full = await auditGoSum(parseGoSum(promText), { client: clientOf(db), goMod: promMod });
  // The curator checked that every require of prometheus.go.mod has a /go.mod line.
  assert.deepEqual(
    full.goMod.filter((f) => f.level === 'error'),
    [],
  );
  const missing = promText
    .split('\n')
    .filter((l) => !l.startsWith('github.com/simonpasquier/klog-gokit v0.1.0/go.mod') && !l.startsWith('github.com/prometheus/tsdb '))
    .join('\n');
  const tsdb = /^\s*github\.com\/prometheus\/tsdb (\S+)/m.exec(promMod)![1]!;
  const report = await auditGoSum(parseGoSum(missing), { client: clientOf(db), goMod: promMod });
  assert.deepEqual(
    report.goMod.map((f) => `${f.level} ${f.code} ${f.path}@${f.version}`).sort(),
    [
      `error missing-gomod-sum github.com/prometheus/tsdb@${tsdb}`,
      'error missing-gomod-sum github.com/simonpasquier/klog-gokit@v0.1.0',
      `info missing-zip-sum github.com/prometheus/tsdb@${tsdb}`,
    ].sort(),
  );
  // An error-level finding is a problem for the CLI (exit 1), though every line verified.
  assert.equal(report.summary.ok, report.summary.total);
  assert.equal(auditExitCode(report), 1);
  assert.equal(auditExitCode(full), 0);
  // The go command drops a /go.mod line with the bogus empty-go.mod hash: it does not count as present.
  const bogus = promText.replace(/^(github\.com\/simonpasquier\/klog-gokit v0\.1\.0\/go\.mod) \S+$/m, `$1 ${EMPTY_GOMOD_HASH}`);
  assert.notEqual(bogus, promText);
  const dropped = await auditGoSum(parseGoSum(bogus), { client: clientOf(db), goMod: promMod });
  assert.deepEqual(
    dropped.goMod.filter((f) => f.level === 'error').map((f) => `${f.code} ${f.path}@${f.version}`),
    ['missing-gomod-sum github.com/simonpasquier/klog-gokit@v0.1.0'],
  );
});

test('over HTTP on 127.0.0.1 with the node transport, the same verdicts', async () => {
  const db = database();
  const server = await startServer(db.handle);
  try {
    const cfg = resolveSumDB({ GOSUMDB: `${db.vkey} ${server.url}`, GOPROXY: 'off' });
    const client = new Client(httpOps(cfg, { retries: 0 }));
    const text = promText.split('\n').slice(0, 60).join('\n');
    const report = await auditGoSum(parseGoSum(text), { client, concurrency: 4 });
    assert.equal(report.summary.ok, 60);
  } finally {
    await server.close();
  }
});

test('an aborted audit rejects with the abort reason', async () => {
  const db = database();
  const ac = new AbortController();
  const reason = new Error('stop');
  ac.abort(reason);
  await assert.rejects(auditGoSum(parseGoSum(promText), { client: clientOf(db), signal: ac.signal }), (e: unknown) => e === reason);
});

test('caller mistakes are TypeErrors / RangeErrors', async () => {
  const fake: AuditClient = { lookup: async () => [], latest: async () => assert.fail(), signedTree: async () => undefined };
  await assert.rejects(auditGoSum(parseGoSum(''), undefined as unknown as { client: AuditClient }), TypeError);
  await assert.rejects(auditGoSum(parseGoSum(''), { client: fake, concurrency: 0 }), RangeError);
});

test('a failing /latest does not stop the audit; transport failures are per-line errors; lookups are bounded and shared', async () => {
  const h = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
  let inFlight = 0;
  let peak = 0;
  const asked: string[] = [];
  const fake: AuditClient = {
    latest: async () => {
      throw new TypeError('fetch failed');
    },
    signedTree: async () => undefined,
    lookup: async (path, version) => {
      asked.push(`${path}@${version}`);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      if (path === 'example.com/down') throw new TypeError('fetch failed');
      return [`${path} ${version} ${h}`];
    },
  };
  const lines = Array.from({ length: 30 }, (_, i) => `example.com/m${i} v1.0.0 ${h}`);
  lines.push(`example.com/m0 v1.0.0 ${h}`, `example.com/down v1.0.0 ${h}`);
  const report = await auditGoSum(parseGoSum(lines.join('\n')), { client: fake, concurrency: 3 });
  assert.equal(report.summary.ok, 31);
  assert.equal(report.summary.error, 1);
  const down = report.entries.at(-1)!;
  assert.equal(down.errorCode, 'ERR_UNEXPECTED');
  assert.match(down.diagnosis, /fetch failed/);
  assert.ok(peak <= 3 && peak >= 2, `peak ${peak}`);
  assert.equal(asked.length, 31, 'the duplicate line shares its lookup');
});
