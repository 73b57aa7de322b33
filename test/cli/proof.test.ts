// A failed proof is never swallowed, and gets the same verdict in every command (issue #11 §2):
// audit, lookup and verify-modcache --check-db against test databases on 127.0.0.1 that serve
// tiles, records or a /latest signature that contradict what the database signed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { syntheticModule } from '../../src/server/index.js';
import { cachedModuleWorld, cli, world } from './world.js';
import { writeFile } from '../helpers/files.js';

// go.sum lines of the synthetic modules i in ids, as the test database holds them.
function syntheticSum(ids: readonly number[]): string {
  return ids.map((i) => new TextDecoder().decode(syntheticModule(i).text)).join('');
}

// The record for go.sum line text: "path version" of its first line.
function firstModule(sum: string): string {
  const [path, version] = sum.split('\n')[0]!.split(' ') as [string, string];
  return `${path}@${version.replace('/go.mod', '')}`;
}

// A signed note with one base64 character of its signature changed: same key name and hash,
// a signature that does not verify (Ed25519 over the same text).
function corruptSignature(note: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(note);
  const sigLine = text.lastIndexOf('\n\u2014 ') + 1;
  const at = text.length - 10;
  assert.ok(at > sigLine);
  const c = text[at] === 'A' ? 'B' : 'A';
  return new TextEncoder().encode(text.slice(0, at) + c + text.slice(at + 1));
}

test('audit: a latest tree whose tiles contradict it is reported and exits 3, though every line is answered from the cache', async () => {
  const w = await world({ synthetic: 300 });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1, 2, 3]));
    assert.equal((await cli(['audit', '--write-cache'], w.env, w.tmp)).code, 0);
    // The database moves on and serves tiles that contradict its new tree; the lookups and the
    // tiles that prove them against the remembered tree are all in the go command's cache.
    for (let i = 300; i < 310; i++) w.db.log.add(syntheticModule(i).path, syntheticModule(i).version, syntheticModule(i).text);
    w.db.setMode('bad-tile');
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /^6 go\.sum lines in go\.sum: 6 ok$/m);
    assert.match(r.stdout, /^the latest signed tree of sumdb\.test did not verify: .*ERR_TILE_INCONSISTENT/m);
    const doc = JSON.parse((await cli(['audit', '--json'], w.env, w.tmp)).stdout);
    assert.equal(doc.exitCode, 3);
    assert.equal(doc.latestError.errorCode, 'ERR_TILE_INCONSISTENT');
    assert.match(doc.latestError.diagnosis, /tree #300/);
    assert.notEqual(doc.latestError.remedy, '');
  } finally {
    await w.close();
  }
});

test('audit: a /latest not signed by the trusted key exits 3 when the lines come from the cache (verify-note says 3 for it)', async () => {
  const w = await world({
    synthetic: 300,
    wrap: (handle) => async (path, signal) => {
      const res = await handle(path, signal);
      return path === '/latest' ? { ...res, body: corruptSignature(res.body) } : res;
    },
  });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1, 2, 3]));
    // Answered by the database, the lookups bring its signed tree: /latest is not asked for, as in Go.
    assert.equal((await cli(['audit', '--write-cache'], w.env, w.tmp)).code, 0);
    // Answered from the cache, they bring none: /latest is, and its bad signature is not swallowed.
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /^the latest signed tree of sumdb\.test did not verify: .*ERR_NOTE_INVALID_SIGNATURE/m);
    writeFile(join(w.tmp, 'latest'), corruptSignature((await w.db.handle('/latest')).body));
    assert.equal((await cli(['verify-note', '--key', w.db.vkey, 'latest'], w.env, w.tmp)).code, 3);
  } finally {
    await w.close();
  }
});

test('audit: a /latest that cannot be fetched is reported once and exits 1, not 0, when the lines come from the cache', async () => {
  const w = await world({
    synthetic: 300,
    wrap: (handle) => async (path, signal) =>
      path === '/latest'
        ? { status: 500, contentType: 'text/plain; charset=utf-8', body: new TextEncoder().encode('down\n') }
        : handle(path, signal),
  });
  try {
    writeFile(join(w.tmp, 'go.sum'), syntheticSum([1, 2, 3]));
    // The database answers the lookups with its signed tree: no /latest, so nothing to report.
    assert.equal((await cli(['audit', '--write-cache'], w.env, w.tmp)).code, 0);
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^6 go\.sum lines in go\.sum: 6 ok$/m);
    assert.equal(r.stdout.match(/^the latest signed tree of sumdb\.test could not be read: /gm)?.length, 1);
  } finally {
    await w.close();
  }
});

test('a tile that contradicts the signed tree: lookup exits 3 as audit does, and claims no proof', async () => {
  const w = await world({ synthetic: 300, mode: 'bad-tile' });
  try {
    const sum = syntheticSum([5]);
    writeFile(join(w.tmp, 'go.sum'), sum);
    assert.equal((await cli(['audit'], w.env, w.tmp)).code, 3);
    const r = await cli(['lookup', firstModule(sum)], w.env, w.tmp);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /ERR_TILE_INCONSISTENT|inconsistent tile/);
    assert.doesNotMatch(r.stderr, /^proved against/m);
    assert.match(r.stderr, /^no (module version could be proved against|signed tree of) sumdb\.test/m);
    assert.equal(r.stdout, '');
  } finally {
    await w.close();
  }
});

test('a record that contradicts its tile (bad-record) is a proof failure: exit 3 in audit and lookup', async () => {
  const w = await world({ synthetic: 300, mode: 'bad-record' });
  try {
    const sum = syntheticSum([7, 8]);
    writeFile(join(w.tmp, 'go.sum'), sum);
    const a = await cli(['audit', '--json'], w.env, w.tmp);
    assert.equal(a.code, 3, a.stdout);
    assert.equal(JSON.parse(a.stdout).entries[0].errorCode, 'ERR_RECORD_MISMATCH');
    const l = await cli(['lookup', firstModule(sum)], w.env, w.tmp);
    assert.equal(l.code, 3, l.stderr);
    assert.match(l.stderr, /cannot authenticate record data/);
  } finally {
    await w.close();
  }
});

test('verify-modcache --check-db: a tile that contradicts the signed tree exits 3', async () => {
  const { w } = await cachedModuleWorld({ synthetic: 10, mode: 'bad-tile' });
  try {
    const r = await cli(['verify-modcache', 'modcache', '--check-db'], w.env, w.tmp);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    w.db.setMode('honest');
    assert.equal((await cli(['verify-modcache', 'modcache', '--check-db'], w.env, w.tmp)).code, 0);
  } finally {
    await w.close();
  }
});
