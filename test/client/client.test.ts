// The Client against a hand-built log, replaying the scenarios of Go's x/mod sumdb client_test.go
// (same key, same records, tile height 2): expected lines, error wording and the fork report come
// from Go's test; evidence is re-checked independently with tlog.checkTree and note.openNote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { concatBytes } from '../../src/internal/bytes.js';
import { GosumdbError } from '../../src/internal/errors.js';
import type { Sha256 } from '../../src/internal/sha256.js';
import {
  Client,
  formatSecurityError,
  memoryOps,
  NotFoundError,
  SecurityError,
  WriteConflictError,
  type ClientOps,
  type MemoryOps,
} from '../../src/client/index.js';
import { newServer, newTestServer, serverRemote, syntheticModule } from '../../src/server/index.js';
import { generateKey, newSigner, newVerifier, openNote, signNote, verifierList, type Signer } from '../../src/note/index.js';
import {
  checkTree,
  formatRecord,
  formatTree,
  newTiles,
  parseRecord,
  parseTree,
  readTileData,
  recordHash,
  storedHashesForRecordHash,
  tilePath,
  treeHash,
  type Hash,
  type HashReader,
} from '../../src/tlog/index.js';

// From x/mod/sumdb/client_test.go.
const testName = 'localhost.localdev/sumdb';
const testVerifierKey = 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6';
const testSignerKey = 'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

// A log and its server files, built like Go's testClient.addRecord / signTree.
class TestLog {
  hashes: Hash[] = [];
  size = 0;
  remote = new Map<string, Uint8Array>();
  readonly reader: HashReader = { readHashes: async (ix) => ix.map((i) => this.hashes[i]!) };
  constructor(
    readonly signer: Signer,
    readonly height = 2,
  ) {}

  async add(key: string, text: string): Promise<void> {
    const id = this.size++;
    const data = enc(text);
    this.hashes.push(...(await storedHashesForRecordHash(id, recordHash(data), this.reader)));
    this.remote.set(`/lookup/${key}`, concatBytes(formatRecord(id, data), await this.signTree(this.size)));
    for (const t of newTiles(this.height, id, this.size)) this.remote.set(`/${tilePath(t)}`, await readTileData(t, this.reader));
  }

  async signTree(n: number): Promise<Uint8Array> {
    return signNote({ text: dec(formatTree({ n, hash: await treeHash(n, this.reader) })) }, this.signer);
  }

  fork(): TestLog {
    const f = new TestLog(this.signer, this.height);
    f.hashes = [...this.hashes];
    f.size = this.size;
    f.remote = new Map(this.remote);
    return f;
  }
}

type Env = { log: TestLog; ops: MemoryOps; client: Client; reads: string[]; net: { ok: boolean; tiles: boolean }; security: string[] };

// A new client over a copy of config and cache, as Go's tc.newClient keeps tc's files.
function newEnv(log: TestLog, config: Map<string, Uint8Array>, options: { noSumDB?: string; cache?: Map<string, Uint8Array> } = {}): Env {
  const reads: string[] = [];
  const security: string[] = [];
  const net = { ok: true, tiles: true };
  const ops = memoryOps({
    key: `${testVerifierKey}\n`,
    remote: async (path) => {
      reads.push(path);
      if (!net.ok) throw new Error(`disallowed remote read ${path}`);
      if (path.includes('/tile/') && !net.tiles) throw new Error(`disallowed remote tile read ${path}`);
      const data = log.remote.get(path);
      if (!data) throw new Error(`no remote path ${path}`);
      return data.slice();
    },
    securityError: (msg) => security.push(msg),
  });
  for (const [k, v] of config) ops.config.set(k, v);
  for (const [k, v] of options.cache ?? []) ops.cache.set(k, v);
  return {
    log,
    ops,
    client: new Client(ops, { tileHeight: log.height, ...(options.noSumDB ? { noSumDB: options.noSumDB } : {}) }),
    reads,
    net,
    security,
  };
}

