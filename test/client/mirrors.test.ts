// checkMirrors and mirrorRemote over test databases (gosumdb/server) called in-process through
// serverRemote: honest copies agree, a fork between two endpoints is a SecurityError whose
// evidence tlog.checkTree accepts independently, unreadable endpoints are reported, not fatal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMirrors, mirrorRemote, NotFoundError, SecurityError, type MirrorEndpoint } from '../../src/client/index.js';
import { generateKey } from '../../src/note/index.js';
import { newTestDatabase, serverRemote, type TestDatabase } from '../../src/server/index.js';
import { checkTree } from '../../src/tlog/index.js';
import { GosumdbError } from '../../src/internal/errors.js';
import { nodeSha256 } from '../../src/node/index.js';

const key = generateKey('mirrors.test');

function endpoint(name: string, db: TestDatabase): MirrorEndpoint {
  return { name, read: serverRemote(db.handle) };
}

test('copies of one history agree, whatever their sizes; the largest is named', async () => {
  const a = newTestDatabase({ key, synthetic: 300 });
  const b = newTestDatabase({ key, synthetic: 1000 });
  const c = newTestDatabase({ key, synthetic: 1000 });
  const report = await checkMirrors([endpoint('a', a), endpoint('b', b), endpoint('c', c)], key.vkey);
  assert.deepEqual(
    report.endpoints.map((r) => [r.name, r.tree?.tree.n]),
    [
      ['a', 300],
      ['b', 1000],
      ['c', 1000],
    ],
  );
  assert.equal(report.largest?.tree.n, 1000);
  assert.equal(report.largestFrom, 'b');
});

