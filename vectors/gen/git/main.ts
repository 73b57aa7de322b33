// Writes vectors/git/modules.json: what the go command (the oracle, not x/mod) records for module
// versions it downloads directly from git repositories: the h1 of the zip and of the go.mod,
// the version it resolves a commit to, and the commit (the .info Origin hash).
//
// Each repository is built from the data below (src/node/gitrepo.ts: fixed identity and
// dates, so the same commit hashes everywhere), served on 127.0.0.1 by git http-backend
// (test/helpers/githttp.ts), and fetched by `go mod download -json` with GOPROXY=direct and a
// git `url.<server>.insteadOf https://example.test/` rule, into a fresh module cache per case.
//
// Run from the repository root (npm run vectors runs it): node --import tsx vectors/gen/git/main.ts [outdir]
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildRepo, gitVersion, type RepoStep } from '../../../src/node/gitrepo.js';
import { startGitServer } from '../../../test/helpers/githttp.js';

const run = promisify(execFile);

const lic = 'Copyright gophers.\nUse freely.\n';

/** The repositories: name -> steps. Module paths are example.test/<name>.git[/...]. */
export const repos: Record<string, readonly RepoStep[]> = {
  r1: [
    {
      commit: {
        'go.mod': 'module example.test/r1.git\n',
        'a.go': 'package a\n',
        'dir with space/b c.go': 'package b\n',
        'données/é.go': 'package d\n',
        LICENSE: lic,
      },
    },
    { tag: 'v1.0.0' },
    { commit: { 'go.mod': 'module example.test/r1.git\n', 'a.go': 'package a // two\n', LICENSE: lic } },
  ],
  r2: [
    {
      commit: { LICENSE: lic, 'root.go': 'package root\n', 'sub/go.mod': 'module example.test/r2.git/sub\n', 'sub/s.go': 'package sub\n' },
    },
    { tag: 'sub/v1.0.0' },
    {
      commit: {
        LICENSE: lic,
        'sub/go.mod': 'module example.test/r2.git/sub\n',
        'sub/s.go': 'package sub\n',
        'sub/LICENSE': 'Sub license.\n',
      },
    },
    { tag: 'sub/v1.1.0' },
  ],
  r3: [
    {
      commit: {
        'go.mod': 'module example.test/r3.git\n',
        'x.go': 'package x\n',
        'v2/go.mod': 'module example.test/r3.git/v2\n',
        'v2/x.go': 'package x // v2\n',
        LICENSE: lic,
      },
    },
    { tag: 'v1.0.0' },
    { tag: 'v2.0.0' },
  ],
  r4: [{ commit: { 'go.mod': 'module example.test/r4.git/v2\n', 'y.go': 'package y\n' } }, { tag: 'v2.1.0' }],
  r5: [{ commit: { 'old.go': 'package old\n', 'sub/z.go': 'package sub\n' } }, { tag: 'v3.0.0' }],
  r6: [{ commit: { 'go.mod': 'module example.test/r6.git\n', 'p.go': 'package p\n' } }],
  r7: [
    {
      commit: {
        '.gitattributes':
          '*.txt export-ignore\nsubst.go export-subst\n*.crlf text eol=crlf\n*.auto text=auto\n*.bin -text\nlf.txt2 text eol=lf\n',
        'go.mod': 'module example.test/r7.git\n',
        'ignored.txt': 'export-ignore is not applied\n',
        'subst.go': 'package s // $Format:%H$\n',
        'x.crlf': 'one\ntwo\n',
        'y.auto': 'three\r\nfour\r\n',
        'z.bin': 'five\r\nsix\n',
        'w.go': 'package w\r\n// stored with CRLF, no attribute\r\n',
        'lf.txt2': 'seven\r\neight\r\n',
      },
    },
    { tag: 'v1.0.0' },
  ],
  r8: [
    {
      commit: {
        'go.mod': 'module example.test/r8.git\n',
        'a.go': 'package a\n',
        'link.go': { text: 'a.go', mode: '120000' },
        dirlink: { text: 'inner', mode: '120000' },
        'inner/i.go': 'package inner\n',
        'run.sh': { text: '#!/bin/sh\necho hi\n', mode: '100755' },
        'vendor/modules.txt': '# none\n',
        'vendor/v/v.go': 'package v\n',
        'nested/go.mod': 'module example.test/r8.git/nested\n',
        'nested/n.go': 'package nested\n',
        '.hg_archival.txt': 'repo: x\n',
        'with space.go': 'package a\n',
        '日本語/名前.go': 'package jp\n',
      },
    },
    { tag: 'v1.0.0' },
  ],
  r9: [
    { commit: { 'go.mod': 'module example.test/r9.git\n', 'm.go': 'package m // first\n' } },
    { tag: 'v1.0.0' },
    { commit: { 'go.mod': 'module example.test/r9.git\n', 'm.go': 'package m // retagged\n', 'extra.go': 'package m\n' } },
    { moveTag: 'v1.0.0', at: 1 },
  ],
  r10: [
    { commit: { 'go.mod': 'module example.test/r10.git\n\ngo 1.19\r\n', 'c.go': 'package c\n' } },
    { tag: 'v0.1.0' },
    { commit: { 'go.mod': 'module example.test/r10.git\n\ngo 1.19\r\n', 'c.go': 'package c\n', 'd.go': 'package c\n' } },
    { tag: 'v0.2.0-rc.1' },
    { commit: { 'go.mod': 'module example.test/r10.git\n\ngo 1.19\r\n', 'c.go': 'package c // after rc\n' } },
  ],
};