async function goTestLog(): Promise<{ log: TestLog; config: Map<string, Uint8Array> }> {
  const log = new TestLog(newSigner(testSignerKey));
  await log.add(
    'rsc.io/quote@v1.5.2',
    'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\nrsc.io/quote v1.5.2/go.mod ' +
      'h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=\nrsc.io/quote v1.5.2 h2:xyzzy\n',
  );
  await log.add(
    'golang.org/x/text@v0.0.0-20170915032832-14c0d48ead0c',
    'golang.org/x/text v0.0.0-20170915032832-14c0d48ead0c h1:qgOY6WgZOaTkIIMiVjBQcw93ERBE4m30iBm00nkL0i8=\ngolang.org/x/text ' +
      'v0.0.0-20170915032832-14c0d48ead0c/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=\n',
  );
  await log.add(
    'rsc.io/sampler@v1.3.0',
    'rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=\nrsc.io/sampler v1.3.0/go.mod ' +
      'h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=\n',
  );
  const config = new Map([[`${testName}/latest`, await log.signTree(1)]]);
  await log.add('rsc.io/!quote@v1.5.2', 'rsc.io/Quote v1.5.2 h1:uppercase!=\n');
  return { log, config };
}

function latestSize(env: Env): number {
  return parseTree(enc(dec(env.ops.config.get(`${testName}/latest`)!).split('\n\n')[0]! + '\n')).n;
}

async function mustLookup(env: Env, path: string, version: string, want: string): Promise<void> {
  assert.equal((await env.client.lookup(path, version)).join('\n'), want);
}

test('lookup: verified lines, cached records and tiles, !-escaping (Go TestClientLookup)', async () => {
  const { log, config } = await goTestLog();
  const env = newEnv(log, config);
  await mustLookup(env, 'rsc.io/sampler', 'v1.3.0', 'rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=');
  assert.equal(latestSize(env), 3);

  env.net.ok = false;
  await mustLookup(env, 'rsc.io/sampler', 'v1.3.0', 'rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=');
  await mustLookup(env, 'rsc.io/sampler', 'v1.3.0/go.mod', 'rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=');
  assert.equal(latestSize(env), 3);
  env.net.ok = true;
  env.net.tiles = false;

  await mustLookup(
    env,
    'rsc.io/quote',
    'v1.5.2',
    'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\nrsc.io/quote v1.5.2 h2:xyzzy',
  );
  assert.equal(latestSize(env), 3);

  env.net.tiles = true;
  await mustLookup(env, 'rsc.io/Quote', 'v1.5.2', 'rsc.io/Quote v1.5.2 h1:uppercase!=');
  assert.equal(latestSize(env), 4);

  // A fresh client over the same ops reuses the cache: no network at all.
  env.net.ok = false;
  const again = new Client(env.ops, { tileHeight: 2 });
  assert.deepEqual(await again.lookup('rsc.io/Quote', 'v1.5.2'), ['rsc.io/Quote v1.5.2 h1:uppercase!=']);
});

function flipTiles(log: TestLog): void {
  for (const [path, data] of log.remote)
    if (path.includes('/tile/'))
      log.remote.set(
        path,
        data.map((b) => b ^ 0x80),
      );
}

test('bad tiles are rejected and never cached (Go TestClientBadTiles)', async () => {
  const { log, config } = await goTestLog();
  let env = newEnv(log, config);
  flipTiles(log);
  await assert.rejects(env.client.lookup('rsc.io/sampler', 'v1.3.0'), {
    code: 'ERR_TILE_INCONSISTENT',
    message: /^rsc\.io\/sampler@v1\.3\.0: initializing sumdb\.Client: checking tree#1: downloaded inconsistent tile$/,
  });
  assert.equal([...env.ops.cache.keys()].length, 0);
  flipTiles(log);
  // Unlike Go's client, the same client recovers: unverified tiles are not kept in memory.
  await mustLookup(env, 'rsc.io/sampler', 'v1.3.0', 'rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=');

  env = newEnv(log, env.ops.config, { cache: env.ops.cache });
  flipTiles(log);
  // The cache has the tiles for tree 3 only; tree 4 needs new ones, which are bad.
  await assert.rejects(env.client.lookup('rsc.io/Quote', 'v1.5.2'), {
    code: 'ERR_TILE_INCONSISTENT',
    message: /^rsc\.io\/Quote@v1\.5\.2: checking tree#3 against tree#4: downloaded inconsistent tile$/,
  });
  flipTiles(log);
  await mustLookup(env, 'rsc.io/Quote', 'v1.5.2', 'rsc.io/Quote v1.5.2 h1:uppercase!=');

  // A bad starting tree hash looks like bad tiles.
  const badStart = signNote({ text: dec(formatTree({ n: 1, hash: new Uint8Array(32) })) }, log.signer);
  env = newEnv(log, new Map([[`${testName}/latest`, badStart]]));
  await assert.rejects(env.client.lookup('rsc.io/sampler', 'v1.3.0'), {
    code: 'ERR_TILE_INCONSISTENT',
    message: /initializing sumdb\.Client: checking tree#1: downloaded inconsistent tile$/,
  });
});