test('a fork between two endpoints is a SecurityError with evidence that checks out independently', async () => {
  const honest = newTestDatabase({ key, synthetic: 500 });
  const forked = newTestDatabase({ key, synthetic: 500, mode: 'fork' });
  const reports: string[] = [];
  await assert.rejects(
    checkMirrors([endpoint('honest', honest), endpoint('forked', forked)], key.vkey, { securityError: (m) => reports.push(m) }),
    (e: unknown) => {
      assert.ok(e instanceof SecurityError);
      assert.equal(e.code, 'ERR_SECURITY');
      assert.match(e.message, /honest \(tree#500\) and forked \(tree#501\) serve inconsistent histories of mirrors\.test/);
      const ev = e.evidence;
      assert.equal(ev.older.tree.n, 500);
      assert.equal(ev.newer.tree.n, 501);
      assert.notDeepEqual(ev.olderHashInNewer, ev.older.tree.hash);
      // The proof shows the newer tree contains another 500-record tree than the signed older one.
      checkTree(ev.proof, ev.newer.tree.n, ev.newer.tree.hash, ev.older.tree.n, ev.olderHashInNewer);
      assert.throws(() => checkTree(ev.proof, ev.newer.tree.n, ev.newer.tree.hash, ev.older.tree.n, ev.older.tree.hash));
      return true;
    },
  );
  assert.equal(reports.length, 1);
  assert.match(
    reports[0]!,
    /^SECURITY ERROR\ngo\.sum database server misbehavior detected!\n\nold database:\n\tgo\.sum database tree\n\t500\n/,
  );
});

test('two trees of the same size with different hashes are a fork', async () => {
  const honest = newTestDatabase({ key, synthetic: 20 });
  const other = newTestDatabase({
    key,
    records: [{ path: 'example.com/x', version: 'v1.0.0', text: 'example.com/x v1.0.0 h1:x\n' }],
    synthetic: 19,
  });
  await assert.rejects(checkMirrors([endpoint('a', honest), endpoint('b', other)], key.vkey), (e: unknown) => {
    assert.ok(e instanceof SecurityError);
    assert.equal(e.evidence.older.tree.n, 20);
    assert.equal(e.evidence.newer.tree.n, 20);
    assert.deepEqual(e.evidence.proof, []);
    return true;
  });
});

test('endpoints that cannot be read or sign with another key are reported, the rest still compared', async () => {
  const honest = newTestDatabase({ key, synthetic: 50 });
  const stranger = newTestDatabase({ name: 'mirrors.test', synthetic: 50 });
  const down: MirrorEndpoint = {
    name: 'down',
    read: async () => {
      throw new GosumdbError('ERR_NETWORK', 'connection refused');
    },
  };
  const report = await checkMirrors([endpoint('honest', honest), down, endpoint('stranger', stranger)], key.vkey);
  assert.equal(report.endpoints[0]!.tree?.tree.n, 50);
  assert.equal(report.endpoints[1]!.error?.code, 'ERR_NETWORK');
  assert.match(report.endpoints[1]!.error!.message, /^down: reading latest tree: connection refused/);
  // Same name, another key: its signature is by no key we know, as Go's note.Open says.
  assert.equal(report.endpoints[2]!.error?.code, 'ERR_NOTE_UNVERIFIED');
  assert.equal(report.largestFrom, 'honest');
});

test('tiles that contradict the largest signed tree are rejected, never used as proof', async () => {
  const small = newTestDatabase({ key, synthetic: 100 });
  const big = newTestDatabase({ key, synthetic: 400, mode: 'bad-tile' });
  await assert.rejects(checkMirrors([endpoint('small', small), endpoint('big', big)], key.vkey), (e: unknown) => {
    assert.ok(e instanceof GosumdbError && !(e instanceof SecurityError));
    assert.equal(e.code, 'ERR_TILE_INCONSISTENT');
    assert.match(e.message, /^checking small tree#100 against big tree#400: /);
    return true;
  });
});

test('bad arguments are TypeError / RangeError; a bad key is ERR_KEY_MALFORMED', async () => {
  await assert.rejects(checkMirrors('x' as never, key.vkey), TypeError);
  await assert.rejects(checkMirrors([], key.vkey, { tileHeight: 0 }), RangeError);
  await assert.rejects(checkMirrors([], 'bogus'), (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_KEY_MALFORMED');
  const none = await checkMirrors([], key.vkey);
  assert.equal(none.largest, undefined);
});

test('mirrorRemote reads through <url>/sumdb/<name>/ when the proxy serves it, else from <url> itself', async () => {
  const db = newTestDatabase({ key, synthetic: 5 });
  const handler = serverRemote(db.handle);
  const seen: string[] = [];
  const viaProxy = mirrorRemote('http://proxy.invalid/base/', 'mirrors.test', async (url) => {
    seen.push(url);
    return handler(new URL(url).pathname.replace('/base', ''));
  });
  const latest = new TextDecoder().decode(await viaProxy('/latest'));
  assert.match(latest, /^go\.sum database tree\n5\n/);
  assert.deepEqual(seen, ['http://proxy.invalid/base/sumdb/mirrors.test/supported', 'http://proxy.invalid/base/sumdb/mirrors.test/latest']);
  seen.length = 0;
  const direct = mirrorRemote('http://db.invalid', 'mirrors.test', async (url) => {
    seen.push(url);
    if (url.endsWith('/supported')) throw new NotFoundError('404');
    return new Uint8Array([1]);
  });
  await direct('/latest');
  await direct('/tile/8/0/000');
  assert.deepEqual(seen, ['http://db.invalid/sumdb/mirrors.test/supported', 'http://db.invalid/latest', 'http://db.invalid/tile/8/0/000']);
  const failing = mirrorRemote('http://down.invalid', 'mirrors.test', async () => {
    throw new GosumdbError('ERR_NETWORK', 'refused');
  });
  await assert.rejects(failing('/latest'), (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_NETWORK');
});

test('a partial tile the endpoint no longer serves is cut from the full tile, which is verified all the same', async () => {
  const small = newTestDatabase({ key, synthetic: 300 });
  const signed600 = newTestDatabase({ key, synthetic: 600 });
  // Past 65 536 records, so that the level-1 tile holding tree #600's hashes is full too; hashed
  // natively, as 70 000 records take seconds with the portable SHA-256.
  const grown = newTestDatabase({ key, synthetic: 70_000, sha256: nodeSha256 });
  const partials: string[] = [];
  const fromGrown = serverRemote(grown.handle);
  const latest600 = serverRemote(signed600.handle);
  // A mirror whose latest tree is #600 but whose tiles come from a log that has grown since.
  const mirror: MirrorEndpoint = {
    name: 'mirror',
    read: async (path) => {
      if (path === '/latest') return latest600(path);
      if (path.includes('.p/')) {
        partials.push(path);
        throw new NotFoundError(`reading ${path}: 404 Not Found`);
      }
      return fromGrown(path);
    },
  };
  const report = await checkMirrors([endpoint('small', small), mirror], key.vkey);
  assert.equal(report.largestFrom, 'mirror');
  assert.equal(report.largest?.tree.n, 600);
  assert.ok(partials.length > 0);
  // The same mirror with a forked grown log is caught: its full tiles do not match tree #600.
  const forkedGrown = newTestDatabase({
    key,
    records: [{ path: 'example.com/x', version: 'v1.0.0', text: 'example.com/x v1.0.0 h1:x\n' }],
    synthetic: 70_000,
    sha256: nodeSha256,
  });
  const lying: MirrorEndpoint = {
    name: 'lying',
    read: async (path) =>
      path === '/latest'
        ? latest600(path)
        : path.includes('.p/')
          ? Promise.reject(new NotFoundError('404'))
          : serverRemote(forkedGrown.handle)(path),
  };
  await assert.rejects(
    checkMirrors([endpoint('small', small), lying], key.vkey),
    (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_TILE_INCONSISTENT',
  );
});

test('mirrorRemote refuses URLs that are not http(s):// or file://', () => {
  for (const url of ['ftp://x', 'proxy.example', '', 'http://[bad']) {
    assert.throws(
      () => mirrorRemote(url, 'mirrors.test', async () => new Uint8Array()),
      (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_MIRROR_URL_INVALID',
      url,
    );
  }
});
