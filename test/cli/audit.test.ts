// gosumdb audit end to end: runCli against the test checksum database on 127.0.0.1, holding the
// records of a real go.sum (prometheus, see test/fixtures/gosum/SOURCES.md). Expected counts come
// from the fixture's documented facts; expected hashes from the fixture itself or from node:crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, world } from './world.js';
import { writeFile } from '../helpers/files.js';
import { h1, inModule, moduleZip } from '../helpers/modules.js';
import type { Handler } from '../../src/server/index.js';

const fixtures = join(import.meta.dirname, '../fixtures/gosum');
const prometheus = readFileSync(join(fixtures, 'prometheus.go.sum'), 'utf8');
const lines = prometheus.trimEnd().split('\n');

test('an honest database verifies all 424 lines of a real go.sum: exit 0, 258 records proved', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^424 go\.sum lines in go\.sum: 424 ok$/m);
    // 258 distinct module versions (SOURCES.md), one record each.
    assert.match(r.stdout, /^proved against sumdb\.test tree #258 \(hash [A-Za-z0-9+/]{43}=\)$/m);
    assert.doesNotMatch(r.stdout, /STATUS/);
    const all = await cli(['audit', '--all', 'go.sum'], w.env, w.tmp);
    assert.equal(all.stdout.split('\n').filter((l) => l.startsWith('ok ')).length, 424);
  } finally {
    await w.close();
  }
});

test('--json: the gosumdb/audit document (version 1), one entry per line, the summary and the signed tree', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit', '--json'], w.env, w.tmp);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.schema, 'gosumdb/audit');
    assert.equal(doc.version, 1);
    assert.equal(doc.exitCode, 0);
    assert.deepEqual(doc.files, ['go.sum']);
    assert.equal(doc.entries.length, 424);
    assert.equal(doc.entries.filter((e: { kind: string }) => e.kind === 'go.mod').length, 258);
    assert.deepEqual(doc.summary, { total: 424, ok: 424, mismatch: 0, 'not-found': 0, skipped: 0, 'local-mismatch': 0, error: 0 });
    assert.equal(doc.database, 'sumdb.test');
    assert.equal(doc.tree.n, 258);
    assert.equal(doc.tree.note, new TextDecoder().decode((await w.db.handle('/latest')).body));
    assert.equal(doc.security, null);
    const [path, version, hash] = lines[0]!.split(' ');
    assert.deepEqual(
      {
        path: doc.entries[0].path,
        version: doc.entries[0].version,
        hash: doc.entries[0].hash,
        line: doc.entries[0].line,
        status: doc.entries[0].status,
      },
      { path, version: version!.replace('/go.mod', ''), hash, line: 1, status: 'ok' },
    );
  } finally {
    await w.close();
  }
});

test('mismatch and not-found lines: exit 1, both hashes shown, a diagnosis and a remedy each', async () => {
  const w = await world({ gosum: prometheus });
  try {
    const [path, version, hash] = lines[10]!.split(' ') as [string, string, string];
    const forged = `h1:${createHash('sha256').update('forged').digest('base64')}`;
    const edited = [...lines];
    edited[10] = `${path} ${version} ${forged}`;
    edited.push('example.com/never/published v1.0.0 h1:' + createHash('sha256').update('x').digest('base64'));
    writeFile(join(w.tmp, 'go.sum'), edited.join('\n') + '\n');
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^425 go\.sum lines in go\.sum: 423 ok, 1 mismatch, 1 not-found$/m);
    assert.ok(r.stdout.includes(`database has ${hash}`), r.stdout);
    assert.match(r.stdout, /^go\.sum:11: mismatch: go\.sum has /m);
    assert.match(r.stdout, /^go\.sum:425: not-found: the checksum database does not know example\.com\/never\/published@v1\.0\.0/m);
    assert.equal(r.stdout.match(/^ {4}remedy: /gm)?.length, 2);
    assert.doesNotMatch(r.stdout, /GOSUMDB=off/);
    const doc = JSON.parse((await cli(['audit', '--json'], w.env, w.tmp)).stdout);
    const bad = doc.entries.find((e: { line: number }) => e.line === 11);
    assert.deepEqual([bad.status, bad.hash, bad.dbHash], ['mismatch', forged, hash]);
  } finally {
    await w.close();
  }
});