test("a fork raises SecurityError with checkable evidence and Go's report (Go TestClientFork)", async () => {
  const { log, config } = await goTestLog();
  const env = newEnv(log, config);
  const log2 = log.fork();
  const env2 = newEnv(log2, config);

  await log.add('rsc.io/pkg1@v1.5.2', 'rsc.io/pkg1 v1.5.2 h1:hash!=\n');
  await log.add('rsc.io/pkg1@v1.5.4', 'rsc.io/pkg1 v1.5.4 h1:hash!=\n');
  await mustLookup(env, 'rsc.io/pkg1', 'v1.5.2', 'rsc.io/pkg1 v1.5.2 h1:hash!=');

  await log2.add('rsc.io/pkg1@v1.5.3', 'rsc.io/pkg1 v1.5.3 h1:hash!=\n');
  await log2.add('rsc.io/pkg1@v1.5.4', 'rsc.io/pkg1 v1.5.4 h1:hash!=\n');
  await mustLookup(env2, 'rsc.io/pkg1', 'v1.5.4', 'rsc.io/pkg1 v1.5.4 h1:hash!=');

  const key = '/lookup/rsc.io/pkg1@v1.5.2';
  log2.remote.set(key, log.remote.get(key)!);
  let caught: unknown;
  await env2.client.lookup('rsc.io/pkg1', 'v1.5.2').catch((e: unknown) => (caught = e));
  assert.ok(caught instanceof SecurityError, String(caught));
  assert.equal(caught.code, 'ERR_SECURITY');
  assert.equal(caught.message, 'rsc.io/pkg1@v1.5.2: security error: misbehaving server');

  // Go's report, from client_test.go (Ed25519 signatures are deterministic, so they match).
  assert.equal(env2.security.length, 1);
  const text = env2.security[0]!;
  for (const want of [
    'SECURITY ERROR',
    'go.sum database server misbehavior detected!',
    'old database:\n\tgo.sum database tree\n\t5\n',
    '— localhost.localdev/sumdb AAAMZ5/2FVAd',
    'new database:\n\tgo.sum database tree\n\t6\n',
    '— localhost.localdev/sumdb AAAMZ6oRNswl',
    'proof of misbehavior:\n\tT7i+H/8ER4nXOiw4Bj0k',
  ]) {
    assert.ok(text.includes(want), `missing ${JSON.stringify(want)} in\n${text}`);
  }
  assert.equal(text, formatSecurityError(caught.evidence));

  // The evidence stands on its own: both notes verify with the key, their trees differ at size 5,
  // and the proof shows the newer tree's own hash for size 5.
  const ev = caught.evidence;
  const verifiers = verifierList(newVerifier(testVerifierKey));
  assert.deepEqual(parseTree(enc(openNote(ev.older.note, verifiers).text)), ev.older.tree);
  assert.deepEqual(parseTree(enc(openNote(ev.newer.note, verifiers).text)), ev.newer.tree);
  assert.equal(ev.older.tree.n, 5);
  assert.equal(ev.newer.tree.n, 6);
  assert.notDeepEqual(ev.olderHashInNewer, ev.older.tree.hash);
  checkTree(ev.proof, ev.newer.tree.n, ev.newer.tree.hash, ev.older.tree.n, ev.olderHashInNewer);
  assert.throws(() => checkTree(ev.proof, ev.newer.tree.n, ev.newer.tree.hash, ev.older.tree.n, ev.older.tree.hash), {
    code: 'ERR_PROOF_INVALID',
  });

  // Fail closed: after a fork nothing more is believed, not even cached answers.
  await assert.rejects(env2.client.lookup('rsc.io/pkg1', 'v1.5.4'), SecurityError);
  await assert.rejects(env2.client.latest(), SecurityError);
});

