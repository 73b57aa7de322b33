// `gosumdb explain` end to end: each verdict set up for real. A git repository served over smart
// HTTP on 127.0.0.1 (git http-backend), a checksum database (gosumdb/server's test database), a
// GOPROXY on 127.0.0.1 serving .info (with Origin), .mod and .zip, a module cache on disk and a
// go.sum file; each situation is made by changing one of them, as it happens in the wild.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { EMPTY_GOMOD_HASH } from '../../src/gosum/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { nodeSha256, startServer, gitModule, type RunningServer } from '../../src/node/index.js';
import { newTestDatabase, type ServerResponse } from '../../src/server/index.js';
import { createZip, moduleContents } from '../../src/zip/index.js';
import { buildRepo, gitEnv } from '../../src/node/gitrepo.js';
import { startGitServer } from '../helpers/githttp.js';
import { cli } from './world.js';
import { h1 } from '../helpers/modules.js';

const path = 'example.test/m.git';
const version = 'v1.0.0';
const enc = new TextEncoder();
const textOf = (b: Uint8Array) => new TextDecoder().decode(b);

type Proxy = { files: Map<string, Uint8Array>; hang: boolean; huge: boolean };

async function setUp() {
  const tmp = await mkdtemp(join(tmpdir(), 'gosumdb-explain-'));
  const repoDir = join(tmp, 'repos', 'm');
  const commits = await buildRepo(repoDir, [
    {
      commit: {
        'go.mod': `module ${path}\n`,
        'm.go': 'package m\n\n// Hello says hello.\nfunc Hello() string { return "hello" }\n',
        LICENSE: 'MIT\n',
      },
    },
    { tag: version },
    {
      commit: {
        'go.mod': `module ${path}\n`,
        'm.go': 'package m\n\n// Hello says hello, louder.\nfunc Hello() string { return "HELLO" }\n',
        LICENSE: 'MIT\n',
        'extra.go': 'package m\n',
      },
    },
  ]);
  const git = await startGitServer({ root: join(tmp, 'repos') });
  // What was published: the module at the tag's first commit, as the go command builds it.
  const published = await gitModule({ repo: repoDir }, path, version);
  const zipA = await createZip(path, version, published.files);
  const contentsA = await moduleContents(path, version, published.files);
  const hashA = h1(Object.fromEntries(contentsA.map((c) => [c.name, textOf(c.data)])));
  const modA = published.goMod;
  const modHash = h1({ 'go.mod': textOf(modA) });
  const later = await gitModule({ repo: repoDir, rev: commits[1]! }, path, version);
  const zipB = await createZip(path, version, later.files);
  const hashB = h1(Object.fromEntries((await moduleContents(path, version, later.files)).map((c) => [c.name, textOf(c.data)])));

  const db = newTestDatabase({
    records: [{ path, version, text: `${path} ${version} ${hashA}\n${path} ${version}/go.mod ${modHash}\n` }],
    sha256: nodeSha256,
  });
  const dbServer = await startServer(db.handle);
  const proxy: Proxy = { files: new Map(), hang: false, huge: false };
  const info = (hash: string) =>
    enc.encode(
      JSON.stringify({
        Version: version,
        Time: '2020-01-02T03:04:05Z',
        Origin: { VCS: 'git', URL: `${git.url}/m`, Ref: `refs/tags/${version}`, Hash: hash },
      }),
    );
  proxy.files.set(`/${path}/@v/${version}.info`, info(commits[0]!));
  proxy.files.set(`/${path}/@v/${version}.mod`, modA);
  proxy.files.set(`/${path}/@v/${version}.zip`, zipA);
  const proxyServer: RunningServer = await startServer(async (p, signal): Promise<ServerResponse> => {
    if (proxy.hang) await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
    if (proxy.huge)
      return { status: 200, contentType: 'application/zip', body: new Uint8Array(16), headers: { 'Content-Length': String(2 ** 40) } };
    const body = proxy.files.get(p);
    return body
      ? { status: 200, contentType: 'application/octet-stream', body }
      : { status: 404, contentType: 'text/plain', body: enc.encode('not found\n') };
  });
  const modcache = join(tmp, 'modcache');
  const dl = join(modcache, 'cache', 'download', path, '@v');
  const extracted = join(modcache, `${path}@${version}`);
  const writeCache = async (zip: Uint8Array, ziphash: string) => {
    await rm(modcache, { recursive: true, force: true });
    await mkdir(dl, { recursive: true });
    await writeFile(join(dl, `${version}.zip`), zip);
    await writeFile(join(dl, `${version}.ziphash`), `${ziphash}\n`);
    await writeFile(join(dl, `${version}.mod`), modA);
    for (const c of contentsA) {
      const f = join(extracted, c.name.slice(`${path}@${version}/`.length));
      await mkdir(join(f, '..'), { recursive: true });
      await writeFile(f, c.data);
    }
  };
  await writeCache(zipA, hashA);
  const gosumFile = join(tmp, 'go.sum');
  const writeGoSum = (zipHash: string, mod = modHash) =>
    writeFile(gosumFile, `${path} ${version} ${zipHash}\n${path} ${version}/go.mod ${mod}\n`);
  await writeGoSum(hashA);
  const env = {
    HOME: tmp,
    GOPATH: join(tmp, 'gopath'),
    GOMODCACHE: modcache,
    GOSUMDB: `${db.vkey} ${dbServer.url}`,
    GOPROXY: proxyServer.url,
    NO_COLOR: '1',
    PATH: '',
  };
  const explain = (...extra: string[]) => cli(['explain', ...extra, `${path}@${version}`, 'go.sum'], env, tmp);
  return {
    tmp,
    repoDir,
    commits,
    git,
    db,
    dbServer,
    proxy,
    proxyServer,
    hashA,
    hashB,
    modHash,
    zipA,
    zipB,
    contentsA,
    extracted,
    writeCache,
    writeGoSum,
    explain,
    env,
    async close() {
      await git.close();
      await dbServer.close();
      await proxyServer.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

function jsonOf(stdout: string): {
  verdict: string;
  schema: string;
  version: number;
  evidence: string[];
  sources: { kind: string; status: string; hash?: string; commit?: string }[];
  comparisons: { changes: { name: string; change: string; lineEndingsOnly?: boolean }[] }[];
} {
  return JSON.parse(stdout);
}

test('explain: every verdict, set up for real', async (t) => {
  const w = await setUp();
  try {
    await t.test('consistent: go.sum, database, proxy, cache and origin agree (exit 0)', async () => {
      const r = await w.explain('--json');
      const j = jsonOf(r.stdout);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(j.schema, 'gosumdb/explain');
      assert.equal(j.version, 1);
      assert.equal(j.verdict, 'consistent');
      assert.deepEqual(
        j.sources.map((s) => [s.kind, s.status]),
        [
          ['gosum', 'ok'],
          ['sumdb', 'ok'],
          ['proxy', 'ok'],
          ['cache', 'ok'],
          ['vcs', 'ok'],
        ],
      );
      assert.ok(j.sources.every((s) => s.hash === undefined || s.hash === w.hashA));
    });

    await t.test('gosum-edited: go.sum holds a hash no source has', async () => {
      await w.writeGoSum('h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
      const r = await w.explain();
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^example\.test\/m\.git@v1\.0\.0: gosum-edited\n/);
      assert.match(
        r.stdout,
        new RegExp(`remedy: Restore the line from the database: ${path} ${version} ${w.hashA.replace(/[+/]/g, '\\$&')}`),
      );
      await w.writeGoSum(w.hashA);
    });

    await t.test('gosum-edited: a second, conflicting line is explained, not hidden behind the first', async () => {
      const bad = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
      await writeFile(
        join(w.tmp, 'go.sum'),
        `${path} ${version} ${w.hashA}\n${path} ${version} ${bad}\n${path} ${version}/go.mod ${w.modHash}\n`,
      );
      const r = await w.explain('--json');
      const j = jsonOf(r.stdout);
      assert.equal(j.verdict, 'gosum-edited');
      assert.equal(r.code, 1);
      assert.ok(j.evidence.includes(`go.sum (line 2, 3): ${bad}`), j.evidence.join('\n'));
      // Lines the go command drops or ignores (the empty-go.mod hash, another algorithm) are no conflict.
      await writeFile(
        join(w.tmp, 'go.sum'),
        `${path} ${version} h2:abcdef\n${path} ${version} ${w.hashA}\n${path} ${version}/go.mod ${EMPTY_GOMOD_HASH}\n` +
          `${path} ${version}/go.mod ${w.modHash}\n`,
      );
      const ignored = await w.explain('--json');
      assert.equal(jsonOf(ignored.stdout).verdict, 'consistent', ignored.stdout);
      assert.equal(ignored.code, 0);
      await w.writeGoSum(w.hashA);
    });

    await t.test('audit --explain explains every line that is not ok', async () => {
      await w.writeGoSum('h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
      const r = await cli(['audit', '--explain', '--json', 'go.sum'], w.env, w.tmp);
      const doc = JSON.parse(r.stdout) as { schema: string; explanations: { verdict: string; module: { path: string } }[] };
      assert.equal(doc.schema, 'gosumdb/audit');
      assert.deepEqual(
        doc.explanations.map((e) => [e.module.path, e.verdict]),
        [[path, 'gosum-edited']],
      );
      assert.equal(r.code, 1);
      const text = await cli(['audit', '--explain', 'go.sum'], w.env, w.tmp);
      assert.match(text.stdout, /\nexample\.test\/m\.git@v1\.0\.0: gosum-edited\n/);
      await w.writeGoSum(w.hashA);
      const clean = await cli(['audit', '--explain', '--json', 'go.sum'], w.env, w.tmp);
      assert.deepEqual((JSON.parse(clean.stdout) as { explanations: unknown[] }).explanations, []);
      assert.equal(clean.code, 0);
    });

    await t.test('gomod-only: only the /go.mod line differs', async () => {
      await w.writeGoSum(w.hashA, `h1:${'B'.repeat(42)}A=`);
      const r = await w.explain('--json');
      assert.equal(jsonOf(r.stdout).verdict, 'gomod-only');
      assert.equal(r.code, 1);
      await w.writeGoSum(w.hashA);
    });

    await t.test('line-endings: go.sum hashed the same files with CRLF line endings', async () => {
      const crlf = h1(Object.fromEntries(w.contentsA.map((c) => [c.name, textOf(c.data).replace(/\n/g, '\r\n')])));
      await w.writeGoSum(crlf);
      const r = await w.explain('--json');
      assert.equal(jsonOf(r.stdout).verdict, 'line-endings', r.stdout);
      assert.equal(r.code, 1);
      await w.writeGoSum(w.hashA);
    });

    await t.test('cache-modified: a file of the extracted directory was edited', async () => {
      await writeFile(join(w.extracted, 'm.go'), 'package m // patched locally\n');
      const r = await w.explain('--json');
      const j = jsonOf(r.stdout);
      assert.equal(j.verdict, 'cache-modified');
      assert.equal(r.code, 1);
      assert.ok(j.evidence.some((l) => l.startsWith('cache directory: h1:') && !l.endsWith(w.hashA)));
      await w.writeCache(w.zipA, w.hashA);
    });

    await t.test('proxy-differs: the proxy serves other content under the same version, shown file by file', async () => {
      w.proxy.files.set(`/${path}/@v/${version}.zip`, w.zipB);
      const r = await w.explain('--json', '--diff');
      const j = jsonOf(r.stdout);
      assert.equal(j.verdict, 'proxy-differs');
      assert.equal(r.code, 1);
      const changes = j.comparisons.flatMap((c) => c.changes.map((x) => `${x.change} ${x.name}`)).sort();
      assert.deepEqual(changes, ['added extra.go', 'changed m.go']);
      const text = await w.explain('--diff');
      assert.match(text.stdout, /\+ extra\.go {2}10 bytes/);
      assert.match(text.stdout, /-\/\/ Hello says hello\./);
      assert.match(text.stdout, /\+\/\/ Hello says hello, louder\./);
      w.proxy.files.set(`/${path}/@v/${version}.zip`, w.zipA);
    });

    await t.test('retagged: the tag was moved after publication; names the published and the current commit', async () => {
      execFileSync('git', ['tag', '-f', version, w.commits[1]!], { cwd: w.repoDir, env: gitEnv(w.tmp) });
      try {
        const r = await w.explain();
        assert.equal(r.code, 1);
        assert.match(r.stdout, /^example\.test\/m\.git@v1\.0\.0: retagged\n/);
        assert.match(r.stdout, new RegExp(`published commit \\(proxy's Origin\\): ${w.commits[0]}`));
        assert.match(r.stdout, new RegExp(`the tag's commit now: ${w.commits[1]}`));
        assert.match(r.stdout, /\+ extra\.go/);
        // go.sum written by a direct fetch after the move: it matches the origin, not the database.
        await w.writeGoSum(w.hashB);
        const direct = jsonOf((await w.explain('--json')).stdout);
        assert.equal(direct.verdict, 'retagged');
        assert.equal(direct.sources.find((s) => s.kind === 'vcs')?.hash, w.hashB);
      } finally {
        await w.writeGoSum(w.hashA);
        execFileSync('git', ['tag', '-f', version, w.commits[0]!], { cwd: w.repoDir, env: gitEnv(w.tmp) });
      }
    });

    await t.test('not-published: the database does not know the version', async () => {
      const r = await cli(['explain', '--json', `${path}@v1.2.3`, 'go.sum'], w.env, w.tmp);
      assert.equal(jsonOf(r.stdout).verdict, 'not-published');
      assert.equal(r.code, 1);
    });

    await t.test('a proxy that never answers is shown as unreachable; the verdict rests on the others', async () => {
      w.proxy.hang = true;
      try {
        const r = await w.explain('--json', '--timeout', '3s');
        const j = jsonOf(r.stdout);
        assert.deepEqual(j.sources.find((s) => s.kind === 'proxy')?.status, 'unreachable');
        assert.equal(j.verdict, 'consistent');
      } finally {
        w.proxy.hang = false;
      }
    });

    await t.test('a proxy that announces a huge zip is refused, not downloaded', async () => {
      w.proxy.huge = true;
      const r = await w.explain('--json');
      const j = jsonOf(r.stdout);
      assert.equal(j.sources.find((s) => s.kind === 'proxy')?.status, 'error');
      w.proxy.huge = false;
    });

    await t.test('a database whose answer fails its proof: security error, exit 3', async () => {
      const bad = newTestDatabase({
        records: [{ path, version, text: `${path} ${version} ${w.hashA}\n${path} ${version}/go.mod ${w.modHash}\n` }],
        sha256: nodeSha256,
        mode: 'bad-record',
      });
      const s = await startServer(bad.handle);
      try {
        const r = await cli(['explain', '--json', '--sumdb', `${bad.vkey} ${s.url}`, `${path}@${version}`, 'go.sum'], w.env, w.tmp);
        assert.equal(jsonOf(r.stdout).verdict, 'unknown');
        assert.equal(r.code, 3);
      } finally {
        await s.close();
      }
    });

    await t.test('unknown: without the database nothing is taken as the reference', async () => {
      const r = await cli(['explain', '--json', '--sumdb', 'off', `${path}@${version}`, 'go.sum'], w.env, w.tmp);
      assert.equal(jsonOf(r.stdout).verdict, 'unknown');
      assert.equal(r.code, 1);
      assert.equal((await cli(['explain', 'nonsense'], w.env, w.tmp)).code, 2);
    });
  } finally {
    await w.close();
  }
});

test('audit --explain explains many failing lines a few at a time, within the run', async () => {
  // Twelve module versions the database does not know; the proxy holds each .info request a moment.
  const db = newTestDatabase({ synthetic: 3, sha256: nodeSha256 });
  const dbServer = await startServer(db.handle);
  let inFlight = 0;
  let peak = 0;
  const proxy = await startServer(async (path) => {
    if (!path.endsWith('.info')) return { status: 404, contentType: 'text/plain', body: new Uint8Array() };
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((done) => setTimeout(done, 50));
    inFlight--;
    return { status: 404, contentType: 'text/plain', body: new Uint8Array() };
  });
  const tmp = await mkdtemp(join(tmpdir(), 'gosumdb-explain-many-'));
  try {
    const h = `h1:${'A'.repeat(43)}=`;
    await writeFile(join(tmp, 'go.sum'), Array.from({ length: 12 }, (_, i) => `example.test/gone${i} v1.0.0 ${h}\n`).join(''));
    const env = { HOME: tmp, GOPATH: join(tmp, 'gopath'), GOSUMDB: `${db.vkey} ${dbServer.url}`, GOPROXY: proxy.url, PATH: '' };
    const r = await cli(['audit', '--explain', '--json', '--no-state', 'go.sum'], env, tmp);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { explanations: { module: { path: string } }[] };
    assert.deepEqual(
      doc.explanations.map((e) => e.module.path),
      Array.from({ length: 12 }, (_, i) => `example.test/gone${i}`),
    );
    assert.ok(peak > 1 && peak <= 4, `at most 4 explanations at once, saw ${peak}`);
  } finally {
    await Promise.all([dbServer.close(), proxy.close()]);
    await rm(tmp, { recursive: true, force: true });
  }
});