test('GONOSUMDB/GOPRIVATE lines are skipped with the pattern; exit 0 when the rest verifies', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const expected = lines.filter((l) => l.startsWith('github.com/prometheus/')).length;
    assert.ok(expected > 0);
    const r = await cli(['audit', '--json'], { ...w.env, GOPRIVATE: 'github.com/prometheus' }, w.tmp);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.summary.skipped, expected);
    assert.equal(doc.summary.ok, 424 - expected);
    const s = doc.entries.find((e: { status: string }) => e.status === 'skipped');
    assert.deepEqual([s.skipReason, s.pattern], ['gonosumdb', 'github.com/prometheus']);
    // The text says the shared reason once for all the lines the pattern skips; --all lists each.
    const text = await cli(['audit'], { ...w.env, GOPRIVATE: 'github.com/prometheus' }, w.tmp);
    assert.match(text.stdout, new RegExp(`^skipped +\\(${expected} lines\\) +GONOSUMDB/GOPRIVATE pattern github\\.com/prometheus$`, 'm'));
    assert.equal(text.stdout.split('\n').filter((l) => l.includes(': skipped: ')).length, 1);
    const all = await cli(['audit', '--all'], { ...w.env, GOPRIVATE: 'github.com/prometheus' }, w.tmp);
    assert.match(all.stdout, /^skipped +github\.com\/prometheus\/\S+ +\S+ +GONOSUMDB\/GOPRIVATE pattern github\.com\/prometheus$/m);
  } finally {
    await w.close();
  }
});

test('GOSUMDB=off verifies nothing: every line skipped, exit 1, and no advice to keep it off', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit'], { ...w.env, GOSUMDB: 'off' }, w.tmp);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^424 go\.sum lines in go\.sum: 424 skipped$/m);
    assert.match(r.stdout, /remedy: unset GOSUMDB/);
    assert.doesNotMatch(r.stdout, /set GOSUMDB=off/);
    assert.equal(w.db.stats().requests, 0);
  } finally {
    await w.close();
  }
});

test('--zip: a local zip that differs from go.sum and the database is local-mismatch; an intact one is ok', async () => {
  const mod = 'example.com/Local';
  const files = { 'go.mod': `module ${mod}\n`, 'a.go': 'package local\n' };
  const prefixed = (v: string, f: Record<string, string>) => inModule(mod, v, f);
  const zip = (v: string, f: Record<string, string>) => moduleZip(prefixed(v, f));
  const good = h1(prefixed('v1.0.0', files));
  const good2 = h1(prefixed('v1.1.0', files));
  const w = await world({
    extra: [
      { path: mod, version: 'v1.0.0', text: `${mod} v1.0.0 ${good}\n` },
      { path: mod, version: 'v1.1.0', text: `${mod} v1.1.0 ${good2}\n` },
    ],
  });
  try {
    writeFile(join(w.tmp, 'go.sum'), `${mod} v1.0.0 ${good}\n${mod} v1.1.0 ${good2}\n`);
    const zips = join(w.tmp, 'zips', 'example.com', '!local', '@v');
    writeFile(join(zips, 'v1.0.0.zip'), zip('v1.0.0', files));
    const tampered = { ...files, 'a.go': 'package local // evil\n' };
    writeFile(join(zips, 'v1.1.0.zip'), zip('v1.1.0', tampered));
    const r = await cli(['audit', '--json', '--zip', 'zips'], w.env, w.tmp);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.entries.map((e: { status: string; localHash?: string }) => [e.status, e.localHash]),
      [
        ['ok', good],
        ['local-mismatch', h1(prefixed('v1.1.0', tampered))],
      ],
    );
    const text = await cli(['audit', '--zip', 'zips'], w.env, w.tmp);
    assert.match(
      text.stdout,
      /^go\.sum:2: local-mismatch: go\.sum matches the checksum database for example\.com\/Local@v1\.1\.0, but the local copy/m,
    );
  } finally {
    await w.close();
  }
});

test('--modcache=<dir>: the go command module cache is hashed the same way', async () => {
  const mod = 'example.com/cached';
  const files = { 'go.mod': `module ${mod}\n`, 'x.go': 'package cached\n' };
  const prefixed = inModule(mod, 'v0.1.0', files);
  const want = h1(prefixed);
  const w = await world({ extra: [{ path: mod, version: 'v0.1.0', text: `${mod} v0.1.0 ${want}\n` }] });
  try {
    writeFile(join(w.tmp, 'go.sum'), `${mod} v0.1.0 ${want}\n`);
    const dl = join(w.tmp, 'modcache', 'cache', 'download', 'example.com', 'cached', '@v');
    writeFile(join(dl, 'v0.1.0.zip'), moduleZip(prefixed));
    const r = await cli(['audit', '--json', '--modcache=modcache'], w.env, w.tmp);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(JSON.parse(r.stdout).entries[0].localHash, want);
  } finally {
    await w.close();
  }
});

