import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTestDatabase, serverRemote } from '../../src/server/index.js';
import { generateKey, newVerifier, openNote, verifierList } from '../../src/note/index.js';
import { NotFoundError } from '../../src/client/index.js';
import { b64, bytes, leaf, lookupPath, mth, sha256, synthetic, text } from './reference.js';

const key = generateKey('modes.test');
const verifiers = verifierList(newVerifier(key.vkey));
const N = 20;
const records = Array.from({ length: N }, (_, i) => bytes(synthetic(i).text));

function tree(note: Uint8Array): { n: number; hash: string } {
  const [, n, hash] = openNote(note, verifiers).text.split('\n');
  return { n: Number(n), hash: hash! };
}

test('fork: a second history, signed by the same key, that rewrites the last record', async () => {
  const db = newTestDatabase({ key, synthetic: N });
  const honest = tree((await db.handle('/latest')).body);
  db.setMode('fork');
  assert.equal(db.mode(), 'fork');
  const forked = tree((await db.handle('/latest')).body);
  assert.equal(forked.n, N + 1);
  const evil = bytes(`fork.example/evil v1.0.0 h1:${b64(sha256(bytes('fork')))}\n`);
  const last = synthetic(N - 1).text.replace(/h1:(.)/, (_, c: string) => `h1:${c === 'A' ? 'B' : 'A'}`);
  const forkRecords = [...records.slice(0, N - 1), bytes(last), evil];
  assert.equal(forked.hash, b64(mth(forkRecords)));
  // The fork's first N records disagree with the honest tree: that is what a client must catch.
  assert.notEqual(b64(mth(forkRecords, 0, N)), honest.hash);
  assert.equal(honest.hash, b64(mth(records)));
  const lookup = text((await db.handle(lookupPath(N - 1))).body);
  assert.ok(lookup.startsWith(`${N - 1}\n${last}\n`));
  db.setMode('honest');
  assert.deepEqual(tree((await db.handle('/latest')).body), honest);
});

test('bad-record: lookups and data tiles carry a changed hash, the signed tree stays honest', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'bad-record' });
  const res = text((await db.handle(lookupPath(3))).body);
  const [id, line] = res.split('\n');
  assert.equal(id, '3');
  assert.notEqual(`${line}\n`, synthetic(3).text.split('\n')[0] + '\n');
  assert.match(line!, /^example\.com\/m3 v1\.0\.3 h1:[A-Za-z0-9+/]{43}=$/);
  assert.equal(tree(bytes(res.slice(res.indexOf('go.sum database tree')))).hash, b64(mth(records)));
  const data = text((await db.handle('/tile/2/data/000')).body);
  assert.notEqual(data, [0, 1, 2, 3].map((i) => `${synthetic(i).text}\n`).join(''));
});

test('bad-tile: hash tiles differ from the honest ones in one byte', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'bad-tile' });
  const bad = (await db.handle('/tile/2/0/000')).body;
  const good = Buffer.concat(records.slice(0, 4).map(leaf));
  assert.equal(bad.length, good.length);
  assert.equal(bad.filter((b, i) => b !== good[i]).length, 1);
});

test('truncated: successful bodies are cut in half, errors are untouched', async () => {
  const db = newTestDatabase({ key, synthetic: N });
  const full = (await db.handle(lookupPath(2))).body;
  db.setMode('truncated');
  const cut = (await db.handle(lookupPath(2))).body;
  assert.equal(cut.length, Math.floor(full.length / 2));
  assert.deepEqual(cut, full.subarray(0, cut.length));
  assert.equal((await db.handle('/lookup/example.com/nope@v1.0.0')).status, 404);
});

test('slow: answers wait slowMs, and an abort ends the wait at once', async () => {
  const db = newTestDatabase({ key, synthetic: 2, mode: 'slow', slowMs: 200 });
  let t = performance.now();
  assert.equal((await db.handle('/latest')).status, 200);
  assert.ok(performance.now() - t >= 190);
  const abort = new AbortController();
  t = performance.now();
  setTimeout(() => abort.abort(new Error('gave up')), 20);
  await assert.rejects(db.handle('/latest', abort.signal), /gave up/);
  assert.ok(performance.now() - t < 150);
});

test('latencyMs delays every answer in any mode', async () => {
  const db = newTestDatabase({ key, synthetic: 2, latencyMs: 60 });
  const t = performance.now();
  await Promise.all([db.handle('/latest'), db.handle(lookupPath(1))]);
  const dt = performance.now() - t;
  assert.ok(dt >= 55 && dt < 1000, String(dt));
});

