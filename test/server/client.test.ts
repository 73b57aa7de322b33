// The client against the test database in every mode: verified answers or a typed error, never
// an unverified answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTestDatabase, serverRemote, type TestDatabase } from '../../src/server/index.js';
import { Client, memoryOps, resolveSumDB, SecurityError } from '../../src/client/index.js';
import { httpOps, startServer } from '../../src/node/index.js';
import { generateKey } from '../../src/note/index.js';
import { GosumdbError } from '../../src/internal/errors.js';
import { synthetic } from './reference.js';

const key = generateKey('client.test');
const N = 300;

function clientFor(db: TestDatabase, options: { tileHeight?: number } = {}) {
  const reports: string[] = [];
  const ops = memoryOps({ key: db.vkey, remote: serverRemote(db.handle), securityError: (m) => reports.push(m) });
  return { client: new Client(ops, options), ops, reports };
}

function lines(i: number): { zip: string; mod: string } {
  const [zip, mod] = synthetic(i).text.split('\n');
  return { zip: zip!, mod: mod! };
}

async function lookup(client: Client, i: number): Promise<string[]> {
  const m = synthetic(i);
  return client.lookup(m.path, m.version);
}

test('honest: every lookup is verified, across several tile levels', async () => {
  const db = newTestDatabase({ key, synthetic: N });
  for (const tileHeight of [8, 2]) {
    const { client } = clientFor(db, { tileHeight });
    for (const i of [0, 1, 5, 137, 255, 256, N - 1]) assert.deepEqual(await lookup(client, i), [lines(i).zip], `module ${i}`);
    const m = synthetic(42);
    assert.deepEqual(await client.lookup(m.path, `${m.version}/go.mod`), [lines(42).mod]);
    await assert.rejects(client.lookup('example.com/nope', 'v1.0.0'), { code: 'ERR_NOT_FOUND' });
    assert.equal((await client.signedTree())?.tree.n, N);
  }
});

test('fork: a client that trusted the honest tree detects the fork, with evidence', async () => {
  const db = newTestDatabase({ key, synthetic: N });
  const { client, reports } = clientFor(db);
  assert.deepEqual(await lookup(client, 7), [lines(7).zip]);
  db.setMode('fork');
  const err = await lookup(client, 8).catch((e: unknown) => e);
  assert.ok(err instanceof SecurityError, String(err));
  assert.equal(err.code, 'ERR_SECURITY');
  assert.equal(err.evidence.older.tree.n, N);
  assert.equal(err.evidence.newer.tree.n, N + 1);
  assert.equal(reports.length, 1);
  assert.match(reports[0]!, /^SECURITY ERROR\ngo\.sum database server misbehavior detected!\n/);
  db.setMode('honest');
  await assert.rejects(lookup(client, 7), SecurityError, 'a detected fork is never forgotten');
});

test('fork: a client that never saw the honest tree gets the fork, verified against it', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'fork' });
  const { client } = clientFor(db);
  const got = await lookup(client, N - 1);
  assert.notDeepEqual(got, [lines(N - 1).zip]);
  assert.equal((await client.signedTree())?.tree.n, N + 1);
});

test('bad-record: the record does not match the tree', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'bad-record' });
  const { client } = clientFor(db);
  await assert.rejects(lookup(client, 3), { code: 'ERR_RECORD_MISMATCH' });
});

test('bad-tile: a tampered hash tile is rejected', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'bad-tile' });
  const { client, ops } = clientFor(db);
  await assert.rejects(lookup(client, 3), { code: 'ERR_TILE_INCONSISTENT' });
  assert.equal([...ops.cache.keys()].filter((k) => k.includes('/tile/')).length, 0, 'no unverified tile is cached');
});

test('truncated: cut bodies are malformed, never accepted', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'truncated' });
  const { client, ops } = clientFor(db);
  const err = await lookup(client, 3).catch((e: unknown) => e);
  assert.ok(err instanceof GosumdbError, String(err));
  assert.match(err.code, /^ERR_(NOTE|RECORD|TREE)_MALFORMED$/);
  assert.equal(ops.cache.size, 0);
  assert.equal(new TextDecoder().decode(await ops.readConfig('client.test/latest')), '');
});

test('slow: the caller abort ends a lookup', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'slow', slowMs: 10_000 });
  const { client } = clientFor(db);
  const t = performance.now();
  await assert.rejects(client.lookup(synthetic(1).path, synthetic(1).version, AbortSignal.timeout(100)), { name: 'TimeoutError' });
  assert.ok(performance.now() - t < 2000);
});

test('flaky: without retries the status surfaces as an error', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'flaky' });
  const { client } = clientFor(db);
  await assert.rejects(lookup(client, 1), { code: 'ERR_HTTP_STATUS' });
});

test('growing: every newer tree is proved consistent and lookups stay verified', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'growing', growBy: 3 });
  const { client, reports } = clientFor(db, { tileHeight: 2 });
  for (const i of [1, 2, 3, 200, 299]) assert.deepEqual(await lookup(client, i), [lines(i).zip]);
  const latest = await client.latest();
  assert.equal(latest.tree.n, db.log.size());
  assert.ok(latest.tree.n >= N + 18);
  assert.deepEqual(reports, []);
});

test('over HTTP on 127.0.0.1: flaky answers are retried, GOPROXY proxy paths work', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'flaky' });
  const server = await startServer(db.handle);
  try {
    const direct = new Client(httpOps(resolveSumDB({ GOSUMDB: `${db.vkey} ${server.url}` }), { backoffMs: 1, retries: 3 }));
    for (const i of [4, 9]) assert.deepEqual(await lookup(direct, i), [lines(i).zip]);
    db.setMode('honest');
    db.resetStats();
    const proxied = new Client(httpOps(resolveSumDB({ GOSUMDB: db.vkey, GOPROXY: server.url }), { retries: 0 }));
    assert.deepEqual(await lookup(proxied, 11), [lines(11).zip]);
    assert.ok(db.stats().lookup === 1 && db.stats().requests >= 2);
  } finally {
    await server.close();
  }
});

test('over HTTP: a slow server times out, a truncating one is rejected', async () => {
  const db = newTestDatabase({ key, synthetic: N, mode: 'slow', slowMs: 5000 });
  const server = await startServer(db.handle);
  try {
    const config = resolveSumDB({ GOSUMDB: `${db.vkey} ${server.url}` });
    const slow = new Client(httpOps(config, { timeoutMs: 100, retries: 0 }));
    const t = performance.now();
    await assert.rejects(lookup(slow, 1), { code: 'ERR_TIMEOUT' });
    assert.ok(performance.now() - t < 3000);
    db.setMode('truncated');
    const cut = new Client(httpOps(config, { retries: 0 }));
    const err = await lookup(cut, 1).catch((e: unknown) => e);
    assert.ok(err instanceof GosumdbError, String(err));
    assert.match(err.code, /^ERR_(NOTE|RECORD|TREE)_MALFORMED$/);
  } finally {
    await server.close();
  }
});
