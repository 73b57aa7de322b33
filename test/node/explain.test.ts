// explainOnDisk's origin repository: found through the module path's go-import meta tag when no
// proxy gives an Origin, and reported (not waited for) when it cannot be reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainOnDisk, hashGitModule, httpTransport } from '../../src/node/index.js';
import { goImportRepo } from '../../src/node/explain.js';
import { buildRepo } from '../../src/node/gitrepo.js';
import { createZip } from '../../src/zip/index.js';
import { startGitServer } from '../helpers/githttp.js';

test('goImportRepo: the tag whose root is the path or its parent; the directory below it without /vN', () => {
  const html =
    '<html><head><meta name="go-import" content="example.test/other git https://x/other"><meta name="go-import" ' +
    'content="example.test/r git https://x/r.git"></head>';
  assert.deepEqual(goImportRepo(html, 'example.test/r'), { repo: 'https://x/r.git', subdir: '' });
  assert.deepEqual(goImportRepo(html, 'example.test/r/sub/v2'), { repo: 'https://x/r.git', subdir: 'sub' });
  assert.equal(goImportRepo(html, 'example.test/rx'), undefined);
  assert.equal(goImportRepo('<meta name="go-import" content="example.test/r mod https://proxy">', 'example.test/r'), undefined);
});

test('explainOnDisk finds the repository through go-import, and reports an unreachable one', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'gosumdb-explain-node-'));
  const path = 'example.test/sub/repo/lib';
  const server = await startGitServer({
    root: tmp,
    goImport: (p, base) => (p.startsWith('example.test/sub/repo') ? `example.test/sub/repo git ${base}/repo` : undefined),
  });
  try {
    const commits = await buildRepo(join(tmp, 'repo'), [
      { commit: { LICENSE: 'L\n', 'lib/go.mod': `module ${path}\n`, 'lib/l.go': 'package lib\n' } },
      { tag: 'lib/v1.0.0' },
    ]);
    const want = await hashGitModule({ repo: join(tmp, 'repo'), subdir: 'lib' }, path, 'v1.0.0');
    const e = await explainOnDisk(path, 'v1.0.0', {
      transport: httpTransport({ retries: 0 }),
      goImportURL: (p) => `${server.url}/${p}?go-get=1`,
      timeoutMs: 30_000,
    });
    const vcs = e.sources.find((s) => s.kind === 'vcs');
    assert.deepEqual([vcs?.status, vcs?.name, vcs?.commit, vcs?.hash], ['ok', `${server.url}/repo`, commits[0], want.hash]);
    assert.ok(
      vcs?.files?.some((f) => f.name === 'LICENSE'),
      "the root LICENSE is in a subdirectory module's files",
    );
    const gone = await explainOnDisk(path, 'v1.0.0', { vcs: 'http://127.0.0.1:1/nothing', timeoutMs: 30_000 });
    assert.equal(gone.sources.find((s) => s.kind === 'vcs')?.status, 'error');
  } finally {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  }
});

test("a repository a proxy's Origin names is cloned only from an http(s) URL, and its subdir stays inside", async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'gosumdb-explain-origin-'));
  try {
    // A real local repository: named by a hostile proxy, it must not be read.
    await buildRepo(join(tmp, 'private'), [
      { commit: { 'go.mod': 'module example.test/m\n', 'secret.txt': 'hunter2\n' } },
      { tag: 'v1.0.0' },
    ]);
    const goMod = new TextEncoder().encode('module example.test/m\n');
    const zip = await createZip('example.test/m', 'v1.0.0', [{ path: 'go.mod', kind: 'file', size: goMod.length, open: () => goMod }]);
    const origins = [
      { URL: join(tmp, 'private') },
      { URL: `file://${join(tmp, 'private')}` },
      { URL: 'ssh://git@127.0.0.1:1/victim' },
      { URL: 'git@127.0.0.1:victim' },
      { URL: 'fd::0' },
      { URL: 'https://example.test/r', Subdir: '../..' },
    ];
    for (const o of origins) {
      const transport = async (url: string) => {
        if (url.endsWith('.info')) return new TextEncoder().encode(JSON.stringify({ Version: 'v1.0.0', Origin: { VCS: 'git', ...o } }));
        if (url.endsWith('.mod')) return new TextEncoder().encode('module example.test/m\n');
        if (url.endsWith('.zip')) return zip;
        throw new Error(`unexpected ${url}`);
      };
      const e = await explainOnDisk('example.test/m', 'v1.0.0', { proxies: ['https://proxy.test'], transport, timeoutMs: 10_000 });
      const vcs = e.sources.find((s) => s.kind === 'vcs');
      assert.equal(vcs?.status, 'error', JSON.stringify(o));
      assert.match(vcs?.error ?? '', /^not cloned: /, JSON.stringify(o));
      assert.ok(!JSON.stringify(e).includes('hunter2'));
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