test('GONOSUMDB patterns skip lookups (Go TestClientGONOSUMDB)', async () => {
  const { log, config } = await goTestLog();
  const env = newEnv(log, config, { noSumDB: 'p,*/q' });
  await env.client.lookup('rsc.io/sampler', 'v1.3.0');
  env.net.ok = false;
  for (const path of ['abc', 'a/p', 'pq', 'q', 'n/o/p/q']) {
    await assert.rejects(env.client.lookup(path, 'v1.0.0'), (e: { code?: string }) => e.code !== 'ERR_SKIPPED', path);
  }
  for (const path of ['p', 'p/x', 'x/q', 'x/q/z']) {
    await assert.rejects(env.client.lookup(path, 'v1.0.0'), { code: 'ERR_SKIPPED', message: 'skipped (listed in GONOSUMDB)' }, path);
  }
});

test('newer x/mod: a trailing slash in a GONOSUMDB pattern is ignored', async () => {
  // x/mod v0.7.0's client matched "corp.example/" against nothing; newer x/mod (module.MatchPrefixPatterns) trims it.
  const { log, config } = await goTestLog();
  const env = newEnv(log, config, { noSumDB: 'corp.example/,other.example/sub/' });
  for (const path of ['corp.example', 'corp.example/x', 'other.example/sub/y']) {
    await assert.rejects(env.client.lookup(path, 'v1.0.0'), { code: 'ERR_SKIPPED' }, path);
  }
  await assert.rejects(env.client.lookup('other.example/x', 'v1.0.0'), (e: { code?: string }) => e.code !== 'ERR_SKIPPED');
});

test('concurrent lookups fetch each record and each tile once', async () => {
  const log = new TestLog(newSigner(testSignerKey), 2);
  for (let i = 0; i < 40; i++) await log.add(`example.com/m${i}@v1.0.0`, `example.com/m${i} v1.0.0 h1:${String(i).padStart(43, 'A')}=\n`);
  const env = newEnv(log, new Map());
  const all = await Promise.all(Array.from({ length: 80 }, (_, k) => env.client.lookup(`example.com/m${k % 40}`, 'v1.0.0')));
  all.forEach((lines, k) => {
    assert.deepEqual(lines, [`example.com/m${k % 40} v1.0.0 h1:${String(k % 40).padStart(43, 'A')}=`]);
  });
  const counts = new Map<string, number>();
  for (const r of env.reads) counts.set(r, (counts.get(r) ?? 0) + 1);
  for (const [path, n] of counts) assert.equal(n, 1, `${path} read ${n} times`);
});

test('record proofs read together still fail one by one', async () => {
  const log = new TestLog(newSigner(testSignerKey), 2);
  for (let i = 0; i < 40; i++) await log.add(`example.com/m${i}@v1.0.0`, `example.com/m${i} v1.0.0 h1:x=\n`);
  const tree40 = await log.signTree(40);
  // Both records come with the same tree, so their proofs are read in one batch.
  for (const i of [1, 30]) {
    const rec = log.remote.get(`/lookup/example.com/m${i}@v1.0.0`)!;
    log.remote.set(`/lookup/example.com/m${i}@v1.0.0`, concatBytes(rec.subarray(0, rec.length - parseRecord(rec).rest.length), tree40));
  }
  // Spoil the level-0 tile of records 28..31 only.
  log.remote.set(
    '/tile/2/0/007',
    log.remote.get('/tile/2/0/007')!.map((b) => b ^ 1),
  );
  const env = newEnv(log, new Map([[`${testName}/latest`, tree40]]));
  const [one, thirty] = await Promise.allSettled([
    env.client.lookup('example.com/m1', 'v1.0.0'),
    env.client.lookup('example.com/m30', 'v1.0.0'),
  ]);
  assert.deepEqual(one, { status: 'fulfilled', value: ['example.com/m1 v1.0.0 h1:x='] });
  assert.equal(thirty.status, 'rejected');
  assert.equal((thirty as PromiseRejectedResult).reason.code, 'ERR_TILE_INCONSISTENT');
});

