// auditGoSum when the database is not reached: an unreachable server (an injected DNS failure), the
// run's deadline, an empty cache offline. Each gives every affected line the same verdict, so a
// report can say it once; the deadline returns a report instead of throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UnreachableError, type SignedTree } from '../../src/client/index.js';
import { auditGoSum, parseGoSum, type AuditClient } from '../../src/gosum/index.js';
import { GosumdbError } from '../../src/internal/errors.js';

const promText = readFileSync(join(resolve(import.meta.dirname, '../fixtures/gosum'), 'prometheus.go.sum'), 'utf8');
const lines = promText.trimEnd().split('\n');
const sum = parseGoSum(lines.slice(0, 40).join('\n') + '\n');
const tree: SignedTree = { tree: { n: 1, hash: new Uint8Array(32) }, note: new Uint8Array([1]) };
const dns = () => new UnreachableError('https://sum.example/latest', 'dns', 'getaddrinfo ENOTFOUND sum.example');

// The database's answer for a go.sum line: the line itself.
function answer(path: string, version: string): string[] {
  return lines.filter((l) => l.startsWith(`${path} ${version} `));
}

test('unreachable and no trusted tree: one lookup is tried, every line gets one diagnosis naming the server', async () => {
  let lookups = 0;
  const client: AuditClient = {
    lookup: async () => {
      lookups++;
      throw dns();
    },
    latest: async () => {
      throw dns();
    },
    signedTree: async () => undefined,
  };
  const report = await auditGoSum(sum, { client });
  assert.equal(lookups, 1);
  assert.equal(report.summary.error, 40);
  assert.equal(new Set(report.entries.map((e) => `${e.errorCode} ${e.diagnosis} ${e.remedy}`)).size, 1);
  const e = report.entries[0]!;
  assert.equal(e.errorCode, 'ERR_UNREACHABLE');
  assert.equal(e.diagnosis, 'not verified: https://sum.example could not be reached (getaddrinfo ENOTFOUND sum.example)');
  assert.match(e.remedy, /host name/);
  assert.doesNotMatch(e.remedy, /GOSUMDB=off/);
});

test('unreachable with a trusted tree: cached answers still verify, the others share one diagnosis', async () => {
  const client: AuditClient = {
    // Lookups wrapped with Go's context prefix, as Client.lookup does: the diagnosis still names the server only.
    lookup: async (path, version) => {
      if (path.startsWith('cloud.google.com/')) return answer(path, version);
      throw new GosumdbError('ERR_UNREACHABLE', `${path}@${version}: ${dns().message}`, { cause: dns() });
    },
    latest: async () => {
      throw dns();
    },
    signedTree: async () => tree,
  };
  const report = await auditGoSum(sum, { client });
  const ok = report.entries.filter((e) => e.status === 'ok');
  const bad = report.entries.filter((e) => e.status !== 'ok');
  assert.ok(ok.length > 0 && bad.length > 0);
  assert.ok(ok.every((e) => e.path.startsWith('cloud.google.com/')));
  assert.equal(new Set(bad.map((e) => e.diagnosis)).size, 1);
  assert.equal(bad[0]!.errorCode, 'ERR_UNREACHABLE');
  assert.equal(report.latestError?.errorCode, 'ERR_UNREACHABLE');
});

test('the deadline: the audit returns, every line not verified by then says so with the same diagnosis', async () => {
  const deadline = new AbortController();
  let answered = 0;
  const client: AuditClient = {
    lookup: (path, version, signal) => {
      // The first ten answer at once; the rest hang until aborted.
      if (answered < 10) {
        answered++;
        return Promise.resolve(answer(path, version));
      }
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
    },
    latest: async () => tree,
    signedTree: async () => tree,
  };
  setTimeout(() => deadline.abort(new GosumdbError('ERR_DEADLINE', "the run's deadline of 50ms passed")), 50);
  const report = await auditGoSum(sum, { client, deadline: deadline.signal, concurrency: 4 });
  const late = report.entries.filter((e) => e.status === 'error');
  assert.equal(report.summary.ok + late.length, 40);
  assert.ok(report.summary.ok >= 10 && late.length > 0);
  for (const e of late) {
    assert.equal(e.errorCode, 'ERR_DEADLINE');
    assert.equal(e.diagnosis, "not verified: the run's deadline of 50ms passed");
  }
});

test('the deadline while the latest tree is read: every line answered, and the report still says the tree was not read', async () => {
  const deadline = new AbortController();
  const client: AuditClient = {
    lookup: async (path, version) => answer(path, version),
    latest: (signal) =>
      new Promise((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        deadline.abort(new GosumdbError('ERR_DEADLINE', "the run's deadline of 3s passed"));
      }),
    signedTree: async () => tree,
  };
  const report = await auditGoSum(sum, { client, deadline: deadline.signal });
  assert.equal(report.summary.ok, 40);
  assert.equal(report.latestError?.errorCode, 'ERR_DEADLINE');
  assert.match(
    report.latestError!.diagnosis,
    /could not be read \(the run's deadline of 3s passed\); the answers were proved only against tree #1/,
  );
});

test("the caller's own abort still throws, with or without a deadline", async () => {
  const ac = new AbortController();
  const client: AuditClient = {
    lookup: (_p, _v, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
    latest: async () => tree,
    signedTree: async () => tree,
  };
  setTimeout(() => ac.abort(new Error('stop')), 20);
  await assert.rejects(auditGoSum(sum, { client, signal: ac.signal, deadline: new AbortController().signal }), { message: 'stop' });
});

test('offline with an empty cache: one diagnosis saying the cache is empty', async () => {
  let lookups = 0;
  const client: AuditClient = {
    lookup: async () => {
      lookups++;
      throw new GosumdbError('ERR_OFFLINE', "offline: https://sum.example/lookup/x is not in the go command's cache");
    },
    latest: async () => {
      throw new Error('not asked offline');
    },
    signedTree: async () => undefined,
  };
  const report = await auditGoSum(sum, { client, refreshLatest: false, concurrency: 1 });
  assert.equal(lookups, 1);
  assert.equal(report.summary.error, 40);
  assert.ok(report.entries.every((e) => e.errorCode === 'ERR_OFFLINE' && /cache is empty/.test(e.diagnosis)));
  assert.ok(report.entries.every((e) => !/network/.test(e.remedy)));
});
