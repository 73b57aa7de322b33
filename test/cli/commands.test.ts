// lookup, mirrors, doctor, verify-modcache and --help end to end, in-process through runCli and
// once as a real child process, against test databases on 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateKey } from '../../src/note/index.js';
import { newTestDatabase } from '../../src/server/index.js';
import { startServer } from '../../src/node/index.js';
import { cachedModuleWorld, cli, gosumdb, world } from './world.js';
import { writeFile } from '../helpers/files.js';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures/gosum');
const prometheus = readFileSync(join(fixtures, 'prometheus.go.sum'), 'utf8');
const lines = prometheus.trimEnd().split('\n');

test('lookup: a proved record without the line asked for is not found (exit 1), never an empty success', async () => {
  // The server answers for example.com/victim with a genuine record of another module: it proves
  // against the signed tree, and holds no line for the version asked.
  const w = await world({
    synthetic: 20,
    wrap: (handle) => (path, signal) =>
      handle(path.startsWith('/lookup/example.com/victim@') ? '/lookup/example.com/m3@v1.0.3' : path, signal),
  });
  try {
    const r = await cli(['lookup', '--no-state', 'example.com/victim@v1.2.3'], w.env, w.tmp);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /example\.com\/victim@v1\.2\.3: the database's record holds no line for it/);
    assert.equal((await cli(['lookup', '--no-state', 'example.com/m3@v1.0.3'], w.env, w.tmp)).code, 0);
    // A state directory that cannot be one is a usage error up front, not an error per lookup.
    writeFileSync(join(w.tmp, 'afile'), 'x');
    for (const state of ['afile', 'afile/sub']) {
      const r2 = await cli(['lookup', '--state', state, 'example.com/m3@v1.0.3'], w.env, w.tmp);
      assert.equal(r2.code, 2, r2.stderr);
      assert.match(r2.stderr, /state directory .*afile/);
    }
  } finally {
    await w.close();
  }
});

test('lookup prints the verified go.sum lines the fixture has for a module version', async () => {
  const w = await world({ gosum: prometheus });
  try {
    const zipLine = lines.find((l) => !l.includes('/go.mod '))!;
    const [path, version] = zipLine.split(' ') as [string, string];
    const want = lines.filter((l) => l.startsWith(`${path} ${version} `) || l.startsWith(`${path} ${version}/go.mod `));
    const r = await cli(['lookup', `${path}@${version}`], w.env, w.tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), want);
    assert.match(r.stderr, /^proved against sumdb\.test tree #258 /m);
    const missing = await cli(['lookup', 'example.com/none@v1.0.0', `${path}@${version}`], w.env, w.tmp);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /example\.com\/none@v1\.0\.0: .*404 Not Found/);
    assert.deepEqual(missing.stdout.trimEnd().split('\n'), want);
    const skipped = await cli(['lookup', `${path}@${version}`], { ...w.env, GONOSUMDB: path }, w.tmp);
    assert.equal(skipped.code, 1);
    assert.match(skipped.stderr, /matches GONOSUMDB\/GOPRIVATE/);
    assert.equal((await cli(['lookup', 'nonsense'], w.env, w.tmp)).code, 2);
    assert.equal((await cli(['lookup'], w.env, w.tmp)).code, 2);
  } finally {
    await w.close();
  }
});

test('lookup after a fork: exit 3 with the SECURITY ERROR report', async () => {
  const w = await world({ gosum: prometheus });
  try {
    const [path, version] = lines[0]!.split(' ') as [string, string];
    const v = version.replace('/go.mod', '');
    assert.equal((await cli(['lookup', '--write-cache', `${path}@${v}`], w.env, w.tmp)).code, 0);
    w.db.setMode('fork');
    const last = w.db.log.records().at(-1)!;
    const r = await cli(['lookup', `${last.path}@${last.version}`], w.env, w.tmp);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /SECURITY ERROR/);
  } finally {
    await w.close();
  }
});

