// The client over real HTTP on 127.0.0.1 against gosumdb/server's test database in every mode:
// each lookup gives verified lines or a typed error, never an unverified answer. Expected go.sum
// lines are computed independently from syntheticModule's documented formula with node:crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GosumdbError } from '../../src/internal/errors.js';
import { Client, resolveSumDB, SecurityError, sumdbRemote, type ClientOps, type MemoryOps } from '../../src/client/index.js';
import { diskOps, httpOps, httpTransport, startServer, type RunningServer } from '../../src/node/index.js';
import { newTestDatabase, syntheticModule, type TestDatabase, type TestDatabaseOptions } from '../../src/server/index.js';
import { checkTree, parseTree } from '../../src/tlog/index.js';
import { newVerifier, openNote, verifierList } from '../../src/note/index.js';

const N = 300;

function expectedLines(i: number): string[] {
  const { path, version } = syntheticModule(i);
  const h = (s: string) => createHash('sha256').update(s).digest('base64');
  return [`${path} ${version} h1:${h(`zip ${path}@${version}`)}`];
}

async function world(options: TestDatabaseOptions = {}): Promise<{ db: TestDatabase; server: RunningServer }> {
  const db = newTestDatabase({ synthetic: N, ...options });
  return { db, server: await startServer(db.handle) };
}

function client(db: TestDatabase, server: RunningServer, opts: { retries?: number; timeoutMs?: number; proxy?: boolean } = {}) {
  const security: string[] = [];
  const env = opts.proxy ? { GOSUMDB: db.vkey, GOPROXY: `${server.url},direct` } : { GOSUMDB: `${db.vkey} ${server.url}` };
  const ops = httpOps(resolveSumDB(env), {
    retries: opts.retries ?? 0,
    timeoutMs: opts.timeoutMs ?? 10_000,
    backoffMs: 1,
    maxBackoffMs: 20,
    securityError: (m) => security.push(m),
  }) as MemoryOps;
  return { ops, client: new Client(ops), security };
}

const lookup = (c: Client, i: number) => {
  const m = syntheticModule(i);
  return c.lookup(m.path, m.version);
};

test('honest: verified lines for lower- and upper-case paths, direct and through a proxy', async () => {
  const { db, server } = await world();
  try {
    for (const proxy of [false, true]) {
      const c = client(db, server, { proxy });
      for (const i of [0, 5, 137, 255, 256, N - 1]) assert.deepEqual(await lookup(c.client, i), expectedLines(i));
      const latest = await c.client.latest();
      assert.equal(latest.tree.n, N);
    }
  } finally {
    await server.close();
  }
});

test('fork: a client that trusted the honest tree detects the second history, with evidence', async () => {
  const { db, server } = await world();
  try {
    const c = client(db, server);
    assert.deepEqual(await lookup(c.client, 10), expectedLines(10));
    db.setMode('fork');
    let caught: unknown;
    await c.client.latest().catch((e: unknown) => (caught = e));
    assert.ok(caught instanceof SecurityError, String(caught));
    assert.equal(c.security.length, 1);
    assert.ok(
      c.security[0]!.startsWith(
        'SECURITY ERROR\ngo.sum database server misbehavior detected!\n\nold database:\n\tgo.sum database tree\n\t300\n',
      ),
    );
    const ev = caught.evidence;
    const v = verifierList(newVerifier(db.vkey));
    assert.deepEqual(parseTree(new TextEncoder().encode(openNote(ev.older.note, v).text)), ev.older.tree);
    assert.deepEqual(parseTree(new TextEncoder().encode(openNote(ev.newer.note, v).text)), ev.newer.tree);
    assert.deepEqual([ev.older.tree.n, ev.newer.tree.n], [N, N + 1]);
    checkTree(ev.proof, ev.newer.tree.n, ev.newer.tree.hash, ev.older.tree.n, ev.olderHashInNewer);
    // Fail closed from now on, even for answers that would verify.
    db.setMode('honest');
    await assert.rejects(lookup(c.client, 11), SecurityError);
  } finally {
    await server.close();
  }
});

test('bad-record: the record does not match the tree; nothing is cached', async () => {
  const { db, server } = await world({ mode: 'bad-record' });
  try {
    const c = client(db, server);
    await assert.rejects(lookup(c.client, 42), { code: 'ERR_RECORD_MISMATCH' });
    assert.ok(![...c.ops.cache.keys()].some((k) => k.includes('/lookup/')));
    db.setMode('honest');
    assert.deepEqual(await lookup(c.client, 42), expectedLines(42));
  } finally {
    await server.close();
  }
});

