// `gosumdb hash --git`: the two go.sum lines the go command writes, from a local repository and
// over git's smart HTTP (git http-backend on 127.0.0.1), expected values from vectors/git (the
// go command's own answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRepo, type RepoStep } from '../../src/node/gitrepo.js';
import { cli } from '../cli/world.js';
import { startGitServer } from '../helpers/githttp.js';

type Case = {
  name: string;
  input: { repo: string; steps: RepoStep[]; path: string; subdir: string };
  want: { version: string; sum: string; goModSum: string };
};
const vectors = JSON.parse(readFileSync(new URL('../../vectors/git/modules.json', import.meta.url), 'utf8')) as { cases: Case[] };
const byName = (n: string) => vectors.cases.find((c) => c.name === n)!;

test("hash --git prints the go command's two go.sum lines, from a directory and over smart HTTP", async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'gosumdb-hashgit-'));
  const server = await startGitServer({ root: tmp });
  try {
    const c = byName('subdir-root-license');
    await buildRepo(join(tmp, 'r2'), c.input.steps);
    const want = `${c.input.path} ${c.want.version} ${c.want.sum}\n${c.input.path} ${c.want.version}/go.mod ${c.want.goModSum}\n`;
    const local = await cli(['hash', '--git', 'r2', '--subdir', 'sub', `${c.input.path}@${c.want.version}`], {}, tmp);
    assert.deepEqual([local.code, local.stdout, local.stderr], [0, want, '']);
    const remote = await cli(
      ['hash', '--git', `${server.url}/r2`, '--rev', 'sub/v1.0.0', '--subdir', 'sub', `${c.input.path}@${c.want.version}`],
      {},
      tmp,
    );
    assert.deepEqual([remote.code, remote.stdout], [0, want]);
    assert.ok(server.requests.some((r) => r.startsWith('GET /r2/info/refs?service=git-upload-pack')));

    const p = byName('pseudo-no-tag');
    const commits = await buildRepo(join(tmp, 'r6'), p.input.steps);
    const named = await cli(['hash', '--git', 'r6', '--rev', commits[0]!, p.input.path], {}, tmp);
    assert.equal(
      named.stdout,
      `${p.input.path} ${p.want.version} ${p.want.sum}\n${p.input.path} ${p.want.version}/go.mod ${p.want.goModSum}\n`,
    );

    const unknown = await cli(['hash', '--git', 'r6', `${p.input.path}@v1.9.9`], {}, tmp);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown revision v1\.9\.9/);
    assert.equal((await cli(['hash', '--git', 'r6', p.input.path], {}, tmp)).code, 2);
    assert.equal((await cli(['hash', '--rev', 'v1.0.0', 'x.zip'], {}, tmp)).code, 2);
  } finally {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  }
});
