// monitorLog against the project's test database, in process: an honest log, duplicates far
// apart, malformed records, watched prefixes, a fork between two runs, data tiles that contradict
// their hash tiles, a server that dies mid-sync, --until and a log that grows between runs.
// Expected findings come from how each log was built (which ids were appended), not from a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecurityError } from '../../src/client/index.js';
import { isGosumdbError } from '../../src/internal/errors.js';
import {
  findModuleVersion,
  gossipTrees,
  formatFinding,
  memoryMonitorStore,
  monitorLog,
  type MonitorFinding,
  type MonitorStore,
  type TileHasher,
} from '../../src/monitor/index.js';
import { nodeSha256, workerTileHasher } from '../../src/node/index.js';
import { newTestDatabase, serverRemote, syntheticModule, type TestDatabase } from '../../src/server/index.js';
import { checkTree } from '../../src/tlog/index.js';

const enc = new TextEncoder();

function database(synthetic: number): TestDatabase {
  return newTestDatabase({ synthetic, sha256: nodeSha256 });
}

async function run(
  db: TestDatabase,
  store: MonitorStore,
  more: { watch?: string[]; until?: number; remote?: (p: string) => Promise<Uint8Array>; tileHasher?: TileHasher } = {},
) {
  const found: MonitorFinding[] = [];
  const security: string[] = [];
  const result = await monitorLog({
    key: db.vkey,
    remote: more.remote ?? serverRemote(db.handle),
    store,
    sha256: nodeSha256,
    batch: 4,
    ...(more.watch ? { watch: more.watch } : {}),
    ...(more.until !== undefined ? { until: more.until } : {}),
    ...(more.tileHasher ? { tileHasher: more.tileHasher } : {}),
    onFindings: (fs) => {
      found.push(...fs);
    },
    securityError: (m) => security.push(m),
  });
  return { result, found, security };
}

test('an honest log of 3000 records: every record read, nothing found, nothing re-read', async () => {
  const db = database(3000);
  const store = memoryMonitorStore();
  const first = await run(db, store);
  assert.equal(first.result.records, 3000);
  assert.equal(first.result.tree.tree.n, 3000);
  assert.deepEqual(first.found, []);
  db.resetStats();
  const second = await run(db, store);
  assert.equal(second.result.records, 3000);
  assert.deepEqual(second.found, []);
  assert.equal(db.stats().dataTile, 0, 'a second run with no new records reads no data tile');
});

test('duplicates far apart, for the zip and the go.mod line, are reported with both record ids', async () => {
  const db = database(2500);
  const m3 = syntheticModule(3);
  const m7 = syntheticModule(7);
  const dupBoth = db.log.append(m3.path, m3.version, m3.text);
  const modLine = new TextDecoder().decode(m7.text).split('\n')[1]!;
  const dupMod = db.log.append(m7.path, m7.version, enc.encode(`${modLine}\n`));
  assert.deepEqual([dupBoth, dupMod], [2500, 2501]);
  const { found } = await run(db, memoryMonitorStore());
  assert.deepEqual(found, [
    { kind: 'duplicate', id: 2500, firstId: 3, path: m3.path, version: m3.version, line: 'zip' },
    { kind: 'duplicate', id: 2500, firstId: 3, path: m3.path, version: m3.version, line: 'go.mod' },
    { kind: 'duplicate', id: 2501, firstId: 7, path: m7.path, version: m7.version, line: 'go.mod' },
  ]);
  assert.equal(formatFinding(found[2]!), `duplicate: record 2501 repeats ${m7.path}@${m7.version}/go.mod from record 7`);
});

test('duplicates of many records of one old tile read that tile again once, each record still proved', async () => {
  const db = database(2560); // 10 full tiles
  for (let i = 0; i < 40; i++) {
    const m = syntheticModule(i);
    db.log.append(m.path, m.version, m.text);
  }
  db.resetStats();
  const { found } = await run(db, memoryMonitorStore());
  assert.equal(found.length, 80); // zip and go.mod line of each
  assert.deepEqual(
    found.filter((f) => f.kind === 'duplicate').map((f) => (f.kind === 'duplicate' ? f.firstId : -1)),
    Array.from({ length: 40 }, (_, i) => [i, i]).flat(),
  );
  // 11 tiles of the log, and tile 0 once more for the 40 first records.
  assert.equal(db.stats().dataTile, 12);
});

