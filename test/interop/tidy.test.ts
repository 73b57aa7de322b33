// The `unneeded-zip-sum` check against `go mod tidy` itself: a small module world in a file-based
// GOPROXY, a main module with `go 1.18` made tidy by the go command, then stale lines appended to
// its go.sum. The content lines our audit reports must be exactly the ones the next `go mod tidy`
// removes, and no /go.mod line may be reported (go.sum keeps those for the whole pruned graph).
// Hermetic: GOPROXY=file://, GOSUMDB=off and a temporary GOPATH/GOMODCACHE, all inside this test.
// Needs `go` on PATH (npm run test:interop checks for it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { auditGoSum, parseGoSum, type AuditClient } from '../../src/gosum/index.js';
import { inModule, moduleZip } from '../helpers/modules.js';

const root = mkdtempSync(join(tmpdir(), 'gosumdb-tidy-interop-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const proxy = join(root, 'proxy');
const main = join(root, 'main');
const env = {
  PATH: process.env.PATH ?? '',
  HOME: root,
  GOENV: 'off',
  GOPATH: join(root, 'gopath'),
  GOMODCACHE: join(root, 'modcache'),
  GOCACHE: join(root, 'gocache'),
  GO111MODULE: 'on',
  GOWORK: 'off',
  GOTOOLCHAIN: 'local',
  GOFLAGS: '-mod=mod',
  GOPROXY: pathToFileURL(proxy).href,
  GOSUMDB: 'off',
};

// Modules (all lower-case paths, so escaping is the identity). b has no go directive: its graph
// is not pruned, so go.sum keeps d's /go.mod hash although no go.mod requires d.
const world: Record<string, Record<string, Record<string, string>>> = {
  'example.com/a': {
    'v1.0.0': {
      'go.mod': 'module example.com/a\n\ngo 1.18\n\nrequire example.com/b v1.0.0\n',
      'a.go': 'package a\n\nimport _ "example.com/b"\n',
    },
    'v1.1.0': {
      'go.mod': 'module example.com/a\n\ngo 1.18\n\nrequire example.com/b v1.0.0\n',
      'a.go': 'package a\n\nimport _ "example.com/b"\n\nconst V = 1\n',
    },
  },
  'example.com/b': {
    'v1.0.0': { 'go.mod': 'module example.com/b\n\nrequire example.com/d v1.0.0\n', 'b.go': 'package b\n' },
    'v1.0.1': { 'go.mod': 'module example.com/b\n\nrequire example.com/d v1.0.0\n', 'b.go': 'package b\n\nconst Fixed = true\n' },
  },
  'example.com/c': { 'v1.0.0': { 'go.mod': 'module example.com/c\n\ngo 1.18\n', 'c.go': 'package c\n' } },
  'example.com/d': { 'v1.0.0': { 'go.mod': 'module example.com/d\n', 'd.go': 'package d\n' } },
  'example.com/e': { 'v1.0.0': { 'go.mod': 'module example.com/e\n', 'e.go': 'package e\n' } },
};

function write(file: string, data: string | Uint8Array): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, data);
}

