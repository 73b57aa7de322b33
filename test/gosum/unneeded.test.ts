// The optional check for go.sum content lines that go.mod does not need (`unneeded-zip-sum`).
// Expectations are worked out by hand from cmd/go's rules: with a go directive of 1.18 or later
// go.mod lists every module that provides a package, go mod tidy keeps content hashes only for
// those (after replace; a directory replacement needs none), and /go.mod lines are kept for the
// whole pruned graph, so they are never reported. test/interop/tidy.test.ts checks the same rule
// against go mod tidy itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditGoSum, parseGoSum, type AuditClient, type GoModFinding } from '../../src/gosum/index.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/gosum');
const H = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
// GOSUMDB=off mode: the database is never asked, only the go.mod checks matter here.
const client: AuditClient = {
  lookup: async () => assert.fail('no lookups expected'),
  latest: async () => assert.fail('no lookups expected'),
  signedTree: async () => undefined,
};

async function unneeded(goMod: string, gosum: string | { text: string; filename: string }[]): Promise<GoModFinding[]> {
  const sums = typeof gosum === 'string' ? [parseGoSum(gosum)] : gosum.map((s) => parseGoSum(s.text, { filename: s.filename }));
  const report = await auditGoSum(sums, { client, sumdbOff: true, goMod });
  return report.goMod.filter((f) => f.code === 'unneeded-zip-sum');
}
const where = (fs: GoModFinding[]) => fs.map((f) => `${f.file}:${f.line} ${f.path}@${f.version}`);

// Lines 1-10 of a go.sum for go.mod `mod` below.
const gosum = [
  `example.com/a v1.1.0 ${H}`, // 1 required: kept
  `example.com/a v1.1.0/go.mod ${H}`, // 2
  `example.com/a v1.0.0 ${H}`, // 3 an older version: not needed
  `example.com/a v1.0.0/go.mod ${H}`, // 4 go.mod lines are never reported
  `example.com/b v1.0.0 ${H}`, // 5 replaced by b v1.0.1: not needed
  `example.com/b v1.0.1 ${H}`, // 6 the replacement: kept
  `example.com/c v1.0.0 ${H}`, // 7 replaced by a directory: not needed
  `example.com/d v1.2.0 ${H}`, // 8 replaced (all versions) by example.com/dfork v1.2.1: not needed
  `example.com/dfork v1.2.1 ${H}`, // 9 the replacement: kept
  `example.com/unrelated v0.1.0 ${H}`, // 10 not required at all
  `example.com/unrelated v0.1.0/go.mod ${H}`, // 11
].join('\n');
const mod = (go: string) => `module example.com/main

${go}

require (
	example.com/a v1.1.0
	example.com/b v1.0.0 // indirect
	example.com/c v1.0.0
	example.com/d v1.2.0
)

replace example.com/b v1.0.0 => example.com/b v1.0.1
replace example.com/c => ./c
replace example.com/d => example.com/dfork v1.2.1
`;

test('go 1.18: zip lines for versions go.mod does not require, after replace, are reported; /go.mod lines never', async () => {
  const fs = await unneeded(mod('go 1.18'), gosum);
  assert.deepEqual(where(fs), [
    'go.sum:3 example.com/a@v1.0.0',
    'go.sum:5 example.com/b@v1.0.0',
    'go.sum:7 example.com/c@v1.0.0',
    'go.sum:8 example.com/d@v1.2.0',
    'go.sum:10 example.com/unrelated@v0.1.0',
  ]);
  assert.ok(fs.every((f) => f.level === 'info'));
  const by = (line: number) => fs.find((f) => f.line === line)!.message;
  const line3 =
    /^go\.sum:3: the content hash of example\.com\/a@v1\.0\.0 is not needed: /.source +
    /go\.mod \(go 1\.18\) requires example\.com\/a@v1\.1\.0 \(go\.mod:6\), not this version$/.source;
  assert.match(by(3), new RegExp(line3));
  assert.match(by(5), /go\.mod:12 replaces it with example\.com\/b@v1\.0\.1/);
  assert.match(by(7), /go\.mod:13 replaces it with the directory \.\/c, which needs no checksum/);
  assert.match(by(8), /go\.mod:14 replaces it with example\.com\/dfork@v1\.2\.1/);
  assert.match(by(10), /go\.mod \(go 1\.18\) does not require example\.com\/unrelated/);
  for (const f of fs)
    assert.match(f.remedy, /go mod tidy drops the line; a leftover line is harmless to builds but widens what go\.sum vouches for/);
});

