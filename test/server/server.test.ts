import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newServer, newTestDatabase, newTestServer, SERVER_PATHS, syntheticModule } from '../../src/server/index.js';
import { generateKey, newVerifier, openNote, verifierList } from '../../src/note/index.js';
import { b64, bytes, concat, leaf, lookupPath, mth, synthetic, text } from './reference.js';

const key = generateKey('sumdb.test');
const N = 13;
const records = Array.from({ length: N }, (_, i) => bytes(synthetic(i).text));
const db = newTestDatabase({ key, synthetic: N });

function treeNote(): string {
  return `go.sum database tree\n${N}\n${b64(mth(records))}\n`;
}

test('SERVER_PATHS are Go sumdb.ServerPaths', () => {
  assert.deepEqual(SERVER_PATHS, ['/lookup/', '/latest', '/tile/']);
});

test('syntheticModule matches its definition (and the Go interop server)', () => {
  for (const i of [0, 1, 5, 7, 70000]) {
    const m = syntheticModule(i);
    const want = synthetic(i);
    assert.equal(m.path, want.path);
    assert.equal(m.version, want.version);
    assert.equal(text(m.text), want.text);
  }
  assert.equal(text(syntheticModule(3, { salt: 'fork ' }).text), synthetic(3, 'fork ').text);
  assert.throws(() => syntheticModule(-1), RangeError);
});

test('/latest is the RFC 6962 tree hash of the records, signed by the key', async () => {
  const res = await db.handle('/latest');
  assert.equal(res.status, 200);
  assert.equal(res.contentType, 'text/plain; charset=UTF-8');
  const note = openNote(res.body, verifierList(newVerifier(key.vkey)));
  assert.equal(note.text, treeNote());
  assert.equal(db.vkey, key.vkey);
  assert.equal(db.name, 'sumdb.test');
});

test('/lookup answers the record with its id, then the signed tree', async () => {
  const latest = (await db.handle('/latest')).body;
  for (const i of [0, 5, 12]) {
    const res = await db.handle(lookupPath(i));
    assert.equal(res.status, 200, lookupPath(i));
    assert.deepEqual(res.body, concat(bytes(`${i}\n${synthetic(i).text}\n`), latest));
  }
});

test('/lookup statuses follow Go: 400 for bad syntax, 404 for unknown, 500 for bad escapes', async () => {
  const cases: [string, number][] = [
    ['/lookup/example.com/m1', 400],
    ['/lookup/example.com/m1@1.0.0', 400],
    ['/lookup/example.com/m1@v1.1', 400],
    ['/lookup/example.com/nope@v1.0.0', 404],
    ['/lookup/example.com/m1@v1.0.1', 404],
    // Upper case is not valid in an escaped path: Go's module.UnescapePath fails, a 500.
    ['/lookup/github.com/Upper5/Pkg@v1.2.5', 500],
  ];
  for (const [path, status] of cases) {
    const res = await db.handle(path);
    assert.equal(res.status, status, path);
    assert.equal(res.contentType, 'text/plain; charset=utf-8', "Go's http.Error");
  }
  assert.equal(text((await db.handle('/lookup/x')).body), 'invalid module@version syntax\n');
});

test('hash tiles hold the stored hashes of their level (tlog tile layout)', async () => {
  const tile = async (path: string) => {
    const res = await db.handle(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.contentType, 'application/octet-stream');
    return res.body;
  };
  // Height 2: level-0 tiles hold 4 record hashes; level-1 tiles hold hashes of 4-record subtrees.
  assert.deepEqual(await tile('/tile/2/0/000'), concat(...records.slice(0, 4).map(leaf)));
  assert.deepEqual(await tile('/tile/2/0/002'), concat(...records.slice(8, 12).map(leaf)));
  assert.deepEqual(await tile('/tile/2/0/003.p/1'), leaf(records[12]!));
  assert.deepEqual(await tile('/tile/2/0/001.p/2'), concat(leaf(records[4]!), leaf(records[5]!)));
  assert.deepEqual(await tile('/tile/2/1/000.p/3'), concat(mth(records, 0, 4), mth(records, 4, 8), mth(records, 8, 12)));
  // Height 3: the level-1 tile of a 13-record log holds the one complete 8-record subtree.
  assert.deepEqual(await tile('/tile/3/1/000.p/1'), mth(records, 0, 8));
});

test('tiles beyond the log are 404, malformed tile paths 400', async () => {
  for (const path of ['/tile/2/0/003', '/tile/2/0/004', '/tile/2/1/000', '/tile/2/data/003']) {
    assert.equal((await db.handle(path)).status, 404, path);
  }
  for (const path of ['/tile/2/0/x', '/tile/', '/tile/2/0/000.p/0', '/tile/2/0/000.p/4']) {
    const res = await db.handle(path);
    assert.equal(res.status, 400, path);
    assert.equal(text(res.body), 'invalid tile syntax\n');
  }
});

test('data tiles hold the record texts without ids, each followed by a blank line', async () => {
  const res = await db.handle('/tile/2/data/001');
  assert.equal(res.status, 200);
  assert.equal(res.contentType, 'text/plain; charset=UTF-8');
  assert.equal(text(res.body), [4, 5, 6, 7].map((i) => `${synthetic(i).text}\n`).join(''));
  assert.equal(text((await db.handle('/tile/2/data/003.p/1')).body), `${synthetic(12).text}\n`);
});

