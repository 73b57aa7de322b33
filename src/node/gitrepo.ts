// Git repositories from a data description, built the same way (fixed names and dates, hence the
// same commit hashes) by the git vector generator (vectors/gen/git), by `gosumdb vectors` and by
// the tests that rerun it; and the runner of vectors/git. Internal: not exported from gosumdb/node.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { gitVersionFor, hashGitModule } from './git.js';

const run = promisify(execFile);

/** RepoFile is a file's content (text or base64) and git mode: 100644 (default), 100755, or 120000 (a symlink to the text). */
export type RepoFile = string | { readonly text?: string; readonly b64?: string; readonly mode?: '100644' | '100755' | '120000' };

/** RepoStep: a commit replacing the whole tree, a tag on the last commit, or a tag moved to commit `at`. */
export type RepoStep =
  | { readonly commit: Readonly<Record<string, RepoFile>> }
  | { readonly tag: string }
  | { readonly moveTag: string; readonly at: number };

/** gitEnv is the environment every git command here runs with: no user or system config, fixed identity. */
export function gitEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Gopher',
    GIT_AUTHOR_EMAIL: 'gopher@example.test',
    GIT_COMMITTER_NAME: 'Gopher',
    GIT_COMMITTER_EMAIL: 'gopher@example.test',
    ...extra,
  };
}

/** gitVersion returns `git --version` (recorded with the vectors: archives can differ between versions). */
export async function gitVersion(): Promise<string> {
  return (await run('git', ['--version'])).stdout.trim();
}

/**
 * buildRepo creates a git repository with a work tree at dir from the steps and returns the
 * commit hashes in order. Commit i is dated 2020-01-02T03:04:05Z plus i hours.
 */
export async function buildRepo(dir: string, steps: readonly RepoStep[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const git = async (args: string[], env: Record<string, string> = {}) =>
    (await run('git', args, { cwd: dir, env: gitEnv(dir, env) })).stdout.trim();
  await git(['init', '-q', '-b', 'main']);
  const commits: string[] = [];
  for (const step of steps) {
    if ('commit' in step) {
      for (const e of await readdir(dir)) if (e !== '.git') await rm(join(dir, e), { recursive: true, force: true });
      for (const [name, f] of Object.entries(step.commit)) {
        const p = join(dir, ...name.split('/'));
        await mkdir(dirname(p), { recursive: true });
        const spec = typeof f === 'string' ? { text: f } : f;
        const data = spec.b64 !== undefined ? Buffer.from(spec.b64, 'base64') : Buffer.from(spec.text ?? '', 'utf8');
        if (spec.mode === '120000') await symlink(data.toString('utf8'), p);
        else {
          await writeFile(p, data);
          if (spec.mode === '100755') await chmod(p, 0o755);
        }
      }
      const date = new Date(Date.UTC(2020, 0, 2, 3 + commits.length, 4, 5)).toISOString();
      await git(['add', '-A']);
      await git(['commit', '-q', '--allow-empty', '-m', `commit ${commits.length}`], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
      commits.push(await git(['rev-parse', 'HEAD']));
    } else if ('tag' in step) {
      await git(['tag', step.tag, 'HEAD']);
    } else {
      await git(['tag', '-f', step.moveTag, commits[step.at]!]);
    }
  }
  return commits;
}

type GitVectorInput = {
  readonly repo: string;
  readonly steps: readonly RepoStep[];
  readonly path: string;
  readonly query: string | { readonly commit: number };
  readonly subdir: string;
};

/**
 * gitRunners runs vectors/git/modules.json: builds the repository, names the version as the go
 * command would (for a commit query), rebuilds the module from git and hashes it.
 */
export const gitRunners: Readonly<Record<string, (input: GitVectorInput) => Promise<unknown>>> = {
  'git/modules': async (input: GitVectorInput) => {
    const home = await mkdtemp(join(tmpdir(), 'gosumdb-gitvec-'));
    try {
      const dir = join(home, input.repo);
      const commits = await buildRepo(dir, input.steps);
      const source = { repo: dir, subdir: input.subdir };
      let version: string;
      let rev: string | undefined;
      if (typeof input.query === 'string') version = input.query;
      else {
        rev = commits[input.query.commit]!;
        version = (await gitVersionFor({ ...source, rev }, input.path)).version;
      }
      const h = await hashGitModule(rev === undefined ? source : { ...source, rev }, input.path, version);
      return { version, sum: h.hash, goModSum: h.goModHash, commit: h.commit };
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  },
};
