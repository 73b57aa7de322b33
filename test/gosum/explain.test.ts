// The pure core of explain: file descriptions against an independent h1, comparisons, the
// verdict's precedence, and sources that fail or hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { compareFiles, describeFiles, explainModule, gatherSource, renderExplanation, type ExplainSource } from '../../src/gosum/index.js';
import { GosumdbError } from '../../src/index.js';
import { h1 } from '../helpers/modules.js';

const enc = new TextEncoder();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

test('describeFiles: hashes, line-ending-blind hashes, and the CRLF/LF variants of the h1', async () => {
  const files = { 'a.go': 'package a\nfunc A() {}\n', 'b.txt': 'x\r\ny\r\n', bin: 'z\u0000\n' };
  const d = await describeFiles(
    'm',
    'v1.0.0',
    Object.entries(files).map(([name, t]) => ({ name, data: enc.encode(t) })),
  );
  const full = (conv: (s: string) => string) =>
    h1(Object.fromEntries(Object.entries(files).map(([n, t]) => [`m@v1.0.0/${n}`, n === 'bin' ? t : conv(t)])));
  assert.equal(
    d.hash,
    full((t) => t),
  );
  assert.equal(
    d.variants.lf,
    full((t) => t.replace(/\r\n/g, '\n')),
  );
  assert.equal(
    d.variants.crlf,
    full((t) => t.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n')),
  );
  assert.deepEqual(
    d.files.map((f) => [f.name, f.size, f.sha256 === sha(files[f.name as keyof typeof files]), f.lfSha256 === undefined]),
    [
      ['a.go', 22, true, false],
      ['b.txt', 6, true, false],
      ['bin', 3, true, true],
    ],
  );
  assert.equal(d.files[1]!.lfSha256, sha('x\ny\n'));
});

test('compareFiles: added, missing, changed, line endings only', () => {
  const f = (name: string, t: string) => ({ name, size: t.length, sha256: sha(t), lfSha256: sha(t.replace(/\r\n/g, '\n')), text: t });
  const changes = compareFiles([f('a', 'one\n'), f('b', 'two\n'), f('c', 'x\n')], [f('a', 'one\r\n'), f('b', 'TWO\n'), f('d', 'new\n')]);
  assert.deepEqual(
    changes.map((c) => [c.change, c.name, c.lineEndingsOnly]),
    [
      ['changed', 'a', true],
      ['changed', 'b', false],
      ['missing', 'c', undefined],
      ['added', 'd', undefined],
    ],
  );
  assert.equal(changes[1]!.diff, '@@ line 1 @@\n-two\n+TWO');
});

const db: ExplainSource = { kind: 'sumdb', name: 'db', status: 'ok', hash: 'h1:D', goModHash: 'h1:M' };

test('explainModule: a lying proxy outranks an edited go.sum; the database unreachable gives unknown', () => {
  const gs: ExplainSource = { kind: 'gosum', name: 'go.sum', status: 'ok', hash: 'h1:X', goModHash: 'h1:M' };
  const proxy: ExplainSource = { kind: 'proxy', name: 'p', status: 'ok', hash: 'h1:X', goModHash: 'h1:M' };
  assert.equal(explainModule('m', 'v1.0.0', [gs, db, proxy]).verdict, 'proxy-differs');
  assert.equal(explainModule('m', 'v1.0.0', [gs, db, { ...proxy, hash: 'h1:D' }]).verdict, 'gosum-edited');
  assert.equal(explainModule('m', 'v1.0.0', [gs, { ...db, status: 'unreachable' }]).verdict, 'unknown');
  assert.equal(explainModule('m', 'v1.0.0', [{ ...gs, hash: 'h1:D' }, db]).verdict, 'consistent');
  const vcs: ExplainSource = { kind: 'vcs', name: 'r', status: 'ok', hash: 'h1:X', commit: 'c' };
  assert.equal(explainModule('m', 'v1.0.0', [gs, db, vcs]).verdict, 'retagged');
  // Conflicting go.sum lines are several sources: the one the database does not vouch for is explained.
  assert.equal(explainModule('m', 'v1.0.0', [{ ...gs, hash: 'h1:D' }, gs, db]).verdict, 'gosum-edited');
  // A cache whose .mod differs from the database's /go.mod line is modified, whatever its zip says.
  const cache: ExplainSource = { kind: 'cache', name: 'c', status: 'ok', hash: 'h1:D', ziphash: 'h1:D', goModHash: 'h1:M' };
  assert.equal(explainModule('m', 'v1.0.0', [{ ...gs, hash: 'h1:D' }, db, cache]).verdict, 'consistent');
  const cached = explainModule('m', 'v1.0.0', [{ ...gs, hash: 'h1:D' }, db, { ...cache, goModHash: 'h1:evil' }]);
  assert.equal(cached.verdict, 'cache-modified');
  assert.ok(cached.evidence.includes('cache .mod: h1:evil'));
  // Any other source whose go.mod differs is never consistent.
  assert.equal(
    explainModule('m', 'v1.0.0', [{ ...gs, hash: 'h1:D' }, db, { ...vcs, hash: 'h1:D', goModHash: 'h1:evil' }]).verdict,
    'unknown',
  );
  const hostile: ExplainSource = { kind: 'proxy', name: 'p\u001b[31m', status: 'error', error: 'bad\u001b[2J' };
  assert.doesNotMatch(renderExplanation(explainModule('m', 'v1.0.0', [db, hostile])), /\u001b/);
});

test('gatherSource: errors and missed deadlines become sources that say so', async () => {
  const nf = await gatherSource('sumdb', 'db', async () => {
    throw new GosumdbError('ERR_NOT_FOUND', 'not found');
  });
  assert.deepEqual([nf.status, nf.errorCode], ['not-found', 'ERR_NOT_FOUND']);
  const bad = await gatherSource('proxy', 'p', async () => {
    throw new GosumdbError('ERR_PROOF_INVALID', 'invalid transparency proof');
  });
  assert.deepEqual([bad.status, bad.errorCode], ['error', 'ERR_PROOF_INVALID']);
  let aborted = false;
  const slow = await gatherSource(
    'proxy',
    'p',
    (signal) =>
      new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        }),
      ),
    { timeoutMs: 20 },
  );
  assert.equal(slow.status, 'unreachable');
  assert.ok(aborted, 'the gatherer was told to stop');
});