test('bad-tile: tiles that do not hash to the signed tree are refused and never cached', async () => {
  const { db, server } = await world({ mode: 'bad-tile' });
  try {
    const c = client(db, server);
    await assert.rejects(lookup(c.client, 7), { code: 'ERR_TILE_INCONSISTENT' });
    assert.equal([...c.ops.cache.keys()].filter((k) => k.includes('/tile/')).length, 0);
    db.setMode('honest');
    assert.deepEqual(await lookup(c.client, 7), expectedLines(7));
  } finally {
    await server.close();
  }
});

test('truncated: half bodies give typed errors, never lines', async () => {
  const { db, server } = await world({ mode: 'truncated' });
  try {
    const c = client(db, server);
    for (const i of [0, 1, 2, 150]) {
      await assert.rejects(lookup(c.client, i), (e: unknown) => e instanceof GosumdbError && e.code !== 'ERR_SECURITY', String(i));
    }
    assert.equal(c.ops.cache.size, 0);
    await assert.rejects(c.client.latest(), GosumdbError);
  } finally {
    await server.close();
  }
});

test('slow: the per-request timeout gives ERR_TIMEOUT; a caller abort is prompt', async () => {
  const { db, server } = await world({ mode: 'slow', slowMs: 3000 });
  try {
    const c = client(db, server, { timeoutMs: 100 });
    const start = Date.now();
    await assert.rejects(lookup(c.client, 3), { code: 'ERR_TIMEOUT' });
    const ac = new AbortController();
    const p = client(db, server).client.lookup('example.com/m1', 'v1.1.1', ac.signal);
    setTimeout(() => ac.abort(new Error('user cancelled')), 50);
    await assert.rejects(p, { message: 'user cancelled' });
    assert.ok(Date.now() - start < 2500, `took ${Date.now() - start}ms`);
  } finally {
    await server.close();
  }
});

test('flaky: 503 and 429 are retried to success; without retries they are errors', async () => {
  const { db, server } = await world({ mode: 'flaky', flakyFailures: 2 });
  try {
    await assert.rejects(lookup(client(db, server, { retries: 0 }).client, 20), { code: 'ERR_HTTP_STATUS' });
    db.setMode('flaky');
    const c = client(db, server, { retries: 3 });
    for (const i of [20, 21, 200]) assert.deepEqual(await lookup(c.client, i), expectedLines(i));
  } finally {
    await server.close();
  }
});

test('growing: every answer comes with a newer tree, each proved consistent with the last', async () => {
  const { db, server } = await world({ mode: 'growing', growBy: 3 });
  try {
    const c = client(db, server);
    let last = 0;
    for (const i of [1, 50, 99, 250, 2]) {
      assert.deepEqual(await lookup(c.client, i), expectedLines(i));
      const n = (await c.client.signedTree())!.tree.n;
      assert.ok(n > last, `${n} > ${last}`);
      last = n;
    }
    assert.ok((await c.client.latest()).tree.n > last);
  } finally {
    await server.close();
  }
});

test('diskOps over HTTP: verified state lands in the go command layout and serves offline', async () => {
  const { db, server } = await world();
  const gopath = mkdtempSync(join(tmpdir(), 'gosumdb-modes-'));
  try {
    const remote = sumdbRemote(resolveSumDB({ GOSUMDB: `${db.vkey} ${server.url}` }), httpTransport({ retries: 0 }));
    const ops: ClientOps = diskOps({ key: db.vkey, remote, gopath, writable: true });
    assert.deepEqual(await lookup(new Client(ops), 5), expectedLines(5));
    const m = syntheticModule(5);
    assert.equal(m.path, 'github.com/Upper5/Pkg');
    assert.ok(existsSync(join(gopath, 'pkg/mod/cache/download/sumdb', db.name, `lookup/github.com/!upper5/!pkg@${m.version}`)));
    assert.equal(readFileSync(join(gopath, 'pkg/sumdb', db.name, 'latest'), 'utf8').split('\n')[1], String(N));
    await server.close();
    const offline = diskOps({ key: db.vkey, remote: async (p) => Promise.reject(new GosumdbError('ERR_NETWORK', `offline ${p}`)), gopath });
    assert.deepEqual(await lookup(new Client(offline), 5), expectedLines(5));
  } finally {
    await server.close();
    rmSync(gopath, { recursive: true, force: true });
  }
});
