import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EMPTY_GOMOD_HASH, GoSumSyntaxError, parseGoSum } from '../../src/gosum/index.js';
import { GosumdbError } from '../../src/internal/errors.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/gosum');
const read = (f: string) => readFileSync(join(fixtures, f));

const quote = 'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
const quoteMod = 'rsc.io/quote v1.5.2/go.mod h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=';

function malformed(text: string | Uint8Array, line: number, reason?: RegExp) {
  assert.throws(
    () => parseGoSum(text, { filename: 'x/go.sum' }),
    (e: unknown) => {
      assert.ok(e instanceof GoSumSyntaxError, String(e));
      assert.equal(e.code, 'ERR_GOSUM_MALFORMED');
      assert.equal(e.file, 'x/go.sum');
      assert.equal(e.line, line);
      assert.ok(e.message.startsWith(`malformed go.sum:\nx/go.sum:${line}: `), e.message);
      if (reason) assert.match(e.reason, reason);
      return true;
    },
  );
}

test('real go.sum files parse with the counts their curator recorded', () => {
  const p = parseGoSum(read('prometheus.go.sum'), { filename: 'prometheus.go.sum' });
  assert.equal(p.filename, 'prometheus.go.sum');
  assert.equal(p.lines.length, 424);
  assert.equal(p.lines.filter((l) => l.kind === 'go.mod').length, 258);
  assert.equal(p.lines.filter((l) => l.kind === 'zip').length, 166);
  assert.equal(new Set(p.lines.map((l) => `${l.path}@${l.version}`)).size, 258);
  assert.equal(new Set(p.lines.map((l) => l.path)).size, 192);
  assert.deepEqual(p.findings, []);
  assert.deepEqual(
    p.lines.map((l) => l.line),
    Array.from({ length: 424 }, (_, i) => i + 1),
  );
  const t = parseGoSum(read('golang-tools.go.sum').toString('utf8'));
  assert.equal(t.filename, 'go.sum');
  assert.equal(t.lines.length, 14);
  assert.equal(t.lines.filter((l) => l.kind === 'go.mod').length, 7);
  assert.equal(new Set(t.lines.map((l) => l.path)).size, 7);
});

test('each line is split into path, version, kind and hash', () => {
  const p = parseGoSum(`${quote}\n${quoteMod}\n`);
  assert.deepEqual(p.lines, [
    {
      line: 1,
      path: 'rsc.io/quote',
      version: 'v1.5.2',
      kind: 'zip',
      hash: 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=',
      algorithm: 'h1',
      ignoredByGo: false,
    },
    {
      line: 2,
      path: 'rsc.io/quote',
      version: 'v1.5.2',
      kind: 'go.mod',
      hash: 'h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=',
      algorithm: 'h1',
      ignoredByGo: false,
    },
  ]);
});

test('fields split on Unicode white space and lines on \\n only, as the go command does', () => {
  // strings.Fields: tabs, CR (so CRLF files work), NBSP, U+2003 and U+3000 all separate fields.
  const text = `\r\n \t\n${quote.replaceAll(' ', '\t\u00a0')}\r\n\u2003${quoteMod.replaceAll(' ', '\u3000')}\u0085`;
  const p = parseGoSum(text);
  assert.deepEqual(
    p.lines.map((l) => [l.line, l.kind]),
    [
      [3, 'zip'],
      [4, 'go.mod'],
    ],
  );
  // A vertical tab is white space too, but a form of "\n" that is not U+000A does not end a line.
  malformed(`${quote}\u2028${quoteMod}`, 1, /^wrong number of fields 6$/);
  // No trailing newline: the last line still counts.
  assert.equal(parseGoSum(quote).lines.length, 1);
  assert.deepEqual(parseGoSum('').lines, []);
});

test('wrong field counts are reported with Go wording, file and line', () => {
  malformed(`${quote}\nrsc.io/quote v1.5.2\n`, 2, /^wrong number of fields 2$/);
  malformed(`\n\n${quote} extra`, 3, /^wrong number of fields 4$/);
  assert.throws(
    () => parseGoSum('a b'),
    (e: unknown) => e instanceof GoSumSyntaxError && e.message === 'malformed go.sum:\ngo.sum:1: wrong number of fields 2',
  );
});

test('module paths and versions must be what the go command writes', () => {
  const h = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
  malformed(`Rsc.io/quote v1.5.2 ${h}`, 1, /malformed module path "Rsc.io\/quote"/);
  malformed(`rsc.io/quote 1.5.2 ${h}`, 1, /not a semantic version/);
  malformed(`rsc.io/quote v2.0.0 ${h}`, 1, /should be v0 or v1, not v2/);
  malformed(`rsc.io/quote/v2 v1.0.0/go.mod ${h}`, 1, /should be v2, not v1/);
  malformed(`rsc.io/quote v1.5.2/go.sum ${h}`, 1, /not a semantic version/);
  malformed(`rsc.io/quote v1.5 ${h}`, 1, /non-canonical version \(want v1\.5\.0\)/);
  malformed(`rsc.io/quote v1.5.2+meta ${h}`, 1, /non-canonical version/);
  // +incompatible is part of a canonical module version.
  assert.equal(parseGoSum(`rsc.io/quote v3.0.0+incompatible ${h}`).lines[0]!.version, 'v3.0.0+incompatible');
});