/** A case: the repository state after `steps` steps, and what the go command is asked for. */
export type GitCase = {
  readonly name: string;
  readonly repo: string;
  readonly steps: number;
  readonly path: string;
  /** query is a version, or a commit given by its index. */
  readonly query: string | { readonly commit: number };
  /** subdir is the module's directory in the repository, as a user of `hash --git` would give it. */
  readonly subdir: string;
};

export const cases: readonly GitCase[] = [
  { name: 'tag', repo: 'r1', steps: 2, path: 'example.test/r1.git', query: 'v1.0.0', subdir: '' },
  { name: 'pseudo-after-tag', repo: 'r1', steps: 3, path: 'example.test/r1.git', query: { commit: 1 }, subdir: '' },
  { name: 'subdir-root-license', repo: 'r2', steps: 2, path: 'example.test/r2.git/sub', query: 'v1.0.0', subdir: 'sub' },
  { name: 'subdir-own-license', repo: 'r2', steps: 4, path: 'example.test/r2.git/sub', query: 'v1.1.0', subdir: 'sub' },
  { name: 'major-subdirectory', repo: 'r3', steps: 3, path: 'example.test/r3.git/v2', query: 'v2.0.0', subdir: '' },
  { name: 'v1-beside-major-subdirectory', repo: 'r3', steps: 3, path: 'example.test/r3.git', query: 'v1.0.0', subdir: '' },
  { name: 'major-branch-root', repo: 'r4', steps: 2, path: 'example.test/r4.git/v2', query: 'v2.1.0', subdir: '' },
  { name: 'incompatible', repo: 'r5', steps: 2, path: 'example.test/r5.git', query: 'v3.0.0+incompatible', subdir: '' },
  { name: 'pseudo-no-tag', repo: 'r6', steps: 1, path: 'example.test/r6.git', query: { commit: 0 }, subdir: '' },
  { name: 'gitattributes', repo: 'r7', steps: 2, path: 'example.test/r7.git', query: 'v1.0.0', subdir: '' },
  { name: 'links-modes-vendor-nested-names', repo: 'r8', steps: 2, path: 'example.test/r8.git', query: 'v1.0.0', subdir: '' },
  { name: 'moved-tag-before', repo: 'r9', steps: 2, path: 'example.test/r9.git', query: 'v1.0.0', subdir: '' },
  { name: 'moved-tag-after', repo: 'r9', steps: 4, path: 'example.test/r9.git', query: 'v1.0.0', subdir: '' },
  { name: 'crlf-go-mod', repo: 'r10', steps: 2, path: 'example.test/r10.git', query: 'v0.1.0', subdir: '' },
  { name: 'pseudo-after-prerelease', repo: 'r10', steps: 5, path: 'example.test/r10.git', query: { commit: 2 }, subdir: '' },
];

type DownloadJSON = { Version: string; Sum: string; GoModSum: string; Origin?: { Hash?: string; Ref?: string }; Error?: string };

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'vectors/git';
  const work = await mkdtemp(join(tmpdir(), 'gosumdb-gitvec-'));
  const goVersion = (await run('go', ['env', 'GOVERSION'])).stdout.trim();
  const git = await gitVersion();
  const results = [];
  try {
    for (const c of cases) {
      const root = join(work, c.name);
      const commits = await buildRepo(join(root, 'repos', c.repo), repos[c.repo]!.slice(0, c.steps));
      const server = await startGitServer({ root: join(root, 'repos') });
      try {
        const gitconfig = join(root, 'gitconfig');
        await writeFile(gitconfig, `[url "${server.url}/"]\n\tinsteadOf = https://example.test/\n`);
        await mkdir(join(root, 'mod'), { recursive: true });
        const query = typeof c.query === 'string' ? c.query : commits[c.query.commit]!;
        const env = {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: root,
          GOPATH: join(root, 'gopath'),
          GOMODCACHE: join(root, 'mod'),
          GOCACHE: join(root, 'gocache'),
          GOPROXY: 'direct',
          GOSUMDB: 'off',
          GONOSUMDB: '*',
          GOFLAGS: '-mod=mod',
          GO111MODULE: 'on',
          GIT_CONFIG_GLOBAL: gitconfig,
          GIT_CONFIG_NOSYSTEM: '1',
        };
        const { stdout } = await run('go', ['mod', 'download', '-json', `${c.path}@${query}`], { cwd: root, env }).catch(
          (e: { stdout?: string; stderr?: string }) => {
            throw new Error(`${c.name}: go mod download failed: ${e.stderr ?? ''}${e.stdout ?? ''}`);
          },
        );
        const d = JSON.parse(stdout) as DownloadJSON;
        if (d.Error) throw new Error(`${c.name}: ${d.Error}`);
        results.push({
          name: c.name,
          input: { repo: c.repo, steps: repos[c.repo]!.slice(0, c.steps), path: c.path, query: c.query, subdir: c.subdir },
          want: { version: d.Version, sum: d.Sum, goModSum: d.GoModSum, commit: d.Origin?.Hash ?? '' },
        });
      } finally {
        await server.close();
        await run('chmod', ['-R', 'u+w', root]);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
  const head = {
    generator: `vectors/gen/git (${goVersion}, ${git})`,
    xmod: 'none: the go command is the oracle',
    area: 'git',
    topic: 'modules',
  };
  const lines = results.map((r, i) => `  ${JSON.stringify(r)}${i < results.length - 1 ? ',' : ''}`);
  const text = `{\n${Object.entries(head)
    .map(([k, v]) => ` "${k}": ${JSON.stringify(v)},`)
    .join('\n')}\n "cases": [\n${lines.join('\n')}\n ]\n}\n`;
  await writeFile(join(out, 'modules.json'), text);
}

await main();