test('a fork after the honest tree was trusted: exit 3, the SECURITY ERROR report and the evidence in JSON', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    // Remember the honest tree as the go command does after a download.
    const first = await cli(['audit', '--write-cache'], w.env, w.tmp);
    assert.equal(first.code, 0);
    const honest = readFileSync(join(w.env.GOPATH!, 'pkg', 'sumdb', 'sumdb.test', 'latest'), 'utf8');
    assert.equal(honest, new TextDecoder().decode((await w.db.handle('/latest')).body));
    w.db.setMode('fork');
    const r = await cli(['audit', '--json'], w.env, w.tmp);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^SECURITY ERROR\ngo\.sum database server misbehavior detected!/m);
    assert.match(r.stderr, /no answer from it can be trusted/);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.exitCode, 3);
    assert.equal(doc.security.older.note, honest);
    assert.equal(doc.security.older.n, 258);
    assert.equal(doc.security.newer.n, 259);
    assert.ok(doc.security.proof.length > 0);
    assert.match(doc.security.report, /^SECURITY ERROR/);
  } finally {
    await w.close();
  }
});

test('a tile that contradicts the signed tree means the server lied: exit 3', async () => {
  const w = await world({ gosum: prometheus, mode: 'bad-tile' });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit', '--json'], w.env, w.tmp);
    assert.equal(r.code, 3);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.summary.error, 424);
    assert.equal(doc.entries[0].errorCode, 'ERR_TILE_INCONSISTENT');
  } finally {
    await w.close();
  }
});

test('a record that does not match its signed hash is a failed proof: error lines, exit 3', async () => {
  const w = await world({ gosum: prometheus, mode: 'bad-record' });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit', '--json', '--concurrency', '4'], w.env, w.tmp);
    assert.equal(r.code, 3);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.summary.error, 424);
    assert.equal(doc.entries[0].errorCode, 'ERR_RECORD_MISMATCH');
  } finally {
    await w.close();
  }
});

test('--concurrency n: at most n requests reach the database at once, and it does get n at once', async () => {
  let inFlight = 0;
  let peak = 0;
  const wrap =
    (handle: Handler): Handler =>
    async (path, signal) => {
      peak = Math.max(peak, ++inFlight);
      try {
        await new Promise((r) => setTimeout(r, 5));
        return await handle(path, signal);
      } finally {
        inFlight--;
      }
    };
  const w = await world({ gosum: prometheus, wrap });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const r = await cli(['audit', '--json', '--concurrency', '3'], w.env, w.tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).summary.ok, 424);
    // Lookups outnumber requests (4 per request slot), so the slots stay full.
    assert.equal(peak, 3);
  } finally {
    await w.close();
  }
});

test('--offline answers from the go command caches only', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const cold = await cli(['audit', '--offline', '--json'], w.env, w.tmp);
    assert.equal(cold.code, 1);
    assert.equal(JSON.parse(cold.stdout).entries[0].errorCode, 'ERR_OFFLINE');
    assert.equal(w.db.stats().requests, 0);
    assert.equal((await cli(['audit', '--write-cache'], w.env, w.tmp)).code, 0);
    w.db.resetStats();
    const warm = await cli(['audit', '--offline'], w.env, w.tmp);
    assert.equal(warm.code, 0, warm.stdout);
    assert.match(warm.stdout, /424 ok/);
    assert.equal(w.db.stats().requests, 0);
  } finally {
    await w.close();
  }
});

test('go.work.sum next to go.work is audited with go.sum', async () => {
  const w = await world({ gosum: prometheus });
  try {
    writeFile(join(w.tmp, 'go.sum'), lines.slice(0, 4).join('\n') + '\n');
    writeFile(join(w.tmp, 'go.work'), 'go 1.22\n');
    writeFile(join(w.tmp, 'go.work.sum'), lines.slice(4, 10).join('\n') + '\n');
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^10 go\.sum lines in go\.sum, go\.work\.sum: 10 ok$/m);
  } finally {
    await w.close();
  }
});