test('flaky: each path fails with 503, then 429 with Retry-After, then answers', async () => {
  const db = newTestDatabase({ key, synthetic: 2, mode: 'flaky' });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push(await db.handle('/latest'));
  assert.deepEqual(
    statuses.map((r) => r.status),
    [503, 429, 200],
  );
  assert.equal(statuses[1]!.headers?.['Retry-After'], '0');
  assert.equal((await db.handle(lookupPath(1))).status, 503);
  db.setMode('flaky');
  assert.equal((await db.handle('/latest')).status, 503, 'setMode starts the failures over');
  const once = newTestDatabase({ key, synthetic: 2, mode: 'flaky', flakyFailures: 1 });
  assert.deepEqual([(await once.handle('/latest')).status, (await once.handle('/latest')).status], [503, 200]);
});

test('growing: the tree advances before every signed answer, consistently', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'growing', growBy: 2 });
  const first = tree((await db.handle('/latest')).body);
  const lookup = text((await db.handle(lookupPath(1))).body);
  const second = tree(bytes(lookup.slice(lookup.indexOf('go.sum database tree'))));
  const third = tree((await db.handle('/latest')).body);
  assert.deepEqual([first.n, second.n, third.n], [N + 2, N + 4, N + 6]);
  const all = db.log.records().map((r) => r.text);
  assert.equal(all.length, N + 6);
  assert.deepEqual(all.slice(0, N), records);
  assert.equal(first.hash, b64(mth(all, 0, N + 2)));
  assert.equal(third.hash, b64(mth(all)));
  assert.equal(text(all[N]!), `growing.example/m0 v1.0.0 h1:${b64(sha256(bytes('growing.example/m0')))}\n`);
  assert.equal((await db.handle('/tile/2/0/000')).status, 200);
  assert.equal(db.log.size(), N + 6, 'tile requests do not grow the tree');
});

test('stats count requests by kind until reset', async () => {
  const db = newTestDatabase({ key, synthetic: N });
  await db.handle('/latest');
  await db.handle(lookupPath(1));
  await db.handle('/sumdb/modes.test/lookup/example.com/m2@v1.2.2');
  await db.handle('/tile/2/0/000');
  await db.handle('/tile/2/data/000');
  await db.handle('/nothing');
  assert.deepEqual(db.stats(), { requests: 6, latest: 1, lookup: 2, tile: 1, dataTile: 1 });
  db.resetStats();
  assert.deepEqual(db.stats(), { requests: 0, latest: 0, lookup: 0, tile: 0, dataTile: 0 });
});

test('serverRemote maps statuses as the HTTP transport does', async () => {
  const db = newTestDatabase({ key, synthetic: 2 });
  const remote = serverRemote(db.handle);
  assert.equal(tree(await remote('/latest')).n, 2);
  await assert.rejects(remote('/lookup/example.com/nope@v1.0.0'), (e: unknown) => e instanceof NotFoundError);
  await assert.rejects(remote('/lookup/x'), { code: 'ERR_HTTP_STATUS' });
  db.setMode('flaky');
  await assert.rejects(remote('/latest'), { code: 'ERR_HTTP_STATUS', message: /503/ });
});

test('records are given as text or bytes; a given key brings its name', async () => {
  const db = newTestDatabase({
    key,
    records: [
      { path: 'example.com/a', version: 'v1.0.0', text: 'example.com/a v1.0.0 h1:x=\n' },
      { path: 'example.com/b', version: 'v1.0.0', text: bytes('example.com/b v1.0.0 h1:y=\n') },
    ],
    synthetic: 1,
  });
  assert.equal(db.name, 'modes.test');
  assert.deepEqual(
    db.log.records().map((r) => text(r.text)),
    ['example.com/a v1.0.0 h1:x=\n', 'example.com/b v1.0.0 h1:y=\n', synthetic(0).text],
  );
});

test('bad-record tampers the byte after h1: even when the record is not UTF-8', async () => {
  // Two bytes that are not UTF-8 before `h1:`; a decode would turn them into 6 bytes of U+FFFD.
  const honest = Buffer.concat([Buffer.from('example.com/x'), Buffer.from([0xff, 0xfe]), Buffer.from(' v1.0.0 h1:')]);
  const text = Buffer.concat([honest, Buffer.from(`${b64(sha256(bytes('x')))}\n`)]);
  const want = Buffer.from(text);
  want[honest.length] = text[honest.length] === 0x41 ? 0x42 : 0x41;
  const db = newTestDatabase({ key, records: [{ path: 'example.com/x', version: 'v1.0.0', text }], mode: 'bad-record' });
  // A lookup refuses to sign a record that is not UTF-8 (as Go's server); the data tile serves it.
  const body = Buffer.from((await db.handle('/tile/8/data/000.p/1')).body);
  assert.ok(body.includes(want), 'the tampered record is the honest one with the byte after h1: changed');
  assert.ok(!body.includes(text), 'the honest record is not served');
});