test('h1 hashes must be canonical base64 of 32 bytes; other algorithms are kept and reported', () => {
  malformed('rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y', 1, /malformed h1 hash/);
  malformed('rsc.io/quote v1.5.2 h1:AAAA', 1, /want base64 of 32 bytes/);
  // Non-zero trailing bits ("Z" instead of "Y" keeps the length) are not a canonical encoding.
  malformed('rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Z=', 1, /malformed h1 hash/);
  malformed('rsc.io/quote v1.5.2 w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=', 1, /malformed hash/);
  malformed('rsc.io/quote v1.5.2 h1:', 1, /malformed hash/);
  malformed('rsc.io/quote v1.5.2 :abc', 1, /malformed hash/);
  const p = parseGoSum(`rsc.io/quote v1.5.2 h2:anything\n${quote}\n`);
  assert.equal(p.lines.length, 2);
  assert.equal(p.lines[0]!.algorithm, 'h2');
  assert.deepEqual(
    p.findings.map((f) => [f.level, f.code, f.line]),
    [['warning', 'unknown-algorithm', 1]],
  );
});

test('the bogus empty-go.mod hash is the h1 of a tree with one empty go.mod, and is reported', () => {
  // dirhash.Hash1: sha256 over "<hex sha256(file)>  <name>\n" lines.
  const fileSum = createHash('sha256').update('').digest('hex');
  const h1 = 'h1:' + createHash('sha256').update(`${fileSum}  go.mod\n`).digest('base64');
  assert.equal(EMPTY_GOMOD_HASH, h1);
  const p = parseGoSum(`example.com/nomod v1.0.0/go.mod ${h1}\n`);
  assert.equal(p.lines[0]!.ignoredByGo, true);
  assert.deepEqual(
    p.findings.map((f) => [f.level, f.code, f.line]),
    [['warning', 'empty-gomod-hash', 1]],
  );
  // The go command drops the line as it reads it, so beside the real /go.mod line it conflicts with nothing.
  const both = parseGoSum(`${quoteMod}\nrsc.io/quote v1.5.2/go.mod ${h1}\n`);
  assert.deepEqual(
    both.findings.map((f) => [f.level, f.code, f.line]),
    [['warning', 'empty-gomod-hash', 2]],
  );
});

test('duplicates and conflicting duplicates are reported with both lines', () => {
  const other = 'rsc.io/quote v1.5.2 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
  const p = parseGoSum([quote, quoteMod, quote, other, 'rsc.io/quote v1.5.2 h2:x'].join('\n'));
  assert.equal(p.lines.length, 5);
  assert.deepEqual(
    p.findings.map((f) => [f.level, f.code, f.line, f.firstLine]),
    [
      ['info', 'duplicate', 3, 1],
      ['error', 'conflict', 4, 1],
      ['warning', 'unknown-algorithm', 5, undefined],
    ],
  );
  assert.match(p.findings[1]!.message, /^go\.sum:4: rsc\.io\/quote@v1\.5\.2 has hash h1:AAAA/);
});

test('bytes must be UTF-8; the bad line is named', () => {
  const bytes = new Uint8Array([...new TextEncoder().encode(`${quote}\nrsc.io/q`), 0xff, ...new TextEncoder().encode(' v1.0.0 h1:x\n')]);
  malformed(bytes, 2, /^invalid UTF-8$/);
});

test('go.work.sum files parse the same way, under their own name', () => {
  const p = parseGoSum(`${quoteMod}\n`, { filename: 'go.work.sum' });
  assert.equal(p.filename, 'go.work.sum');
  assert.throws(
    () => parseGoSum('x', { filename: 'go.work.sum' }),
    (e: unknown) => e instanceof GoSumSyntaxError && e.file === 'go.work.sum',
  );
});

test('random bytes never escape as anything but GosumdbError', () => {
  const pieces = [quote, quoteMod, ' ', '\n', '/go.mod', 'h1:', '\u00a0', 'v1.0.0', 'x.y/z', '!', '\u0000'];
  for (let i = 0; i < 2000; i++) {
    const b = randomBytes(1 + (i % 64));
    const text = i % 2 ? b : Array.from(b, (x) => pieces[x % pieces.length]).join('');
    try {
      parseGoSum(text);
    } catch (e) {
      assert.ok(e instanceof GosumdbError, `${String(e)} for ${JSON.stringify(text.toString())}`);
    }
  }
});

test('caller mistakes are TypeErrors', () => {
  assert.throws(() => parseGoSum(42 as unknown as string), TypeError);
});