test('a go.sum content line the go 1.18+ go.mod does not need is an info finding in text and --json; the exit code stays 0', async () => {
  const w = await world({ gosum: prometheus });
  try {
    // Lines 1-4: cloud.google.com/go v0.26.0 and v0.34.0, zip and go.mod each; go.mod requires v0.34.0.
    writeFile(join(w.tmp, 'go.sum'), lines.slice(0, 4).join('\n') + '\n');
    writeFile(join(w.tmp, 'go.mod'), 'module example.com/m\n\ngo 1.18\n\nrequire cloud.google.com/go v0.34.0\n');
    const r = await cli(['audit'], w.env, w.tmp);
    assert.equal(r.code, 0, r.stderr);
    const unneeded =
      /^info: go\.sum:1: the content hash of cloud\.google\.com\/go@v0\.26\.0 is not needed: /.source +
      /go\.mod \(go 1\.18\) requires cloud\.google\.com\/go@v0\.34\.0 \(go\.mod:5\), not this version \(go mod tidy drops the line; .*\)$/
        .source;
    assert.match(r.stdout, new RegExp(unneeded, 'm'));
    assert.equal(r.stdout.match(/not needed/g)?.length, 1);
    const j = await cli(['audit', '--json'], w.env, w.tmp);
    assert.equal(j.code, 0);
    const doc = JSON.parse(j.stdout);
    assert.deepEqual(
      doc.goMod.map((f: Record<string, unknown>) => [f.level, f.code, f.file, f.line, f.path, f.version]),
      [['info', 'unneeded-zip-sum', 'go.sum', 1, 'cloud.google.com/go', 'v0.26.0']],
    );
    assert.match(doc.goMod[0].remedy, /^go mod tidy drops the line/);
  } finally {
    await w.close();
  }
});

test('usage and input errors exit 2 with one line and no stack trace', async () => {
  const w = await world({ gosum: prometheus });
  try {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['audit'], w.env, /no go\.sum in /],
      [['audit', 'missing.sum'], w.env, /cannot read missing\.sum/],
      [['audit', '--bogus'], w.env, /^gosumdb audit: unknown flag --bogus\n/],
      [['audit', '--concurrency', '0', 'x'], w.env, /--concurrency must be a positive integer/],
      [['audit', 'bad.sum'], w.env, /malformed go\.sum/],
      [['audit', 'ok.sum'], { ...w.env, GOSUMDB: 'not a+valid key' }, /invalid GOSUMDB/],
      [['audit', 'ok.sum'], { ...w.env, GOPROXY: 'ftp://x' }, /invalid proxy URL scheme/],
      [['audit', '--zip', 'z', '--modcache', 'ok.sum'], w.env, /exclusive/],
    ];
    writeFile(join(w.tmp, 'bad.sum'), 'example.com/a v1.0.0\n');
    writeFile(join(w.tmp, 'ok.sum'), lines[0] + '\n');
    for (const [args, env, msg] of cases) {
      const r = await cli(args, env, w.tmp);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(r.stdout, '');
    }
  } finally {
    await w.close();
  }
});

test('progress goes to standard error only on a terminal; colours only on a terminal and never with NO_COLOR', async () => {
  const w = await world({ gosum: prometheus });
  try {
    const edited = [...lines];
    edited[0] = `${edited[0]!.split(' ').slice(0, 2).join(' ')} h1:${'A'.repeat(43)}=`;
    writeFile(join(w.tmp, 'go.sum'), edited.join('\n') + '\n');
    const esc = String.fromCharCode(27);
    const plain = await cli(['audit'], w.env, w.tmp);
    assert.equal(plain.stderr, '');
    assert.ok(!plain.stdout.includes(esc));
    const { NO_COLOR: _, ...colourEnv } = w.env;
    const tty = await cli(['audit'], colourEnv, w.tmp, { isTTY: true, stdoutIsTTY: true });
    assert.equal(tty.code, 1);
    assert.match(tty.stderr, /checked 424\/424 go\.sum lines\n$/);
    assert.ok(tty.stdout.includes(`${esc}[31mmismatch`), tty.stdout);
    const noColor = await cli(['audit'], { ...colourEnv, NO_COLOR: '1' }, w.tmp, { isTTY: true, stdoutIsTTY: true });
    assert.ok(!noColor.stdout.includes(esc));
    assert.equal(noColor.stdout, plain.stdout);
    const json = await cli(['audit', '--json'], colourEnv, w.tmp, { isTTY: true, stdoutIsTTY: true });
    assert.equal(json.stderr, '');
    assert.equal(JSON.parse(json.stdout).summary.mismatch, 1);
  } finally {
    await w.close();
  }
});

test('--sumdb and --proxy override the go env: the database is found through the proxy list', async () => {
  const w = await world({ gosum: prometheus });
  try {
    copyFileSync(join(fixtures, 'prometheus.go.sum'), join(w.tmp, 'go.sum'));
    const env = { ...w.env, GOSUMDB: 'off', GOPROXY: 'off' };
    const r = await cli(['audit', '--sumdb', w.db.vkey, '--proxy', `${w.server.url},direct`], env, w.tmp);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^424 go\.sum lines in go\.sum: 424 ok$/m);
    // Every request went through the proxy's /sumdb/<name>/ URL space (https://sumdb.test was never needed).
    assert.equal(w.db.stats().lookup, 258);
    const bad = await cli(['audit', '--proxy', 'ftp://nowhere', '--sumdb', w.db.vkey], env, w.tmp);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid proxy URL scheme/);
  } finally {
    await w.close();
  }
});
