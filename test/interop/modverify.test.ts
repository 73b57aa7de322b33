// verifyModCacheOnDisk against `go mod verify`: a module cache laid out as the go command writes it,
// intact and then tampered in each way go mod verify detects; both must report the same problems.
// Needs `go` on PATH (npm run test:interop checks for it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { hashZipFile, verifyModCacheOnDisk } from '../../src/node/index.js';
import { inModule, moduleZip } from '../helpers/modules.js';
import { goOffline } from './go.js';

const enc = (s: string) => new TextEncoder().encode(s);
const modules = [
  { path: 'example.com/dep', escaped: 'example.com/dep', version: 'v1.0.0' },
  { path: 'example.com/Upper/Case', escaped: 'example.com/!upper/!case', version: 'v1.2.3-RC1', escapedVersion: 'v1.2.3-!r!c1' },
];

async function world(): Promise<{ root: string; cache: string; dl: (i: number) => string; dir: (i: number) => string }> {
  const root = mkdtempSync(join(tmpdir(), 'gosumdb-modverify-'));
  const cache = join(root, 'modcache');
  const dl = (i: number) => join(cache, 'cache/download', modules[i]!.escaped, '@v');
  const ev = (i: number) => modules[i]!.escapedVersion ?? modules[i]!.version;
  const dir = (i: number) => join(cache, `${modules[i]!.escaped}@${ev(i)}`);
  for (const [i, m] of modules.entries()) {
    const files: Record<string, string> = { 'go.mod': `module ${m.path}\n`, 'a.go': 'package a\n', 'sub/b.go': 'package sub\n' };
    mkdirSync(dl(i), { recursive: true });
    const zip = join(dl(i), `${ev(i)}.zip`);
    writeFileSync(zip, moduleZip(inModule(m.path, m.version, files)));
    writeFileSync(join(dl(i), `${ev(i)}.mod`), files['go.mod']!);
    writeFileSync(join(dl(i), `${ev(i)}.info`), `{"Version":"${m.version}","Time":"2020-01-01T00:00:00Z"}`);
    writeFileSync(join(dl(i), `${ev(i)}.ziphash`), await hashZipFile(zip));
    for (const [k, v] of Object.entries(files)) {
      mkdirSync(join(dir(i), k, '..'), { recursive: true });
      writeFileSync(join(dir(i), k), v);
    }
  }
  mkdirSync(join(root, 'main'));
  writeFileSync(
    join(root, 'main/go.mod'),
    `module example.com/main\n\ngo 1.19\n\nrequire (\n${modules.map((m) => `\t${m.path} ${m.version}\n`).join('')})\n`,
  );
  return { root, cache, dl, dir };
}

function goModVerify(root: string, cache: string): string[] {
  const { output } = goOffline(['mod', 'verify'], { cwd: join(root, 'main'), root, cache, goflags: '-mod=mod' });
  return output.split('\n').filter((l) => l !== '');
}

async function ours(cache: string): Promise<string[]> {
  const report = await verifyModCacheOnDisk(cache);
  const problems = report.flatMap((e) => e.problems);
  return problems.length === 0 ? ['all modules verified'] : problems;
}

test('an intact cache: go mod verify and verifyModCacheOnDisk agree', async () => {
  const w = await world();
  try {
    assert.deepEqual(goModVerify(w.root, w.cache), ['all modules verified']);
    assert.deepEqual(await ours(w.cache), ['all modules verified']);
    assert.deepEqual(
      (await verifyModCacheOnDisk(w.cache)).map((e) => `${e.path}@${e.version} ${e.status}`).sort(),
      modules.map((m) => `${m.path}@${m.version} ok`).sort(),
    );
  } finally {
    rmSync(w.root, { recursive: true, force: true });
  }
});

test('a modified directory, a modified zip and a missing ziphash: the same messages as go mod verify', async () => {
  const w = await world();
  try {
    writeFileSync(join(w.dir(0), 'a.go'), 'package evil\n');
    writeFileSync(
      join(w.dl(1), 'v1.2.3-!r!c1.zip'),
      zipSync({ 'example.com/Upper/Case@v1.2.3-RC1/go.mod': enc('module example.com/Upper/Case\n') }),
    );
    assert.deepEqual((await ours(w.cache)).sort(), goModVerify(w.root, w.cache).sort());
    rmSync(join(w.dl(0), 'v1.0.0.ziphash'));
    const go = goModVerify(w.root, w.cache).sort();
    assert.ok(
      go.some((l) => l.includes('missing ziphash')),
      go.join('\n'),
    );
    assert.deepEqual((await ours(w.cache)).sort(), go);
  } finally {
    rmSync(w.root, { recursive: true, force: true });
  }
});
