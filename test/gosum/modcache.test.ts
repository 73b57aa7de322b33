// verifyModCacheOnDisk and modCacheLocalHash over a module cache laid out as the go command writes it.
// Expected hashes are computed here from the file contents with node:crypto (dirhash's h1: sha256
// over "<hex sha256>  <name>\n" lines sorted by name), not by the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modCacheLocalHash, verifyModCacheOnDisk } from '../../src/node/index.js';
import { auditGoSum, parseGoSum, verifyModCache as verifyCore, type ModCacheFS } from '../../src/gosum/index.js';
import { NotFoundError, SecurityError } from '../../src/client/index.js';
import { writeFile } from '../helpers/files.js';
import { h1, inModule, moduleZip } from '../helpers/modules.js';

const mod = 'github.com/Example/Mod';
const escaped = 'github.com/!example/!mod';
const version = 'v1.2.0';
const goMod = `module ${mod}\n`;
const content = { 'go.mod': goMod, 'a.go': 'package mod\n', 'sub/b.go': 'package sub\n' };
const prefixed = inModule(mod, version, content);
const zipHash = h1(prefixed);
const modHash = h1({ 'go.mod': goMod });

function cache(): string {
  const root = mkdtempSync(join(tmpdir(), 'gosumdb-modcache-'));
  const dl = join(root, 'cache/download', escaped, '@v');
  writeFile(join(dl, `${version}.zip`), moduleZip(prefixed));
  writeFile(join(dl, `${version}.ziphash`), zipHash + '\n');
  writeFile(join(dl, `${version}.mod`), goMod);
  writeFile(join(dl, `${version}.info`), '{}');
  for (const [k, v] of Object.entries(content)) writeFile(join(root, `${escaped}@${version}`, k), v);
  // Only the go.mod of another version, as after a module-graph walk.
  writeFile(join(dl, 'v1.1.0.mod'), goMod);
  // The sumdb cache lives under cache/download too and is not a module.
  writeFile(join(root, 'cache/download/sumdb/sum.golang.org/latest'), 'x');
  return root;
}