test('malformed records are reported with a reason and the quoted text; the others still index', async () => {
  const db = database(300);
  const h = 'h1:' + 'A'.repeat(43) + '=';
  const bad = [
    'not a go.sum line\n',
    `example.com/x v1.0 ${h}\n`,
    `example.com/x  v1.0.0 ${h}\n`,
    `example.com/x v1.0.0 ${h}\nexample.com/y v1.0.0/go.mod ${h}\n`,
    `example.com/x v1.0.0 h1:short\n`,
    `Example..com/x v1.0.0 ${h}\n`,
    // Not even record text (Go's server would refuse it), yet signed into this log.
    `example.com/x v1.0.0 ${h}\u0001\n`,
  ];
  // add, unlike append, does not refuse what is not record text.
  const ids = bad.map((t, i) => db.log.add(`bad.example/${i}`, 'v1.0.0', enc.encode(t)));
  const { found } = await run(db, memoryMonitorStore());
  assert.deepEqual(
    found.map((f) => [f.kind, f.id]),
    ids.map((id) => ['malformed', id]),
  );
  for (const f of found) {
    assert.ok(f.kind === 'malformed');
    assert.ok(f.reason.length > 0);
    assert.ok(f.text.startsWith('"'), 'text is quoted');
    assert.ok(!/[\n\r]/.test(formatFinding(f)), 'one line');
  }
  assert.match((found[1] as { reason: string }).reason, /v1\.0/);
  assert.equal((found[6] as { reason: string }).reason, `control character 0x01 at byte ${bad[6]!.length - 2}`);
});

test('--watch reports every record under the prefix, and only those', async () => {
  const db = database(1200);
  const { found } = await run(db, memoryMonitorStore(), { watch: ['github.com/Upper1*', 'example.com/m77'] });
  // syntheticModule(i) is github.com/Upper<i>/Pkg for i % 5 == 0, else example.com/m<i>.
  const want: number[] = [];
  for (let i = 0; i < 1200; i++) if ((i % 5 === 0 && String(i).startsWith('1')) || i === 77) want.push(i);
  assert.deepEqual(
    found.map((f) => f.id),
    want,
  );
  assert.ok(found.every((f) => f.kind === 'watch'));
  const w = found.find((f) => f.id === 77);
  assert.deepEqual(w, { kind: 'watch', id: 77, path: 'example.com/m77', version: 'v1.2.77', pattern: 'example.com/m77' });
});

test('a fork between two runs is a SecurityError with both signed trees and a proof', async () => {
  const db = database(1000);
  const store = memoryMonitorStore();
  const first = await run(db, store);
  db.setMode('fork');
  const e = await run(db, store).then(
    () => assert.fail('the fork went unnoticed'),
    (e: unknown) => e,
  );
  assert.ok(e instanceof SecurityError, String(e));
  const ev = e.evidence;
  assert.equal(ev.older.tree.n, 1000);
  assert.deepEqual(ev.older.note, first.result.tree.note);
  assert.equal(ev.newer.tree.n, 1001);
  assert.notDeepEqual(ev.olderHashInNewer, ev.older.tree.hash);
  checkTree(ev.proof, ev.newer.tree.n, ev.newer.tree.hash, ev.older.tree.n, ev.olderHashInNewer);
  // The stored tree is still the honest one: the fork is reported again, never adopted.
  const again = await run(db, store).catch((x: unknown) => x);
  assert.ok(again instanceof SecurityError);
});

// Hashed in this thread (the default) and in a worker thread (as the CLI does): either way the
// hashes are checked against the signed tree by the monitor.
const hashers = [
  { name: 'in thread', make: () => undefined },
  { name: 'in a worker', make: () => workerTileHasher({ workers: 1 }) },
];