test('a missing partial tile is read as a prefix of the full tile', async () => {
  const log = new TestLog(newSigner(testSignerKey), 2);
  for (let i = 0; i < 8; i++) await log.add(`example.com/m${i}@v1.0.0`, `example.com/m${i} v1.0.0 h1:x=\n`);
  // The server completed tile 2/0/001 (records 4..7) and dropped its partial versions.
  for (const p of [...log.remote.keys()]) if (p.startsWith('/tile/2/0/001.p/')) log.remote.delete(p);
  const env = newEnv(log, new Map());
  // Record 4 comes with the tree of size 5, which needs tile 2/0/001 at width 1.
  assert.deepEqual(await env.client.lookup('example.com/m4', 'v1.0.0'), ['example.com/m4 v1.0.0 h1:x=']);
  assert.ok(env.reads.includes('/tile/2/0/001.p/1'));
  assert.ok(env.reads.includes('/tile/2/0/001'));
  // Only the verified prefix was cached, under the partial tile's name.
  assert.ok(env.ops.cache.has(`${testName}/tile/2/0/001.p/1`));
  assert.ok(!env.ops.cache.has(`${testName}/tile/2/0/001`));
});

test('a record that does not match the tree is refused and not cached', async () => {
  const { log, config } = await goTestLog();
  const env = newEnv(log, config);
  const good = log.remote.get('/lookup/rsc.io/sampler@v1.3.0')!;
  log.remote.set('/lookup/rsc.io/sampler@v1.3.0', enc(dec(good).replace('h1:7uVk', 'h1:8uVk')));
  await assert.rejects(env.client.lookup('rsc.io/sampler', 'v1.3.0'), {
    code: 'ERR_RECORD_MISMATCH',
    message: 'rsc.io/sampler@v1.3.0: cannot authenticate record data in server response',
  });
  assert.ok(![...env.ops.cache.keys()].some((k) => k.includes('/lookup/')));
});

test('a record beyond the tree it came with is refused', async () => {
  const { log, config } = await goTestLog();
  const env = newEnv(log, config);
  const good = dec(log.remote.get('/lookup/rsc.io/sampler@v1.3.0')!);
  log.remote.set('/lookup/rsc.io/sampler@v1.3.0', enc(good.replace(/^2\n/, '7\n')));
  await assert.rejects(env.client.lookup('rsc.io/sampler', 'v1.3.0'), {
    code: 'ERR_RECORD_NOT_IN_TREE',
    message: /cannot validate record 7 in tree of size 3$/,
  });
});

test('a tree signed by another key is refused', async () => {
  const { log, config } = await goTestLog();
  const env = newEnv(log, config);
  const other = newSigner(generateKey('localhost.localdev/sumdb').skey);
  const rec = log.remote.get('/lookup/rsc.io/sampler@v1.3.0')!;
  const recEnd = rec.length - parseRecord(rec).rest.length;
  const forged = signNote({ text: dec(formatTree({ n: 3, hash: await treeHash(3, log.reader) })) }, other);
  log.remote.set('/lookup/rsc.io/sampler@v1.3.0', concatBytes(rec.subarray(0, recEnd), forged));
  await assert.rejects(env.client.lookup('rsc.io/sampler', 'v1.3.0'), {
    code: 'ERR_NOTE_UNVERIFIED',
    message: /^rsc\.io\/sampler@v1\.3\.0: reading tree note: /,
  });
});

test('not found in the database: NotFoundError with the path@version prefix', async () => {
  const { log, config } = await goTestLog();
  const ops = memoryOps({
    key: testVerifierKey,
    remote: async (path) => {
      const d = log.remote.get(path);
      if (!d) throw new NotFoundError(`reading ${path}: 404 Not Found`);
      return d;
    },
  });
  for (const [k, v] of config) ops.config.set(k, v);
  const client = new Client(ops, { tileHeight: 2 });
  await assert.rejects(client.lookup('example.com/nope', 'v1.0.0'), {
    code: 'ERR_NOT_FOUND',
    message: 'example.com/nope@v1.0.0: reading /lookup/example.com/nope@v1.0.0: 404 Not Found',
  });
  await assert.rejects(client.lookup('Bad Path', 'v1.0.0'), { code: 'ERR_MODULE_PATH_INVALID' });
  await assert.rejects(client.lookup('example.com/m', 'v1.0.0/../x'), { code: 'ERR_MODULE_VERSION_INVALID' });
});