test('later go versions in every accepted form are pruned too', async () => {
  for (const go of ['go 1.19', 'go 1.21.0', 'go 1.22rc1', 'go 1.24.0']) {
    assert.equal((await unneeded(mod(go), gosum)).length, 5, go);
  }
});

test('go 1.17 (tidy keeps what go 1.16 needs), older versions and no go directive: no findings', async () => {
  for (const go of ['go 1.17', 'go 1.16', 'go 1.12', '']) {
    assert.deepEqual(await unneeded(mod(go), gosum), [], go);
  }
});

test('exact-version replacements win over all-version ones', async () => {
  const goMod =
    'module m\n\ngo 1.20\n\nrequire example.com/e v1.0.0\n\nreplace example.com/e => ./e\n\nreplace example.com/e ' +
    'v1.0.0 => example.com/e v1.0.9\n';
  assert.deepEqual(where(await unneeded(goMod, `example.com/e v1.0.0 ${H}\nexample.com/e v1.0.9 ${H}\n`)), [
    'go.sum:1 example.com/e@v1.0.0',
  ]);
});

test('only the first go.sum is checked, and never a go.work.sum', async () => {
  const stale = `example.com/unrelated v0.1.0 ${H}\n`;
  const goMod = mod('go 1.21');
  assert.deepEqual(
    where(
      await unneeded(goMod, [
        { text: stale, filename: 'go.sum' },
        { text: stale, filename: 'go.work.sum' },
      ]),
    ),
    ['go.sum:1 example.com/unrelated@v0.1.0'],
  );
  assert.deepEqual(await unneeded(goMod, [{ text: stale, filename: 'go.work.sum' }]), []);
  assert.deepEqual(await unneeded(goMod, [{ text: stale, filename: 'work/go.work.sum' }]), []);
  assert.deepEqual(
    where(
      await unneeded(goMod, [
        { text: stale, filename: 'mod/go.sum' },
        { text: stale, filename: 'other/go.sum' },
      ]),
    ),
    ['mod/go.sum:1 example.com/unrelated@v0.1.0'],
  );
});

test('a real go.sum written by go mod tidy (golang.org/x/tools, go 1.24.0) has no unneeded lines', async () => {
  const goMod = readFileSync(join(fixtures, 'golang-tools.go.mod'), 'utf8');
  const text = readFileSync(join(fixtures, 'golang-tools.go.sum'), 'utf8');
  assert.deepEqual(await unneeded(goMod, text), []);
  // Its zip lines are exactly its requirements (it has no replace directives), counted from the text.
  const zips = text.split('\n').filter((l) => l !== '' && !l.includes('/go.mod '));
  const reqs = [...goMod.matchAll(/^(?:\t|require )(\S+) (v\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(zips.map((l) => l.split(' ').slice(0, 2).join(' ')).sort(), reqs.sort());
  // An older version's zip line added to it is reported.
  const [path] = reqs[0]!.split(' ');
  const older = `${path} v0.0.1 ${H}`;
  assert.deepEqual(where(await unneeded(goMod, `${text}${older}\n`)), [`go.sum:${text.split('\n').length} ${path}@v0.0.1`]);
});

test('the go.mod findings of the requirement checks name go.mod as their file', async () => {
  const report = await auditGoSum(parseGoSum(''), {
    client,
    sumdbOff: true,
    goMod: 'module m\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n',
  });
  assert.deepEqual(
    report.goMod.map((f) => `${f.code} ${f.file}:${f.line}`),
    ['missing-gomod-sum go.mod:5', 'missing-zip-sum go.mod:5'],
  );
});