for (const { name, make } of hashers) {
  test(`a data tile that does not match its hash tile stops the run before anything is committed (hashed ${name})`, async () => {
    const db = database(700);
    const hasher = make();
    try {
      const honest = await run(database(700), memoryMonitorStore(), hasher ? { tileHasher: hasher } : {});
      assert.equal(honest.result.records, 700);
      db.setMode('bad-record');
      const store = memoryMonitorStore();
      const e = await run(db, store, hasher ? { tileHasher: hasher } : {}).catch((x: unknown) => x);
      assert.ok(isGosumdbError(e, 'ERR_TILE_INCONSISTENT'), String(e));
      assert.match((e as Error).message, /tile\/8\/data\/000 does not match/);
      assert.equal((await store.load()).checkpoint?.next, 0);
    } finally {
      await hasher?.close();
    }
  });

  test(`a partial data tile that contradicts its level-0 hashes is caught too (hashed ${name})`, async () => {
    const db = database(600);
    const store = memoryMonitorStore();
    // A record text whose leaf hash differs from the log's: served by a remote that rewrites it.
    const honest = serverRemote(db.handle);
    const remote = async (p: string) => {
      const body = await honest(p);
      if (p !== '/tile/8/data/002.p/88') return body;
      const s = new TextDecoder().decode(body).replace('example.com/m513 ', 'example.com/m5130 ');
      return enc.encode(s);
    };
    const hasher = make();
    try {
      const e = await run(db, store, { remote, ...(hasher ? { tileHasher: hasher } : {}) }).catch((x: unknown) => x);
      assert.ok(isGosumdbError(e, 'ERR_TILE_INCONSISTENT'), String(e));
      assert.equal((await store.load()).checkpoint?.next, 0, 'nothing of its batch is committed');
    } finally {
      await hasher?.close();
    }
  });
}

test('a server that dies mid-sync: the next run resumes and reports each finding once', async () => {
  const db = database(5000);
  const m1 = syntheticModule(1);
  db.log.append(m1.path, m1.version, m1.text);
  const store = memoryMonitorStore();
  const honest = serverRemote(db.handle);
  let dataTiles = 0;
  const dying = async (p: string) => {
    if (p.includes('/data/') && ++dataTiles > 10) throw new Error('connection refused');
    return honest(p);
  };
  const watch = ['example.com/m4999', 'example.com/m2'];
  const found: MonitorFinding[] = [];
  const first = await monitorLog({
    key: db.vkey,
    remote: dying,
    store,
    sha256: nodeSha256,
    batch: 4,
    watch,
    onFindings: (fs) => {
      found.push(...fs);
    },
  }).catch((e: unknown) => e);
  assert.match(String(first), /connection refused/);
  const mid = (await store.load()).checkpoint!.next;
  assert.ok(mid > 0 && mid < 5000, `stopped at ${mid}`);
  const rest = await run(db, store, { watch });
  const all = [...found, ...rest.found];
  assert.deepEqual(
    all.map((f) => `${f.kind}:${f.id}`),
    ['watch:2', 'watch:4999', 'duplicate:5000', 'duplicate:5000'],
  );
  assert.equal(rest.result.records, 5001);
});

test('--until stops early; a later run continues from there against a newer tree', async () => {
  const db = database(1000);
  const store = memoryMonitorStore();
  const a = await run(db, store, { until: 300, watch: ['example.com'] });
  assert.equal(a.result.records, 300);
  assert.equal(a.found.length, 240, 'records 1..299 not divisible by 5');
  for (let i = 1000; i < 1100; i++) {
    const m = syntheticModule(i);
    db.log.add(m.path, m.version, m.text);
  }
  const b = await run(db, store, { watch: ['example.com'] });
  assert.equal(b.result.records, 1100);
  assert.equal(b.result.tree.tree.n, 1100);
  assert.equal(b.found.length, 800 - 240 + 80);
  assert.ok(b.found.every((f) => f.id >= 300));
});