test('latest() fetches, verifies and stores a newer tree; signedTree() reports it', async () => {
  const { log, config } = await goTestLog();
  log.remote.set('/latest', await log.signTree(4));
  const env = newEnv(log, config);
  assert.equal((await env.client.signedTree())?.tree.n, 1);
  const st = await env.client.latest();
  assert.equal(st.tree.n, 4);
  assert.deepEqual(st.tree.hash, await treeHash(4, log.reader));
  assert.equal(latestSize(env), 4);
  assert.deepEqual((await env.client.signedTree())?.note, log.remote.get('/latest'));

  // An older /latest is checked against the trusted tree but changes nothing.
  log.remote.set('/latest', await log.signTree(2));
  assert.equal((await env.client.latest()).tree.n, 4);

  const empty = newEnv(log, new Map());
  assert.equal(await empty.client.signedTree(), undefined);
});

test('writeConfig conflicts are merged and retried, as Go does', async () => {
  const { log, config } = await goTestLog();
  const base = newEnv(log, config);
  let conflicts = 0;
  const tree2 = await log.signTree(2);
  const ops: ClientOps = {
    ...base.ops,
    writeConfig: async (file, old, data) => {
      if (conflicts === 0) {
        // Another process moved the stored tree to size 2 meanwhile.
        conflicts++;
        base.ops.config.set(file, tree2);
        throw new WriteConflictError();
      }
      return base.ops.writeConfig(file, old, data);
    },
  };
  const client = new Client(ops, { tileHeight: 2 });
  await client.lookup('rsc.io/sampler', 'v1.3.0');
  assert.equal(conflicts, 1);
  assert.equal(latestSize(base), 3);
});

test('the caller can abort a lookup; others sharing the fetch still finish', async () => {
  const { log, config } = await goTestLog();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const ops = memoryOps({
    key: testVerifierKey,
    remote: async (path) => {
      await gate;
      return log.remote.get(path)!;
    },
  });
  for (const [k, v] of config) ops.config.set(k, v);
  const client = new Client(ops, { tileHeight: 2 });
  const ac = new AbortController();
  const aborted = client.lookup('rsc.io/sampler', 'v1.3.0', ac.signal);
  const other = client.lookup('rsc.io/sampler', 'v1.3.0/go.mod');
  ac.abort(new Error('cancelled'));
  await assert.rejects(aborted, { message: 'cancelled' });
  release();
  assert.deepEqual(await other, ['rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=']);
});

test('a cache that cannot be written does not fail lookups (as Go ignores WriteCache errors)', async () => {
  const { log, config } = await goTestLog();
  const env = newEnv(log, config);
  const logged: string[] = [];
  const ops: ClientOps = {
    ...env.ops,
    writeCache: async () => {
      throw new Error('disk full');
    },
    log: (m) => logged.push(m),
  };
  const client = new Client(ops, { tileHeight: 2 });
  await mustLookupWith(client, 'rsc.io/sampler', 'v1.3.0', 'rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=');
  assert.ok(logged.some((m) => m.includes('lookup/rsc.io/sampler@v1.3.0') && m.includes('disk full')));
  assert.ok(logged.some((m) => m.includes('tile/') && m.includes('disk full')));
});

async function mustLookupWith(client: Client, path: string, version: string, want: string): Promise<void> {
  assert.equal((await client.lookup(path, version)).join('\n'), want);
}

// A SHA-256 provider over node:crypto (independent of the default noble one) that counts its calls.
function countingSha256(): { calls: { n: number }; sha256: Sha256 } {
  const calls = { n: 0 };
  return {
    calls,
    sha256: {
      hash: (d) => {
        calls.n++;
        return new Uint8Array(createHash('sha256').update(d).digest());
      },
      create: () => assert.fail('the client hashes one-shot'),
    },
  };
}