function go(args: string[], cwd: string): string {
  const r = spawnSync('go', args, { cwd, env, encoding: 'utf8' });
  assert.equal(r.status, 0, `go ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

for (const [path, versions] of Object.entries(world)) {
  const dir = join(proxy, path, '@v');
  write(join(dir, 'list'), Object.keys(versions).join('\n') + '\n');
  for (const [version, files] of Object.entries(versions)) {
    write(join(dir, `${version}.info`), JSON.stringify({ Version: version, Time: '2020-01-01T00:00:00Z' }));
    write(join(dir, `${version}.mod`), files['go.mod']!);
    write(join(dir, `${version}.zip`), moduleZip(inModule(path, version, files)));
  }
}
write(
  join(main, 'go.mod'),
  `module example.com/main

go 1.18

require (
	example.com/a v1.1.0
	example.com/c v1.0.0
)

replace example.com/b v1.0.0 => example.com/b v1.0.1

replace example.com/c => ./c
`,
);
write(join(main, 'main.go'), 'package main\n\nimport (\n\t_ "example.com/a"\n\t_ "example.com/c"\n)\n\nfunc main() {}\n');
write(join(main, 'c/go.mod'), 'module example.com/c\n\ngo 1.18\n');
write(join(main, 'c/c.go'), 'package c\n');

// The go command's own go.sum lines for module versions, from `go mod download -json` run
// outside the main module (so that it does not touch the main module's go.sum).
function goSumLines(...mvs: string[]): string[] {
  const out = go(['mod', 'download', '-json', ...mvs], root);
  return out
    .split(/\n(?=\{)/)
    .map((s) => JSON.parse(s) as { Path: string; Version: string; Sum: string; GoModSum: string })
    .flatMap((m) => [`${m.Path} ${m.Version} ${m.Sum}`, `${m.Path} ${m.Version}/go.mod ${m.GoModSum}`]);
}

const noDatabase: AuditClient = {
  lookup: async () => assert.fail('the audit runs with sumdbOff'),
  latest: async () => assert.fail('the audit runs with sumdbOff'),
  signedTree: async () => undefined,
};

async function unneeded(gosum: string): Promise<string[]> {
  const goMod = readFileSync(join(main, 'go.mod'), 'utf8');
  const report = await auditGoSum(parseGoSum(gosum), { client: noDatabase, sumdbOff: true, goMod });
  const lines = gosum.split('\n');
  return report.goMod.filter((f) => f.code === 'unneeded-zip-sum').map((f) => lines[f.line - 1]!);
}

const lineSet = (text: string) => new Set(text.split('\n').filter((l) => l !== ''));

test('go 1.18: the content lines we report are exactly those go mod tidy removes; /go.mod lines are never reported', async () => {
  go(['mod', 'tidy'], main);
  const tidyMod = readFileSync(join(main, 'go.mod'), 'utf8');
  const tidy = readFileSync(join(main, 'go.sum'), 'utf8');
  // What go mod tidy wrote: a (required) and b v1.0.1 (the replacement of the indirect b v1.0.0),
  // nothing for the directory-replaced c, and d's go.mod hash for b's unpruned graph.
  assert.match(tidyMod, /^require example\.com\/b v1\.0\.0 \/\/ indirect$/m);
  assert.deepEqual([...lineSet(tidy)].map((l) => l.split(' ').slice(0, 2).join(' ')).sort(), [
    'example.com/a v1.1.0',
    'example.com/a v1.1.0/go.mod',
    'example.com/b v1.0.1',
    'example.com/b v1.0.1/go.mod',
    'example.com/d v1.0.0/go.mod',
  ]);
  assert.deepEqual(await unneeded(tidy), [], 'a go.sum just written by go mod tidy');

  // Stale lines: an older a, the replaced b v1.0.0, the directory-replaced c, an unrelated e,
  // with their /go.mod lines, and a content line for d, whose /go.mod line tidy keeps.
  const stale = [
    ...goSumLines('example.com/a@v1.0.0', 'example.com/b@v1.0.0', 'example.com/c@v1.0.0', 'example.com/e@v1.0.0'),
    ...goSumLines('example.com/d@v1.0.0').slice(0, 1),
  ];
  const before = `${tidy}${stale.join('\n')}\n`;
  writeFileSync(join(main, 'go.sum'), before);
  const flagged = await unneeded(before);

  go(['mod', 'tidy'], main);
  assert.equal(readFileSync(join(main, 'go.mod'), 'utf8'), tidyMod);
  const after = lineSet(readFileSync(join(main, 'go.sum'), 'utf8'));
  const removed = [...lineSet(before)].filter((l) => !after.has(l));
  const removedZip = removed.filter((l) => !l.split(' ')[1]!.endsWith('/go.mod'));
  assert.deepEqual([...flagged].sort(), removedZip.sort());
  assert.equal(flagged.length, 5);
  assert.ok(flagged.every((l) => !l.split(' ')[1]!.endsWith('/go.mod')));
  // Go removed the stale /go.mod lines too; we do not report those (go.sum may legitimately hold
  // /go.mod lines of modules go.mod does not require, as d's shows).
  assert.equal(removed.length - removedZip.length, 4);
  assert.ok(after.has(tidy.split('\n').find((l) => l.startsWith('example.com/d v1.0.0/go.mod '))!));
});