test('findModuleVersion: the records that first held each line, proved; a key collision or a lying index is never an answer', async () => {
  const db = database(1000);
  // Record 1000 holds m5's go.mod line again; record 1001 a module version with only a go.mod line.
  const m5 = syntheticModule(5);
  db.log.append(m5.path, m5.version, m5.text);
  db.log.append('only.example/m', 'v1.0.0', enc.encode('only.example/m v1.0.0/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'));
  const store = memoryMonitorStore();
  const empty = await findModuleVersion({ key: db.vkey, remote: serverRemote(db.handle), store, path: m5.path, version: m5.version }).catch(
    (e: unknown) => e,
  );
  assert.ok(isGosumdbError(empty, 'ERR_STATE_EMPTY'), String(empty));
  await run(db, store);
  const find = (path: string, version: string, s: MonitorStore = store) =>
    findModuleVersion({ key: db.vkey, remote: serverRemote(db.handle), store: s, path, version, sha256: nodeSha256 });
  const got = await find(m5.path, m5.version);
  assert.deepEqual([got.indexed, got.zip, got.goMod, got.tree.tree.n], [1002, 5, 5, 1002]);
  const only = await find('only.example/m', 'v1.0.0');
  assert.deepEqual([only.zip, only.goMod], [undefined, 1001]);
  const none = await find('example.com/never', 'v1.0.0');
  assert.deepEqual([none.zip, none.goMod], [undefined, undefined]);
  // An index whose key row belongs to another module version (a collision) finds nothing...
  const colliding: MonitorStore = { ...store, find: async () => ({ byKey: { zip: 7, mod: 7 } }) };
  const other = await find(m5.path, m5.version, colliding);
  assert.deepEqual([other.zip, other.goMod], [undefined, undefined]);
  // ...and one that names a record not holding the module version is an error, not an answer.
  const lying: MonitorStore = { ...store, find: async () => ({ byText: { zip: 7, mod: 5 } }) };
  const e = await find(m5.path, m5.version, lying).catch((e: unknown) => e);
  assert.ok(isGosumdbError(e, 'ERR_STATE_CORRUPT'), String(e));
  assert.ok(String(e).includes(`record 7 does not hold ${m5.path}@${m5.version}`), String(e));
  // A candidate that is a malformed record of the log is no answer either (not a bad tile: it is proved).
  db.log.append('bad.example/x', 'v1.0.0', enc.encode('bad.example/x v1.0.0\n'));
  const grown = memoryMonitorStore();
  await run(db, grown);
  const toBad: MonitorStore = { ...grown, find: async () => ({ byKey: { zip: 1002, mod: 1002 } }) };
  const bad = await find(m5.path, m5.version, toBad);
  assert.deepEqual([bad.zip, bad.goMod], [undefined, undefined]);
  const e2 = await find(m5.path, m5.version, { ...grown, find: async () => ({ byText: { zip: 1002, mod: -1 } }) }).catch((e: unknown) => e);
  assert.ok(isGosumdbError(e2, 'ERR_STATE_CORRUPT'), String(e2));
});

test('gossip: tiles of the database that contradict a tree its key signed for a peer end the check (not a peer error)', async () => {
  const db = database(1000);
  const remote = serverRemote(db.handle);
  db.setMode('fork');
  const forked = await remote('/latest'); // tree#1001 of another history, signed by the key
  db.setMode('honest');
  const { result } = await run(db, memoryMonitorStore());
  const m = syntheticModule(5000);
  db.log.add(m.path, m.version, m.text); // the database's own tree#1001, whose tiles we are served
  await assert.rejects(
    gossipTrees(result.tree, [{ name: 'peer', read: async () => forked }], { key: db.vkey, remote, sha256: nodeSha256 }),
    (e: unknown) => isGosumdbError(e, 'ERR_TILE_INCONSISTENT') && /^gossip peer peer: /.test((e as Error).message),
  );
  // A peer whose note the key did not sign is that peer's problem: the others go on.
  const [bad] = await gossipTrees(result.tree, [{ name: 'peer', read: async () => enc.encode('not a note') }], { key: db.vkey, remote });
  assert.equal(bad?.error?.code, 'ERR_NOTE_MALFORMED');
});
