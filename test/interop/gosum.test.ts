// parseGoSum's reading rules against the go command's: a module that builds with -mod=readonly
// only if the go command read the go.sum lines it needs. Needs `go` on PATH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashGoMod } from '../../src/dirhash/index.js';
import { hashZipFile } from '../../src/node/index.js';
import { EMPTY_GOMOD_HASH, GoSumSyntaxError, parseGoSum } from '../../src/gosum/index.js';
import { inModule, moduleZip } from '../helpers/modules.js';
import { goOffline } from './go.js';

const enc = (s: string) => new TextEncoder().encode(s);
const root = mkdtempSync(join(tmpdir(), 'gosumdb-gosum-interop-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const cache = join(root, 'modcache');
const main = join(root, 'main');

async function setUp(): Promise<{ zip: string; mod: string }> {
  const dl = join(cache, 'cache/download/example.com/dep/@v');
  mkdirSync(dl, { recursive: true });
  const files = { 'go.mod': 'module example.com/dep\n', 'dep.go': 'package dep\n' };
  writeFileSync(join(dl, 'v1.0.0.zip'), moduleZip(inModule('example.com/dep', 'v1.0.0', files)));
  writeFileSync(join(dl, 'v1.0.0.mod'), files['go.mod']);
  writeFileSync(join(dl, 'v1.0.0.info'), '{"Version":"v1.0.0","Time":"2020-01-01T00:00:00Z"}');
  const zip = await hashZipFile(join(dl, 'v1.0.0.zip'));
  writeFileSync(join(dl, 'v1.0.0.ziphash'), zip);
  mkdirSync(main);
  writeFileSync(join(main, 'go.mod'), 'module example.com/main\n\ngo 1.19\n\nrequire example.com/dep v1.0.0\n');
  writeFileSync(join(main, 'main.go'), 'package main\n\nimport _ "example.com/dep"\n\nfunc main() {}\n');
  return { zip, mod: await hashGoMod(enc(files['go.mod'])) };
}
const sums = setUp();

function goBuild(gosum: string): { ok: boolean; output: string } {
  writeFileSync(join(main, 'go.sum'), gosum);
  const r = goOffline(['build', '-o', join(root, 'bin'), '.'], { cwd: main, root, cache, goflags: '-mod=readonly' });
  return { ok: r.status === 0, output: r.output };
}

test('both read fields split on Unicode white space, CRLF line ends and blank lines', async () => {
  const { zip, mod } = await sums;
  const text = `example.com/dep\u00a0v1.0.0\t${zip}\r\n\n \u3000\nexample.com/dep v1.0.0/go.mod\u2003${mod}`;
  assert.deepEqual(goBuild(text), { ok: true, output: '' });
  assert.deepEqual(
    parseGoSum(text).lines.map((l) => [l.line, l.kind, l.hash]),
    [
      [1, 'zip', zip],
      [4, 'go.mod', mod],
    ],
  );
});

test('both drop the bogus empty-go.mod hash (a wrong h1 listed first would be a mismatch for Go)', async () => {
  const { zip, mod } = await sums;
  const text = `example.com/dep v1.0.0/go.mod ${EMPTY_GOMOD_HASH}\nexample.com/dep v1.0.0 ${zip}\nexample.com/dep v1.0.0/go.mod ${mod}\n`;
  assert.deepEqual(goBuild(text), { ok: true, output: '' });
  const control = goBuild(
    `example.com/dep v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/dep v1.0.0 ` +
      `${zip}\nexample.com/dep v1.0.0/go.mod ${mod}\n`,
  );
  assert.equal(control.ok, false);
  assert.match(control.output, /checksum mismatch/);
  assert.deepEqual(
    parseGoSum(text).lines.map((l) => l.ignoredByGo),
    [true, false, false],
  );
});

test('a malformed line silently hides the lines after it from the go command; parseGoSum refuses the file', async () => {
  const { zip, mod } = await sums;
  const text = `example.com/dep v1.0.0 ${zip}\nexample.com/dep v1.0.0/go.mod\nexample.com/dep v1.0.0/go.mod ${mod}\n`;
  const go = goBuild(text);
  assert.equal(go.ok, false);
  assert.match(go.output, /missing go\.sum entry/);
  assert.throws(
    () => parseGoSum(text),
    (e: unknown) => e instanceof GoSumSyntaxError && e.line === 2 && e.reason === 'wrong number of fields 2',
  );
});
