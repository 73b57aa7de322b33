// probeSumDBAccess: the network half of doctor, against test databases on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeSumDBAccess, type DoctorFinding } from '../../src/gosum/index.js';
import { resolveSumDB, sumdbRemote } from '../../src/client/index.js';
import { newTestDatabase } from '../../src/server/index.js';
import { httpTransport, startServer } from '../../src/node/index.js';

const codes = (fs: DoctorFinding[]) => fs.map((f) => `${f.level} ${f.code} ${f.variable}`);

test('probeSumDBAccess over HTTP on 127.0.0.1: the proxy list walked as the go command walks it', async () => {
  const db = newTestDatabase({ synthetic: 3 });
  const server = await startServer(db.handle);
  // A port nothing listens on: bind one, note it, close it.
  const closed = await startServer(db.handle);
  const deadURL = closed.url;
  await closed.close();
  const get = httpTransport({ retries: 0, timeoutMs: 5000 });
  try {
    const via = await probeSumDBAccess(resolveSumDB({ GOSUMDB: db.vkey, GOPROXY: `${server.url}/nowhere,${server.url},direct` }), get);
    assert.deepEqual(codes(via), ['info sumdb-not-proxied GOPROXY', 'info sumdb-via-proxy GOPROXY', 'info sumdb-reachable GOSUMDB']);
    assert.ok(via[2]!.message.startsWith(`${server.url}/sumdb/${db.name}/latest`));

    const direct = await probeSumDBAccess(resolveSumDB({ GOSUMDB: `${db.vkey} ${server.url}`, GOPROXY: `${deadURL},direct` }), get);
    assert.deepEqual(codes(direct), ['info sumdb-reachable GOSUMDB'], 'an explicit GOSUMDB URL bypasses the proxies');

    const stops = await probeSumDBAccess(resolveSumDB({ GOSUMDB: db.vkey, GOPROXY: `${deadURL},${server.url},direct` }), get);
    assert.deepEqual(codes(stops), ['warning proxy-unreachable GOPROXY'], 'a failing proxy followed by "," ends the walk');

    const pipe = await probeSumDBAccess(resolveSumDB({ GOSUMDB: db.vkey, GOPROXY: `${deadURL}|${server.url}` }), get);
    assert.deepEqual(codes(pipe), ['warning proxy-unreachable GOPROXY', 'info sumdb-via-proxy GOPROXY', 'info sumdb-reachable GOSUMDB']);

    // After a "|" failure, "off" or a proxy without the database is no way through: the go
    // command reports the failure (TryProxies' ranking; "direct" would go on). Nothing direct is asked.
    const asked: string[] = [];
    const logged = async (url: string, s?: AbortSignal) => {
      asked.push(url);
      return get(url, s);
    };
    for (const rest of ['off', `${server.url}/nowhere`]) {
      asked.length = 0;
      const cut = await probeSumDBAccess(resolveSumDB({ GOSUMDB: db.vkey, GOPROXY: `${deadURL}|${rest}` }), logged);
      assert.deepEqual(codes(cut).slice(-1), ['error sumdb-unreachable GOPROXY'], rest);
      assert.match(cut.at(-1)!.message, new RegExp(`reports ${deadURL}/sumdb/`));
      assert.ok(!asked.some((u) => u.endsWith('/latest')), asked.join(' '));
    }

    const down = await probeSumDBAccess(resolveSumDB({ GOSUMDB: `${db.vkey} ${deadURL}`, GOPROXY: 'off' }), get);
    assert.deepEqual(codes(down), ['error sumdb-unreachable GOSUMDB']);
    assert.deepEqual(await probeSumDBAccess(resolveSumDB({ GOSUMDB: 'off' }), get), []);
  } finally {
    await server.close();
  }
});

test('probeSumDBAccess asks the URLs the client reads (one URL joiner: a query or upper-case host stays right)', async () => {
  const env = { GOPROXY: 'https://Proxy.Example.com/base/?token=1,direct' };
  const asked = async (probe: (get: (url: string) => Promise<Uint8Array>) => Promise<unknown>) => {
    const seen: string[] = [];
    await probe(async (url) => {
      seen.push(url);
      return new TextEncoder().encode('ok');
    });
    return seen;
  };
  const byDoctor = await asked((get) => probeSumDBAccess(resolveSumDB(env), get));
  const byClient = await asked((get) => sumdbRemote(resolveSumDB(env), get)('/latest'));
  // Independent expectation: WHATWG URL rules (lower-case host, the query kept after the path).
  assert.deepEqual(byDoctor, [
    'https://proxy.example.com/base/sumdb/sum.golang.org/supported?token=1',
    'https://proxy.example.com/base/sumdb/sum.golang.org/latest?token=1',
  ]);
  assert.deepEqual(byDoctor, byClient);
});