test('proxy paths: /sumdb/<name>/supported and /sumdb/<name>/... for the database name only', async () => {
  const supported = await db.handle('/sumdb/sumdb.test/supported');
  assert.equal(supported.status, 200);
  assert.equal(supported.body.length, 0);
  assert.deepEqual((await db.handle('/sumdb/sumdb.test/latest')).body, (await db.handle('/latest')).body);
  assert.deepEqual((await db.handle(`/sumdb/sumdb.test${lookupPath(3)}`)).body, (await db.handle(lookupPath(3))).body);
  assert.equal((await db.handle('/sumdb/other.test/supported')).status, 404);
  assert.equal((await db.handle('/sumdb/other.test/latest')).status, 404);
  assert.equal((await db.handle('/')).status, 404);
  assert.equal((await db.handle('/latest/')).status, 404);
});

test('newServer without a name serves no proxy paths', async () => {
  const log = newTestServer(key.skey);
  const handle = newServer(log);
  assert.equal((await handle('/sumdb/sumdb.test/supported')).status, 404);
  assert.equal((await handle('/latest')).status, 200);
});

test('an empty log signs the empty tree (SHA-256 of "", newer x/mod)', async () => {
  const handle = newServer(newTestServer(key.skey));
  const note = openNote((await handle('/latest')).body, verifierList(newVerifier(key.vkey)));
  assert.equal(note.text, 'go.sum database tree\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n');
});

test('TestServer: add is idempotent per module version, gosum fills unknown lookups', async () => {
  const calls: string[] = [];
  const log = newTestServer(key.skey, async (path, version) => {
    calls.push(`${path}@${version}`);
    if (path === 'example.com/broken') throw new Error('fetching module: connection refused');
    return bytes(synthetic(1).text);
  });
  assert.equal(log.add('example.com/a', 'v1.0.0', bytes('example.com/a v1.0.0 h1:x=\n')), 0);
  assert.equal(log.add('example.com/a', 'v1.0.0', bytes('example.com/a v1.0.0 h1:other=\n')), 0);
  assert.equal(log.size(), 1);
  const handle = newServer(log);
  const res = await handle(lookupPath(1));
  assert.equal(res.status, 200);
  assert.ok(text(res.body).startsWith(`1\n${synthetic(1).text}\n`));
  assert.equal((await handle(lookupPath(1))).status, 200);
  const broken = await handle('/lookup/example.com/broken@v1.0.0');
  assert.equal(broken.status, 500);
  assert.equal(text(broken.body), 'fetching module: connection refused\n');
  assert.deepEqual(calls, ['example.com/m1@v1.1.1', 'example.com/broken@v1.0.0']);
  assert.equal(log.size(), 2);
  assert.ok(log.has('example.com/m1', 'v1.1.1'));
  assert.deepEqual(
    log.records().map((r) => `${r.path}@${r.version}`),
    ['example.com/a@v1.0.0', 'example.com/m1@v1.1.1'],
  );
});

test('TestServer copies record texts (never keeps the caller buffer)', async () => {
  const log = newTestServer(key.skey);
  const buf = bytes('example.com/a v1.0.0 h1:x=\n');
  log.add('example.com/a', 'v1.0.0', buf);
  buf[0] = 0x58;
  assert.equal(text((await log.readRecords(0, 1))[0]!), 'example.com/a v1.0.0 h1:x=\n');
});

test('a record the log holds but cannot format is a 500, not a crash', async () => {
  const log = newTestServer(key.skey);
  log.add('example.com/a', 'v1.0.0', bytes('no newline at end'));
  const res = await newServer(log)('/lookup/example.com/a@v1.0.0');
  assert.equal(res.status, 500);
  assert.equal(text(res.body), 'malformed record data\n');
});

test('caller mistakes are TypeErrors and RangeErrors', async () => {
  await assert.rejects(db.handle(42 as unknown as string), TypeError);
  assert.throws(() => newTestDatabase({ key, synthetic: -1 }), RangeError);
  assert.throws(() => newTestDatabase({ key, latencyMs: 1.5 }), RangeError);
  assert.throws(() => newTestDatabase({ key, mode: 'evil' as never }), TypeError);
  assert.throws(() => db.log.add('a', 'v1.0.0', 'text' as unknown as Uint8Array), TypeError);
});

test('TestServer.prefix starts another history from the first n records', async () => {
  const log = newTestServer(key.skey);
  for (let i = 0; i < 23; i++) log.add(synthetic(i).path, synthetic(i).version, bytes(synthetic(i).text));
  const verifiers = verifierList(newVerifier(key.vkey));
  const treeOf = async (l: typeof log) => openNote(await l.signed(), verifiers).text.split('\n')[2];
  for (const n of [0, 1, 2, 7, 8, 13, 16, 22, 23]) {
    const other = log.prefix(n);
    assert.equal(other.size(), n);
    assert.equal(await treeOf(other), b64(mth(Array.from({ length: n }, (_, i) => bytes(synthetic(i).text)))), `prefix ${n}`);
    const extra = Array.from({ length: 9 }, (_, j) => bytes(`fork.example/m${j} v1.0.0 h1:x=\n`));
    extra.forEach((t, j) => {
      other.add(`fork.example/m${j}`, 'v1.0.0', t);
    });
    const all = [...Array.from({ length: n }, (_, i) => bytes(synthetic(i).text)), ...extra];
    assert.equal(await treeOf(other), b64(mth(all)), `prefix ${n} grown by 9`);
    assert.deepEqual((await newServer(other)('/tile/2/0/000.p/1')).body, leaf(all[0]!));
  }
  assert.equal(log.size(), 23, 'the original log is unchanged');
  assert.throws(() => log.prefix(24), RangeError);
});