test('an intact cache verifies, with every hash reported', async () => {
  const root = cache();
  try {
    const report = await verifyModCacheOnDisk(root);
    assert.deepEqual(report, [
      { path: mod, version: 'v1.1.0', status: 'ok', modHash, problems: [], problemStatuses: [] },
      { path: mod, version, status: 'ok', modHash, ziphash: zipHash, zipHash, dirHash: zipHash, problems: [], problemStatuses: [] },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a modified zip, a modified directory and a missing ziphash are reported as go mod verify does', async () => {
  const root = cache();
  try {
    const dl = join(root, 'cache/download', escaped, '@v');
    writeFileSync(join(root, `${escaped}@${version}`, 'a.go'), 'package evil\n');
    let [, entry] = await verifyModCacheOnDisk(root);
    assert.equal(entry!.status, 'modified');
    assert.deepEqual(entry!.problems, [`${mod} ${version}: dir has been modified (${join(root, `${escaped}@${version}`)})`]);
    writeFileSync(join(dl, `${version}.zip`), moduleZip({ [`${mod}@${version}/go.mod`]: goMod }));
    [, entry] = await verifyModCacheOnDisk(root);
    assert.equal(entry!.zipHash, h1({ [`${mod}@${version}/go.mod`]: goMod }));
    assert.match(entry!.problems[0]!, /zip has been modified/);
    rmSync(join(dl, `${version}.ziphash`));
    entry = (await verifyModCacheOnDisk(root, { modules: [{ path: mod, version }] }))[0];
    assert.equal(entry!.status, 'error');
    assert.match(entry!.problems[0]!, /missing ziphash/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('modCacheLocalHash feeds auditGoSum: a tampered cache is a local-mismatch', async () => {
  const root = cache();
  try {
    const local = modCacheLocalHash(root);
    assert.equal(await local(mod, version, 'zip'), zipHash);
    assert.equal(await local(mod, version, 'go.mod'), modHash);
    assert.equal(await local(mod, 'v9.9.9', 'zip'), undefined);
    const dl = join(root, 'cache/download', escaped, '@v');
    writeFileSync(join(dl, `${version}.mod`), goMod + '// edited\n');
    const sum = parseGoSum(`${mod} ${version} ${zipHash}\n${mod} ${version}/go.mod ${modHash}\n`);
    const client = {
      lookup: async (p: string, v: string) => (v.endsWith('/go.mod') ? [`${p} ${v} ${modHash}`] : [`${p} ${v} ${zipHash}`]),
      latest: async () => ({ tree: { n: 1, hash: new Uint8Array(32) }, note: new Uint8Array() }),
      signedTree: async () => undefined,
    };
    const report = await auditGoSum(sum, { client, localHash: local });
    assert.deepEqual(
      report.entries.map((e) => [e.kind, e.status, e.localHash]),
      [
        ['zip', 'ok', zipHash],
        ['go.mod', 'local-mismatch', h1({ 'go.mod': goMod + '// edited\n' })],
      ],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the pure core over an in-memory file system: go.sum and database disagreements are mismatches', async () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const dl = `/c/cache/download/${escaped}/@v`;
  const files = new Map<string, Uint8Array>([
    [`${dl}/${version}.ziphash`, enc(`${zipHash}\n`)],
    [`${dl}/${version}.mod`, enc(goMod)],
  ]);
  const dirs = new Map<string, { name: string; dir: boolean }[]>([
    ['/c/cache/download', [{ name: 'github.com', dir: true }]],
    ['/c/cache/download/github.com', [{ name: '!example', dir: true }]],
    [`/c/cache/download/github.com/!example`, [{ name: '!mod', dir: true }]],
    [`/c/cache/download/${escaped}`, [{ name: '@v', dir: true }]],
    [dl, [...files.keys()].map((f) => ({ name: f.slice(dl.length + 1), dir: false }))],
  ]);
  const fs: ModCacheFS = {
    list: async (d) => dirs.get(d),
    read: async (f) => files.get(f),
    exists: async (p) => files.has(p) || dirs.has(p),
    hashZip: async () => assert.fail('no zip in this cache'),
    hashDir: async () => assert.fail('no directory in this cache'),
  };
  const forged = `h1:${createHash('sha256').update('forged').digest('base64')}`;
  const asked: string[] = [];
  const lookup = async (p: string, v: string) => {
    asked.push(`${p}@${v}`);
    return v.endsWith('/go.mod') ? [`${p} ${v} ${modHash}`] : [`${p} ${v} ${forged}`];
  };
  const [entry] = await verifyCore('/c', {
    fs,
    goSum: parseGoSum(`${mod} ${version} ${zipHash}\n${mod} ${version}/go.mod ${forged}\n`),
    lookup,
  });
  assert.equal(entry!.status, 'mismatch');
  assert.deepEqual(entry!.goSum, { zip: zipHash, mod: forged });
  assert.deepEqual(entry!.database, { zip: forged, mod: modHash });
  assert.deepEqual(entry!.problems, [
    `${mod} ${version}: go.sum has ${forged} for go.mod but the module cache's go.mod hashes to ${modHash}`,
    `${mod} ${version}: the checksum database has ${forged} for the zip but the module cache has ${zipHash}`,
  ]);
  assert.deepEqual(asked, [`${mod}@${version}`, `${mod}@${version}/go.mod`]);

  // A second, conflicting line is compared too, though the first one agrees with the cache
  // (the go command would stop at the first; the audit calls the pair a mismatch).
  const [conflict] = await verifyCore('/c', {
    fs,
    goSum: parseGoSum(`${mod} ${version} ${zipHash}\n${mod} ${version} ${forged}\n${mod} ${version}/go.mod ${modHash}\n`),
  });
  assert.equal(conflict!.status, 'mismatch');
  assert.deepEqual(conflict!.goSum, { zip: zipHash, mod: modHash });
  assert.deepEqual(conflict!.problems, [`${mod} ${version}: go.sum has ${forged} but the module cache has ${zipHash}`]);
});

test('a lying database ends the check; a failed lookup is an error on that version only', async () => {
  const root = cache();
  try {
    const fork = new SecurityError({
      older: { tree: { n: 1, hash: new Uint8Array(32) }, note: new Uint8Array() },
      newer: { tree: { n: 2, hash: new Uint8Array(32) }, note: new Uint8Array() },
      olderHashInNewer: new Uint8Array(32),
      proof: [],
    });
    await assert.rejects(verifyModCacheOnDisk(root, { lookup: async () => Promise.reject(fork) }), SecurityError);
    const entries = await verifyModCacheOnDisk(root, { lookup: async () => Promise.reject(new NotFoundError('404 Not Found')) });
    assert.deepEqual(
      entries.map((e) => e.status),
      ['error', 'error'],
    );
    assert.match(entries[1]!.problems[0]!, /checksum database: 404 Not Found/);
    await assert.rejects(verifyCore('/x', { fs: undefined as never }), TypeError);
    await assert.rejects(verifyModCacheOnDisk(root, { concurrency: 0 }), RangeError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