test('the client hashes with options.sha256, else ops.sha256, with the same verdicts', async () => {
  const { log, config } = await goTestLog();
  const want = 'rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=';
  const fromOptions = countingSha256();
  const fromOps = countingSha256();
  let env = newEnv(log, config);
  const withBoth = new Client({ ...env.ops, sha256: fromOps.sha256 }, { tileHeight: 2, sha256: fromOptions.sha256 });
  assert.equal((await withBoth.lookup('rsc.io/sampler', 'v1.3.0')).join('\n'), want);
  assert.ok(fromOptions.calls.n > 0);
  assert.equal(fromOps.calls.n, 0, 'options.sha256 wins over ops.sha256');

  env = newEnv(log, config);
  const withOps = new Client({ ...env.ops, sha256: fromOps.sha256 }, { tileHeight: 2 });
  assert.equal((await withOps.lookup('rsc.io/sampler', 'v1.3.0')).join('\n'), want);
  assert.ok(fromOps.calls.n > 0);

  // Bad tiles and a record that does not match are still refused with a non-default provider.
  env = newEnv(log, config);
  flipTiles(log);
  await assert.rejects(new Client(env.ops, { tileHeight: 2, sha256: fromOptions.sha256 }).lookup('rsc.io/sampler', 'v1.3.0'), {
    code: 'ERR_TILE_INCONSISTENT',
  });
  flipTiles(log);
  const bad = log.fork();
  const key = '/lookup/rsc.io/sampler@v1.3.0';
  bad.remote.set(key, enc(dec(bad.remote.get(key)!).replace('h1:7uVk', 'h1:8uVk')));
  env = newEnv(bad, config);
  await assert.rejects(new Client(env.ops, { tileHeight: 2, sha256: fromOptions.sha256 }).lookup('rsc.io/sampler', 'v1.3.0'), {
    code: 'ERR_RECORD_MISMATCH',
  });
});

test('caller mistakes are TypeError / RangeError', async () => {
  const ops = memoryOps({ key: testVerifierKey, remote: async () => new Uint8Array() });
  assert.throws(() => new Client(ops, { tileHeight: 0 }), RangeError);
  assert.throws(() => new Client(ops, { concurrency: 0 }), RangeError);
  assert.throws(() => new Client(ops, { sha256: {} as Sha256 }), TypeError);
  assert.throws(() => new Client({ ...ops, sha256: { hash: 'sha256' } as unknown as Sha256 }), TypeError);
  await assert.rejects(new Client(ops).lookup(1 as unknown as string, 'v1.0.0'), TypeError);
});

test('lookup returns lines of the proved record only, never a line the signed note carries after the tree', async () => {
  // Go's client filters the whole answer; a server holding the key could add a line to the note
  // (its parser ignores lines after the tree) that no record of the log holds.
  const { skey, vkey } = generateKey('example.com/sumdb');
  const text = new TextEncoder().encode('example.com/other v1.0.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=\n');
  const tree = { n: 1, hash: recordHash(text) };
  const planted = 'golang.org/x/text v0.3.0 h1:EVILEVILEVILEVILEVILEVILEVILEVILEVILEVILEVI=';
  const note = signNote({ text: `${new TextDecoder().decode(formatTree(tree))}${planted}\n` }, newSigner(skey));
  assert.ok(new TextDecoder().decode(note).includes(planted));
  const files = new Map<string, Uint8Array>([
    ['/lookup/golang.org/x/text@v0.3.0', concatBytes(formatRecord(0, text), note)],
    [`/${tilePath({ h: 8, l: 0, n: 0, w: 1 })}`, tree.hash],
  ]);
  const client = new Client(
    memoryOps({
      key: vkey,
      remote: async (p) => files.get(p) ?? assert.fail(`unexpected ${p}`),
    }),
  );
  assert.deepEqual(await client.lookup('golang.org/x/text', 'v0.3.0'), []);
  files.set('/lookup/example.com/other@v1.0.0', files.get('/lookup/golang.org/x/text@v0.3.0')!);
  assert.deepEqual(await client.lookup('example.com/other', 'v1.0.0'), [new TextDecoder().decode(text).trimEnd()]);
});

