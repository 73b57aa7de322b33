// The gosumdb CLI against Go's reference checksum database (x/mod sumdb.NewServer over
// sumdb.NewTestServer, test/interop/go/sumdbserver): audit and lookup agree with Go's own
// sumdb.Client, and the fork Go's server shows after its honest history ends in exit 3.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthetic } from '../server/reference.js';
import { cli } from '../cli/world.js';
import { runGoClient, startGoServer, type GoServer } from './go.js';

const N = 5000; // record proofs use tiles on levels 0 and 1
const picked = [0, 1, 5, 255, 256, 4097, N - 1];
let go: GoServer;
let tmp: string;

before(async () => {
  go = await startGoServer({ n: N });
  tmp = mkdtempSync(join(tmpdir(), 'gosumdb-interop-cli-'));
});
after(async () => {
  await go?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const env = (base: string) => ({
  HOME: tmp,
  GOPATH: join(tmp, 'gopath'),
  GOSUMDB: `${go.vkey} ${go.url}${base}`,
  GOPROXY: 'off',
  NO_COLOR: '1',
  PATH: '',
});

test("lookup prints exactly the lines Go's sumdb.Client proves", async () => {
  const mods = picked.map((i) => synthetic(i));
  const goRun = await runGoClient({
    url: `${go.url}/honest`,
    vkey: go.vkey,
    list: mods.flatMap((m) => [m, { path: m.path, version: `${m.version}/go.mod` }]),
  });
  const want = goRun.results.flatMap((r) => r.lines ?? []);
  assert.equal(want.length, 2 * mods.length);
  const r = await cli(['lookup', ...mods.map((m) => `${m.path}@${m.version}`)], env('/honest'), tmp);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), want);
  assert.match(r.stderr, new RegExp(`^proved against interop\\.gosumdb\\.test tree #${N} `, 'm'));
});

test("audit against Go's server: ok lines, a mismatch, a not-found, then the fork is exit 3", async () => {
  const lines = picked.flatMap((i) => synthetic(i).text.trimEnd().split('\n'));
  const edited = [...lines];
  const [path, version] = edited[3]!.split(' ') as [string, string];
  edited[3] = `${path} ${version} h1:${'A'.repeat(43)}=`;
  edited.push(`example.com/never v1.0.0 h1:${'A'.repeat(43)}=`);
  writeFileSync(join(tmp, 'go.sum'), `${edited.join('\n')}\n`);
  const r = await cli(['audit', '--json', '--write-cache'], env('/honest'), tmp);
  assert.equal(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.summary, {
    total: lines.length + 1,
    ok: lines.length - 1,
    mismatch: 1,
    'not-found': 1,
    skipped: 0,
    'local-mismatch': 0,
    error: 0,
  });
  assert.equal(doc.entries[3].dbHash, lines[3]!.split(' ')[2]);
  assert.equal(doc.tree.n, N);

  // The same key now serves another history: record N-1 changed and one record more.
  const fork = await cli(['audit', '--json'], env('/fork'), tmp);
  assert.equal(fork.code, 3, fork.stderr);
  assert.match(fork.stderr, /^SECURITY ERROR\ngo\.sum database server misbehavior detected!/m);
  const ev = JSON.parse(fork.stdout).security;
  assert.deepEqual([ev.older.n, ev.newer.n], [N, N + 1]);

  const mirrors = await cli(['mirrors', '--sumdb', go.vkey, `${go.url}/honest`, `${go.url}/fork`], env('/honest'), tmp);
  assert.equal(mirrors.code, 3, mirrors.stdout + mirrors.stderr);
});
