// Our client against Go's reference server (x/mod sumdb.NewServer over sumdb.NewTestServer), and
// our server's answers compared byte for byte with Go's for the same log and key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, memoryOps, SecurityError } from '../../src/client/index.js';
import { httpTransport, nodeSha256 } from '../../src/node/index.js';
import { newTestDatabase, type TestDatabase } from '../../src/server/index.js';
import { lookupPath, synthetic } from '../server/reference.js';
import { startGoServer, type GoServer } from './go.js';

const N = 70_000; // > 256^2: record proofs use tiles on levels 0, 1 and 2
let go: GoServer;
let ours: TestDatabase;
const transport = httpTransport({ retries: 0 });

before(async () => {
  go = await startGoServer({ n: N });
  ours = newTestDatabase({ key: { skey: go.skey, vkey: go.vkey }, synthetic: N, sha256: nodeSha256 });
});
after(async () => {
  await go?.close();
});

async function goGet(path: string): Promise<{ status: number; body: Uint8Array }> {
  const res = await fetch(`${go.url}${path}`);
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
}

const sample = [0, 1, 5, 255, 256, 4097, 65535, 65536, N - 2, N - 1];

test("our client verifies lookups from Go's server", async () => {
  const client = new Client(memoryOps({ key: go.vkey, remote: (path, signal) => transport(`${go.url}/honest${path}`, signal) }));
  for (const i of sample) {
    const m = synthetic(i);
    assert.deepEqual(await client.lookup(m.path, m.version), [m.text.split('\n')[0]], `module ${i}`);
    assert.deepEqual(await client.lookup(m.path, `${m.version}/go.mod`), [m.text.split('\n')[1]]);
  }
  await assert.rejects(client.lookup('example.com/nope', 'v1.0.0'), { code: 'ERR_NOT_FOUND' });
  assert.equal((await client.latest()).tree.n, N);
});

test("our client detects the fork Go's server shows after its honest history", async () => {
  let base = `${go.url}/honest`;
  const reports: string[] = [];
  const client = new Client(
    memoryOps({ key: go.vkey, remote: (path, signal) => transport(`${base}${path}`, signal), securityError: (m) => reports.push(m) }),
  );
  const m = synthetic(12);
  await client.lookup(m.path, m.version);
  base = `${go.url}/fork`;
  const err = await client.lookup(synthetic(13).path, synthetic(13).version).catch((e: unknown) => e);
  assert.ok(err instanceof SecurityError, String(err));
  assert.equal(err.evidence.older.tree.n, N);
  assert.equal(err.evidence.newer.tree.n, N + 1);
  assert.match(
    reports[0] ?? '',
    /^SECURITY ERROR\ngo\.sum database server misbehavior detected!\n\nold database:\n\tgo\.sum database tree\n\t70000\n/,
  );
});

test("our server answers /latest, /lookup and hash tiles byte for byte as Go's server", async () => {
  const paths = [
    '/latest',
    ...sample.map(lookupPath),
    '/tile/8/0/000',
    '/tile/8/0/255',
    '/tile/8/0/273.p/112',
    '/tile/8/0/273.p/5',
    '/tile/8/1/000',
    '/tile/8/1/001.p/17',
    '/tile/8/2/000.p/1',
    '/tile/4/3/000.p/1',
    '/tile/4/0/x004/374',
    '/tile/4/1/273.p/7',
  ];
  for (const path of paths) {
    const want = await goGet(`/honest${path}`);
    const got = await ours.handle(path);
    assert.equal(got.status, want.status, path);
    assert.equal(want.status, 200, path);
    assert.deepEqual(got.body, want.body, path);
  }
});

test("our server fails where Go's server fails", async () => {
  const cases = [
    '/lookup/example.com/nope@v1.0.0',
    '/lookup/example.com/m1',
    '/lookup/example.com/m1@v1',
    '/lookup/github.com/Upper5/Pkg@v1.2.5',
    '/tile/8/0/x',
    '/tile/8/0/000.p/0',
    '/tile/31/0/000',
    '/nothing',
  ];
  for (const path of cases) {
    const want = await goGet(`/honest${path}`);
    assert.equal((await ours.handle(path)).status, want.status, path);
  }
});

test("data tiles: ours are Go v0.7.0's without the record ids (the newer x/mod format)", async () => {
  for (const path of ['/tile/8/data/000', '/tile/8/data/273.p/112']) {
    const want = new TextDecoder().decode((await goGet(`/honest${path}`)).body).replace(/^\d+\n/gm, '');
    assert.equal(new TextDecoder().decode((await ours.handle(path)).body), want, path);
  }
});