test('a signed tree too large to index exactly (above 2^52) is refused with a code, and not kept', async () => {
  const { skey, vkey } = generateKey('example.com/sumdb');
  const hash = 'TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=';
  const noteOf = (n: number) => signNote({ text: `go.sum database tree\n${n}\n${hash}\n` }, newSigner(skey));
  for (const n of [2 ** 52 + 1, Number.MAX_SAFE_INTEGER]) {
    const ops = memoryOps({ key: vkey, remote: async () => noteOf(n) });
    const client = new Client(ops);
    await assert.rejects(client.latest(), (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_TREE_SIZE_UNSAFE');
    assert.equal(await client.signedTree(), undefined);
  }
  // 2^52 itself: its largest stored-hash index is 2^53-1.
  const client = new Client(memoryOps({ key: vkey, remote: async () => noteOf(2 ** 52) }));
  assert.equal((await client.latest()).tree.n, 2 ** 52);
});

test('a fork deep in history, met through a tile kept from the older tree, is a SecurityError with checkable evidence', async () => {
  // Tile height 2: the top partial tile tile/2/2/000.p/1 has the same path in both trees and other
  // content. Verified and kept for the older tree, it contradicts the newer one; read again from
  // the server, the newer tree's tiles prove the fork, in the same client and in the next run.
  const { skey, vkey } = generateKey('example.com/sumdb');
  const a = newTestServer(skey);
  for (let i = 0; i < 20; i++) a.add(syntheticModule(i).path, syntheticModule(i).version, syntheticModule(i).text);
  const b = a.prefix(3);
  for (let i = 100; i < 121; i++) b.add(syntheticModule(i).path, syntheticModule(i).version, syntheticModule(i).text);
  let serving = serverRemote(newServer(a, { name: 'example.com/sumdb' }));
  const remote = (p: string, s?: AbortSignal) => serving(p, s);
  const olderNote = await remote('/latest');
  const ops = memoryOps({ key: vkey, remote });
  const client = new Client(ops, { tileHeight: 2 });
  await client.lookup(syntheticModule(10).path, syntheticModule(10).version);
  assert.ok(ops.cache.has('example.com/sumdb/tile/2/2/000.p/1'));
  serving = serverRemote(newServer(b, { name: 'example.com/sumdb' }));
  const next = memoryOps({ key: vkey, remote, config: Object.fromEntries(ops.config) });
  for (const [k, v] of ops.cache) next.cache.set(k, v);
  for (const c of [client, new Client(next, { tileHeight: 2 })]) {
    const e = await c.lookup(syntheticModule(105).path, syntheticModule(105).version).then(
      () => assert.fail('a fork was accepted'),
      (e: unknown) => e,
    );
    assert.ok(e instanceof SecurityError, String(e));
    const ev = e.evidence;
    assert.deepEqual([ev.older.tree.n, ev.newer.tree.n], [20, 24]);
    assert.deepEqual(ev.older.note, olderNote);
    assert.notDeepEqual(ev.olderHashInNewer, ev.older.tree.hash);
    checkTree(ev.proof, 24, ev.newer.tree.hash, 20, ev.olderHashInNewer);
  }
});

test('a cached tile gone bad is read again from the server and replaced, not blamed on the server', async () => {
  const { skey, vkey } = generateKey('example.com/sumdb');
  const log = newTestServer(skey);
  for (let i = 0; i < 40; i++) log.add(syntheticModule(i).path, syntheticModule(i).version, syntheticModule(i).text);
  const remote = serverRemote(newServer(log, { name: 'example.com/sumdb' }));
  const ops = memoryOps({ key: vkey, remote });
  const m = syntheticModule(7);
  const want = await new Client(ops, { tileHeight: 2 }).lookup(m.path, m.version);
  const tiles = [...ops.cache.keys()].filter((k) => k.includes('/tile/'));
  assert.ok(tiles.length > 1);
  const good = new Map(tiles.map((k) => [k, ops.cache.get(k)!.slice()]));
  // The next run's cache (the go command's, or gosumdb's state) with every tile's first byte flipped.
  const next = memoryOps({ key: vkey, remote, config: Object.fromEntries(ops.config) });
  for (const [k, v] of good)
    next.cache.set(
      k,
      Uint8Array.from(v, (b, i) => (i === 0 ? b ^ 1 : b)),
    );
  assert.deepEqual(await new Client(next, { tileHeight: 2 }).lookup(m.path, m.version), want);
  for (const [k, v] of good) assert.deepEqual(next.cache.get(k), v, k);
});