test('mirrors: agreeing servers exit 0, a forked one exits 3 with evidence, an unreachable one exits 1', async () => {
  const key = generateKey('sumdb.test');
  const honest = newTestDatabase({ key, synthetic: 600 });
  const copy = newTestDatabase({ key, synthetic: 300 });
  const forked = newTestDatabase({ key, synthetic: 600, mode: 'fork' });
  const servers = await Promise.all([honest, copy, forked].map((db) => startServer(db.handle)));
  const down = await startServer(async () => ({ status: 500, contentType: 'text/plain', body: new Uint8Array() }));
  await down.close();
  // The honest database's signed tree with one character of its signature changed.
  const forged = await startServer(async (path, signal) => {
    const r = await honest.handle(path, signal);
    if (!path.endsWith('/latest')) return r;
    const text = new TextDecoder().decode(r.body);
    const at = text.length - 10; // inside the signature, past the key hash
    return { ...r, body: new TextEncoder().encode(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)) };
  });
  servers.push(forged);
  const env = {
    HOME: '/nonexistent',
    PATH: '',
    NO_COLOR: '1',
    GOSUMDB: key.vkey,
    GOSUMDB_STATE: mkdtempSync(join(tmpdir(), 'gosumdb-state-')),
  };
  try {
    const [h, c, f] = servers.map((s) => s.url) as [string, string, string];
    const ok = await cli(['mirrors', h, c], env, '/');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^ok {5}http:\/\/127\.0\.0\.1:\d+: tree #600 /m);
    assert.match(ok.stdout, /^ok {5}http:\/\/127\.0\.0\.1:\d+: tree #300 /m);
    assert.match(ok.stdout, /^2 of 2 endpoints serve signed trees consistent with tree #600 from /m);
    const json = JSON.parse((await cli(['mirrors', '--json', c, h], env, '/')).stdout);
    assert.equal(json.largest.n, 600);
    assert.equal(json.largestFrom, h);
    const fork = await cli(['mirrors', h, f], env, '/');
    assert.equal(fork.code, 3);
    assert.match(fork.stderr, /^SECURITY ERROR\n/);
    assert.match(fork.stderr, /serve inconsistent histories of sumdb\.test/);
    // --json: a document on exit 3 too, with the evidence.
    const forkJson = await cli(['mirrors', '--json', h, f], env, '/');
    assert.equal(forkJson.code, 3);
    const fj = JSON.parse(forkJson.stdout);
    assert.deepEqual(
      [fj.schema, fj.consistent, fj.exitCode, fj.security.older.n, fj.security.newer.n],
      ['gosumdb/mirrors', false, 3, 600, 601],
    ); // the fork mode serves one more record
    const partial = await cli(['mirrors', '--sumdb', key.vkey, h, down.url], { ...env, GOSUMDB: '' }, '/');
    assert.equal(partial.code, 1);
    assert.match(partial.stdout, /^error {2}http:\/\/127\.0\.0\.1:\d+: reading latest tree: /m);
    const none = JSON.parse((await cli(['mirrors', '--json', '--sumdb', key.vkey, down.url], { ...env, GOSUMDB: '' }, '/')).stdout);
    assert.deepEqual([none.consistent, none.exitCode, none.largest], [false, 1, null]);
    // A tree whose signature by the key is invalid: the endpoint lies (exit 3), it is not merely down.
    const badSig = await cli(['mirrors', h, forged.url], env, '/');
    assert.equal(badSig.code, 3, badSig.stdout + badSig.stderr);
    assert.match(badSig.stdout, /invalid signature/);
    assert.equal((await cli(['mirrors'], env, '/')).code, 2);
    const badURL = await cli(['mirrors', h, 'not-a-url'], env, '/');
    assert.equal(badURL.code, 2);
    assert.match(badURL.stderr, /invalid mirror URL: not-a-url/);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('audit --mirror: a mirror that forked the database exits 3; an honest one adds a mirrors section', async () => {
  const key = generateKey('sumdb.test');
  const honest = newTestDatabase({ key, synthetic: 300 });
  const mirror = newTestDatabase({ key, synthetic: 300 });
  const forked = newTestDatabase({ key, synthetic: 300, mode: 'fork' });
  const [hs, ms, fs] = await Promise.all([honest, mirror, forked].map((db) => startServer(db.handle)));
  const tmp = join(root, '.tmp-cli-mirror-' + process.pid);
  try {
    // A go.sum of synthetic modules, whose lines the databases hold.
    const { syntheticModule } = await import('../../src/server/index.js');
    const sum = [0, 1, 2].map((i) => new TextDecoder().decode(syntheticModule(i).text)).join('');
    writeFile(join(tmp, 'go.sum'), sum);
    const env = { HOME: tmp, GOPATH: join(tmp, 'gopath'), PATH: '', NO_COLOR: '1', GOSUMDB: `${key.vkey} ${hs!.url}`, GOPROXY: 'off' };
    const ok = await cli(['audit', '--mirror', ms!.url], env, tmp);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(
      ok.stdout,
      /^mirrors:\nok {5}http:\/\/127\.0\.0\.1:\d+: tree #300 .*\nok {5}http:\/\/127\.0\.0\.1:\d+: tree #300 .*\n2 of 2 endpoints/m,
    );
    const bad = await cli(['audit', '--json', '--mirror', fs!.url], env, tmp);
    assert.equal(bad.code, 3);
    const doc = JSON.parse(bad.stdout);
    assert.equal(doc.summary.ok, 6);
    assert.equal(doc.security.older.n, 300);
    assert.equal(doc.security.newer.n, 301);
  } finally {
    await Promise.all([hs, ms, fs].map((s) => s!.close()));
    const { rmSync } = await import('node:fs');
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('doctor: settings with their sources, findings, the way to the database and its verified tree', async () => {
  const w = await world({ synthetic: 10 });
  try {
    // The proxy serves the database, so https://sumdb.test itself is never asked.
    const env = { ...w.env, GOSUMDB: w.db.vkey, GOPROXY: `${w.server.url},direct`, GONOSUMCHECK: '1' };
    const r = await cli(['doctor'], env, w.tmp);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^ {2}GOPROXY="http:\/\/127\.0\.0\.1:\d+,direct" {2}\(env\)$/m);
    assert.match(r.stdout, /^ {2}warning +GONOSUMCHECK: /m);
    assert.match(r.stdout, /^ {2}info {5}GOPROXY: http:\/\/127\.0\.0\.1:\d+ serves sumdb\.test /m);
    assert.match(r.stdout, /^ {2}info {5}GOSUMDB: the latest tree is signed by sumdb\.test: #10$/m);
    const off = await cli(['doctor', '--offline'], { ...w.env, GOSUMDB: 'off' }, w.tmp);
    assert.equal(off.code, 1);
    assert.match(off.stdout, /^ {2}error +GOSUMDB: /m);
    assert.doesNotMatch(off.stdout, /checksum database\n/);
    const unreachable = await cli(['doctor'], { ...w.env, GOSUMDB: `${w.db.vkey} http://127.0.0.1:1` }, w.tmp);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stdout, /^ {2}error +GOSUMDB: sumdb\.test cannot be reached at http:\/\/127\.0\.0\.1:1\/latest: /m);
    assert.match(unreachable.stdout, /^ {2}error +GOSUMDB: no tree signed by sumdb\.test could be read: /m);
    assert.equal((await cli(['doctor', 'extra'], w.env, w.tmp)).code, 2);
  } finally {
    await w.close();
  }
});

test('verify-modcache: go mod verify over a module cache, and --gosum against the database and the cache', async () => {
  const { w, mod, version, hash, cache } = await cachedModuleWorld();
  try {
    writeFile(join(w.tmp, 'go.sum'), `${mod} ${version} ${hash}\n`);
    const ok = await cli(['verify-modcache', 'modcache', '--gosum', 'go.sum', '--check-db'], w.env, w.tmp);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(
      ok.stdout,
      /^1 module versions in .*modcache checked against the recorded \.ziphash, go\.sum, the sumdb\.test checksum database: all verified$/m,
    );
    assert.equal(w.db.stats().lookup, 1);
    // A go.sum line the cache contradicts.
    writeFile(join(w.tmp, 'other.sum'), `${mod} ${version} h1:${'A'.repeat(43)}=\n`);
    const contradicted = await cli(['verify-modcache', 'modcache', '--gosum', 'other.sum'], w.env, w.tmp);
    assert.equal(contradicted.code, 1);
    assert.match(contradicted.stdout, /^mismatch {2}example\.com\/m v1\.0\.0: go\.sum has h1:A{43}= but the module cache has h1:/m);
    writeFileSync(join(cache, `${mod}@${version}`, 'm.go'), 'package evil\n');
    const bad = await cli(['verify-modcache', 'modcache'], w.env, w.tmp);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^modified {2}example\.com\/m v1\.0\.0: dir has been modified \(/m);
    const json = JSON.parse((await cli(['verify-modcache', '--json', 'modcache'], w.env, w.tmp)).stdout);
    assert.equal(json.modules[0].status, 'modified');
    assert.equal(json.modules[0].ziphash, hash);
    assert.equal((await cli(['verify-modcache', 'a', 'b'], w.env, w.tmp)).code, 2);
  } finally {
    await w.close();
  }
});

test('every command has --help (exit 0) and is listed in the top usage', async () => {
  const top = await cli(['--help'], {}, '/');
  for (const name of ['audit', 'lookup', 'doctor', 'verify-modcache', 'mirrors']) {
    assert.match(top.stdout, new RegExp(`^  ${name} `, 'm'));
    const r = await cli([name, '--help'], {}, '/');
    assert.equal(r.code, 0);
    assert.ok(r.stdout.startsWith(`Usage: gosumdb ${name} `), r.stdout);
    assert.match(r.stdout, /Exit status:/);
  }
});

test('the real gosumdb process audits a go.sum: exit codes and output through stdout', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const run = (args: string[]) => gosumdb(args, { ...w.env, GOROOT: '/nonexistent' }, w.tmp);
    const ok = await run(['audit']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^424 go\.sum lines in go\.sum: 424 ok$/m);
    assert.equal(ok.stderr, '');
    const usage = await run(['audit', '--nope']);
    assert.equal(usage.code, 2);
    assert.equal(usage.stderr.split('\n').filter((l) => l.trim() !== '').length, 2);
  } finally {
    await w.close();
  }
});

test('no GOPATH and no HOME: the go command cannot find its caches either, an input error (exit 2)', async () => {
  const r = await cli(['lookup', 'example.com/a@v1.0.0'], { PATH: '' }, '/');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing \$GOPATH|cannot locate the gosumdb state directory/);
});
