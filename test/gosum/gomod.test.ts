// parseGoModRequirements on the go.mod grammar (cmd/go's modfile: "//" comments, quoted strings,
// parenthesised blocks) and on real go.mod files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseGoModRequirements } from '../../src/gosum/index.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/gosum');

test('real go.mod files: module path, requires with indirect markers, replace', () => {
  const tools = parseGoModRequirements(readFileSync(join(fixtures, 'golang-tools.go.mod'), 'utf8'));
  assert.equal(tools.module, 'golang.org/x/tools');
  assert.deepEqual(
    tools.requires.map((r) => [r.path, r.version, r.indirect, r.line]),
    [
      ['github.com/google/go-cmp', 'v0.6.0', false, 6],
      ['github.com/yuin/goldmark', 'v1.4.13', false, 7],
      ['golang.org/x/mod', 'v0.33.0', false, 8],
      ['golang.org/x/net', 'v0.50.0', false, 9],
      ['golang.org/x/sync', 'v0.19.0', false, 10],
      ['golang.org/x/telemetry', 'v0.0.0-20260209163413-e7419c687ee4', false, 11],
      ['golang.org/x/sys', 'v0.41.0', true, 14],
    ],
  );
  const text = readFileSync(join(fixtures, 'prometheus.go.mod'), 'utf8');
  const prom = parseGoModRequirements(text);
  assert.equal(prom.module, 'github.com/prometheus/prometheus');
  // Counted independently: lines inside the require block, and the "// indirect" markers.
  const block = text.slice(text.indexOf('require (') + 9, text.indexOf('\n)', text.indexOf('require (')));
  assert.equal(prom.requires.length, block.split('\n').filter((l) => l.trim() !== '').length);
  assert.equal(prom.requires.filter((r) => r.indirect).length, (text.match(/\/\/ indirect/g) ?? []).length);
  assert.deepEqual(prom.replaces, [
    { oldPath: 'k8s.io/klog', oldVersion: '', newPath: 'github.com/simonpasquier/klog-gokit', newVersion: 'v0.1.0', line: 115 },
  ]);
});

test('quotes, comments, single-line and block forms, other directives ignored', () => {
  const m = parseGoModRequirements(
    [
      '// a comment',
      'module "example.com/quoted" // trailing',
      'go 1.21',
      'toolchain go1.22.0',
      'require `example.com/raw` v1.0.0',
      'require (',
      '  "example.com/esc\\"q" v1.1.0 // indirect; reason',
      '  // a comment line inside',
      ')',
      'exclude example.com/bad v1.0.0',
      'replace (',
      '  example.com/a v1.0.0 => example.com/b v1.1.0',
      '  example.com/c => ../c',
      ')',
      'retract [v1.0.0, v1.0.5]',
    ].join('\n'),
  );
  assert.equal(m.module, 'example.com/quoted');
  assert.equal(m.go, '1.21');
  assert.deepEqual(
    m.requires.map((r) => [r.path, r.version, r.indirect]),
    [
      ['example.com/raw', 'v1.0.0', false],
      ['example.com/esc"q', 'v1.1.0', true],
    ],
  );
  assert.deepEqual(
    m.replaces.map((r) => [r.oldPath, r.oldVersion, r.newPath, r.newVersion]),
    [
      ['example.com/a', 'v1.0.0', 'example.com/b', 'v1.1.0'],
      ['example.com/c', '', '../c', ''],
    ],
  );
});

test('malformed go.mod lines are ERR_GOMOD_MALFORMED with file:line', () => {
  const bad: [string, RegExp][] = [
    ['require (\nexample.com/a v1.0.0\n', /^go\.mod:1: require block is not closed$/],
    ['require example.com/a', /^go\.mod:1: usage: require/],
    ['module "unterminated', /^go\.mod:1: unterminated quoted string$/],
    ['\nreplace example.com/a v1 v2 => x', /^go\.mod:2: usage: replace/],
    ['require (\n) x', /^go\.mod:2: unexpected text after \)$/],
    // x/mod modfile's wording and GoVersionRE (strict, as for the main module).
    ['go 1.18\ngo 1.19\n', /^go\.mod:2: repeated go statement$/],
    ['go\n', /^go\.mod:1: go directive expects exactly one argument$/],
    ['go 1.18 1.19\n', /^go\.mod:1: go directive expects exactly one argument$/],
    ['go v1.18\n', /^go\.mod:1: invalid go version 'v1\.18': must match format 1\.23\.0$/],
    ['go 1.018\n', /^go\.mod:1: invalid go version '1\.018'/],
    ['go 1\n', /^go\.mod:1: invalid go version '1'/],
  ];
  for (const [text, message] of bad) {
    assert.throws(
      () => parseGoModRequirements(text),
      (e: unknown) => (e as { code?: string }).code === 'ERR_GOMOD_MALFORMED' && message.test((e as Error).message),
      text,
    );
  }
  assert.throws(() => parseGoModRequirements(1 as unknown as string), TypeError);
});

test('the go directive: absent is "", release and pre-release forms kept as written', () => {
  assert.equal(parseGoModRequirements('module m\n').go, '');
  for (const v of ['1.16', '1.21.0', '1.21rc2', '1.22.10', '2.0']) assert.equal(parseGoModRequirements(`module m\ngo ${v} // c\n`).go, v);
  assert.equal(readGo('golang-tools.go.mod'), '1.24.0');
  assert.equal(readGo('prometheus.go.mod'), '');
});

function readGo(name: string): string {
  return parseGoModRequirements(readFileSync(join(fixtures, name), 'utf8')).go;
}
