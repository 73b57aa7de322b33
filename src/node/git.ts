import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GosumdbError } from '../internal/errors.js';
import { decodeUtf8Lossy } from '../internal/bytes.js';
import { hashGoMod, MAX_GO_MOD, MAX_LICENSE, MAX_ZIP_FILE } from '../dirhash/index.js';
import { Reader, toSource } from '../dirhash/source.js';
import { readDirectory, readEntry, type ZipEntry } from '../dirhash/zip.js';
import {
  canonicalVersion,
  check,
  isPseudoVersion,
  pseudoVersion,
  pseudoVersionRev,
  pseudoVersionTime,
  semver,
  splitPathVersion,
} from '../module/index.js';
import { hashFiles, type ModuleFile } from '../zip/index.js';
import { nodeCrc32, nodeInflater } from './inflate.js';
import { nodeSha256 } from './sha256.js';

/** GitSource says where a module's code is: a repository and, optionally, the revision and directory. */
export type GitSource = {
  /** repo is a local repository directory (bare or not) or a URL git can clone. */
  readonly repo: string;
  /**
   * rev is a tag, branch or commit; default: the tag for `version` (`<subdir>/<version>`
   * without `+incompatible`), or the commit a pseudo-version names.
   */
  readonly rev?: string;
  /** subdir is the module's directory in the repository ('' the root); a `/vN` major subdirectory is found as the go command finds it. */
  readonly subdir?: string;
  /** signal aborts the git commands. */
  readonly signal?: AbortSignal;
  /** timeoutMs bounds each git command (default 120000). */
  readonly timeoutMs?: number;
};

/**
 * GitModule is a module version rebuilt from git as the go command builds it for a proxy: the
 * commit, the directory, the module zip's files and the go.mod file recorded on go.sum's
 * `/go.mod` line.
 */
export type GitModule = {
  readonly path: string;
  readonly version: string;
  readonly commit: string;
  /** subdir is the directory the files come from ('' the root). */
  readonly subdir: string;
  readonly files: readonly ModuleFile[];
  readonly goMod: Uint8Array;
  /** gitVersion is `git --version`'s answer, for the record (archives can differ between versions). */
  readonly gitVersion: string;
};

const gitEnv = (home: string): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: home,
  GIT_TERMINAL_PROMPT: '0',
  // As the go command: ssh never asks on the terminal, nor shares a connection.
  GIT_SSH_COMMAND: 'ssh -o ControlMaster=no -o BatchMode=yes',
  GIT_CONFIG_NOSYSTEM: '1',
  ...(process.env['GIT_CONFIG_GLOBAL'] ? { GIT_CONFIG_GLOBAL: process.env['GIT_CONFIG_GLOBAL'] } : {}),
  LC_ALL: 'C',
});

type Run = (args: readonly string[], maxBuffer?: number) => Promise<Uint8Array>;

// A timeout or an abort kills git and everything it started (git-remote-http, ssh): killed
// alone, git leaves its helpers downloading after gosumdb has given up, even after it exits.
// git stays in gosumdb's process group, so a Ctrl-C at the terminal reaches it as before; its
// descendants are found through /proc (Linux; elsewhere git alone is killed). Trees still
// running when the process exits are killed then.
const running = new Set<number>();
let exitHook = false;

function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${e}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  for (let todo = [pid]; todo.length > 0; ) {
    const next: number[] = [];
    for (const p of todo) next.push(...(children.get(p) ?? []));
    out.push(...next);
    todo = next;
  }
  return out;
}

function killTree(pid: number): void {
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function runner(cwd: string, home: string, source: GitSource): Run {
  const timeout = source.timeoutMs ?? 120_000;
  return (args, maxBuffer = 16 * 2 ** 20) =>
    new Promise((resolve, reject) => {
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => {
          for (const pid of running) killTree(pid);
        });
      }
      const fail = (why: string, cause: unknown) =>
        reject(new GosumdbError('ERR_GIT', `git ${args.slice(0, 2).join(' ')}: ${why}`, { cause }));
      const child = spawn('git', [...args], { cwd, env: gitEnv(home), windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const pid = child.pid;
      if (pid !== undefined) running.add(pid);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outLength = 0;
      let errLength = 0;
      let stopped: Error | undefined;
      const stop = (why: string) => {
        stopped ??= new Error(why);
        if (pid !== undefined) killTree(pid);
      };
      const timer = setTimeout(() => stop(`timed out after ${timeout} ms`), timeout);
      const onAbort = () => stop('aborted');
      source.signal?.addEventListener('abort', onAbort, { once: true });
      if (source.signal?.aborted) onAbort();
      child.stdout.on('data', (d: Buffer) => {
        outLength += d.length;
        if (outLength > maxBuffer) stop('maxBuffer exceeded');
        else out.push(d);
      });
      child.stderr.on('data', (d: Buffer) => {
        if (errLength < 4096) err.push(d);
        errLength += d.length;
      });
      child.on('error', (e) => {
        if (pid === undefined) {
          clearTimeout(timer);
          source.signal?.removeEventListener('abort', onAbort);
          fail(e.message, e);
        } else stop(e.message);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        source.signal?.removeEventListener('abort', onAbort);
        if (pid !== undefined) running.delete(pid);
        if (stopped === undefined && code === 0) {
          const b = Buffer.concat(out);
          resolve(new Uint8Array(b.buffer, b.byteOffset, b.length));
          return;
        }
        const cause = stopped ?? new Error(`exit ${code ?? signal}`);
        fail(
          decodeUtf8Lossy(new Uint8Array(Buffer.concat(err)))
            .trim()
            .slice(0, 400) || cause.message,
          cause,
        );
      });
    });
}

const text = (b: Uint8Array) => decodeUtf8Lossy(b).trim();

// The module path a go.mod declares, or '' (Go's modfile.ModulePath, for the `module` line).
function modulePathOf(gomod: Uint8Array): string {
  const m = /^[ \t]*module[ \t]+(?:"((?:[^"\\\n]|\\.)*)"|`([^`\n]*)`|([^\s"/]\S*?))[ \t]*(?:\/\/.*)?\r?$/m.exec(decodeUtf8Lossy(gomod));
  if (!m) return '';
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? '');
}

async function readBlob(run: Run, commit: string, file: string, max: number): Promise<Uint8Array | undefined> {
  try {
    return await run(['cat-file', 'blob', `${commit}:${file}`], max + 1);
  } catch (e) {
    if (e instanceof GosumdbError && /maxBuffer/i.test(String((e.cause as Error)?.message))) {
      throw new GosumdbError('ERR_ZIP_TOO_LARGE', `${file} at ${commit}: larger than ${max} bytes`);
    }
    return undefined;
  }
}

function kindOf(e: ZipEntry): ModuleFile['kind'] {
  // Go's zip FileInfo: Unix (3) and macOS (19) creators carry st_mode in the high 16 bits.
  if (e.creatorOS === 3 || e.creatorOS === 19) {
    const type = Math.floor(e.externalAttrs / 2 ** 16) & 0o170000;
    if (type === 0o120000) return 'symlink';
    if (type === 0o040000) return 'dir';
    if (type !== 0o100000 && type !== 0) return 'irregular';
  }
  return 'file';
}

// Which tag names a version: the directory prefix, and no +incompatible (Go's versionToRev).
function tagFor(version: string, codeDir: string): string {
  const v = version.endsWith('+incompatible') ? version.slice(0, -'+incompatible'.length) : version;
  return codeDir === '' ? v : `${codeDir}/${v}`;
}

// Runs fn in a temporary bare clone of the source (local repositories cloned with --shared, so
// nothing is copied and the user's repository is never written to), then removes it.
async function withClone<T>(source: GitSource, fn: (run: Run, bare: string, gitVersion: string) => Promise<T>): Promise<T> {
  const home = await mkdtemp(join(tmpdir(), 'gosumdb-git-'));
  try {
    const bare = join(home, 'repo.git');
    const outside = runner(home, home, source);
    const gitVersion = text(await outside(['--version']));
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(source.repo);
    await outside(['clone', '--bare', '--quiet', ...(isUrl ? [] : ['--shared']), '--', source.repo, bare]);
    return await fn(runner(bare, home, source), bare, gitVersion);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

async function resolveCommit(run: Run, rev: string, what: string): Promise<string> {
  try {
    return text(await run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]));
  } catch (e) {
    throw new GosumdbError('ERR_GIT', `${what}: unknown revision ${rev}`, { cause: e });
  }
}

/**
 * gitModule rebuilds a module version from a git repository as the go command (Go 1.19's
 * cmd/go/internal/modfetch) builds it when it downloads directly: `git archive` of the commit
 * with `core.autocrlf=input` and `core.eol=lf` (so `eol` attributes apply) while `export-ignore`
 * and `export-subst` are switched off, the files under the module's directory (a `/vN` major
 * subdirectory when its go.mod claims `/vN`), the repository root's LICENSE added to a
 * subdirectory module without one, then x/mod/zip's rules (gosumdb/zip). The go.mod is read
 * raw from the commit, or synthesized as `module <path>` when there is none.
 *
 * The repository is cloned into a temporary directory (locally with `--shared`), so a user's
 * repository is never written to.
 *
 * @throws GosumdbError `ERR_GIT` (git failed: no such repository or revision),
 *   `ERR_GIT_MODULE` (the commit does not hold this module version), `ERR_ZIP_TOO_LARGE`;
 *   every error of gosumdb/zip's `moduleContents` when its files are read.
 * @example
 * ```ts
 * import { gitModule } from 'gosumdb/node';
 * await gitModule({ repo: '/nonexistent' }, 'example.com/m', 'v1.0.0').catch((e) => console.log(e.code)); // ERR_GIT
 * ```
 */
export async function gitModule(source: GitSource, path: string, version: string): Promise<GitModule> {
  if (source === null || typeof source !== 'object' || typeof source.repo !== 'string')
    throw new TypeError('source must be { repo, rev?, subdir? }');
  if (canonicalVersion(version) !== version) throw new GosumdbError('ERR_MODULE_VERSION_INVALID', `version ${version} is not canonical`);
  check(path, version);
  const codeDir = (source.subdir ?? '').replace(/^\/+|\/+$/g, '');
  return withClone(source, async (run, bare, gitVersion) => {
    const rev = source.rev ?? (isPseudoVersion(version) ? pseudoVersionRev(version) : tagFor(version, codeDir));
    const commit = await resolveCommit(run, rev, `${path}@${version}`);
    if (isPseudoVersion(version)) {
      const when = new Date(Number(text(await run(['show', '-s', '--format=%ct', commit]))) * 1000);
      if (!commit.startsWith(pseudoVersionRev(version)) || when.getTime() !== pseudoVersionTime(version).getTime()) {
        throw new GosumdbError('ERR_GIT_MODULE', `${path}@${version}: does not match commit ${commit} of ${when.toISOString()}`);
      }
    }
    // A /vN module lives in <dir>/vN when that directory's go.mod claims /vN (Go's findDir).
    let dir = codeDir;
    const split = splitPathVersion(path);
    if (split.ok && split.pathMajor.startsWith('/')) {
      const dir2 = [codeDir, split.pathMajor.slice(1)].filter((s) => s !== '').join('/');
      const gomod2 = await readBlob(run, commit, `${dir2}/go.mod`, MAX_GO_MOD);
      if (gomod2 !== undefined && modulePathOf(gomod2).endsWith(split.pathMajor)) dir = dir2;
    }
    await writeFile(join(bare, 'info', 'attributes'), '\n* -export-subst -export-ignore\n', { flag: 'a' });
    const archive = await run(
      [
        '-c',
        'core.autocrlf=input',
        '-c',
        'core.eol=lf',
        'archive',
        '--format=zip',
        '--prefix=prefix/',
        commit,
        ...(dir === '' ? [] : ['--', dir]),
      ],
      MAX_ZIP_FILE + 2 ** 20,
    ).catch((e: unknown) => {
      if (e instanceof GosumdbError && /did not match any files/.test(e.message)) {
        throw new GosumdbError('ERR_GIT_MODULE', `${path}@${version}: no directory ${dir} at ${commit}`, { cause: e });
      }
      throw e;
    });
    const files = await archiveFiles(archive, dir);
    if (dir !== '' && !files.some((f) => f.path === 'LICENSE')) {
      const license = await readBlob(run, commit, 'LICENSE', MAX_LICENSE);
      if (license !== undefined) files.push({ path: 'LICENSE', kind: 'file', size: license.length, open: () => license });
    }
    const gomod = await readBlob(run, commit, dir === '' ? 'go.mod' : `${dir}/go.mod`, MAX_GO_MOD);
    const goMod = gomod ?? new TextEncoder().encode(`module ${path}\n`);
    return { path, version, commit, subdir: dir, files, goMod, gitVersion };
  });
}

// The files of `git archive --prefix=prefix/` under dir, relative to it, as Go's codeRepo.Zip lists them.
async function archiveFiles(archive: Uint8Array, dir: string): Promise<ModuleFile[]> {
  const r = new Reader(toSource(archive));
  const entries = await readDirectory(r);
  const sub = dir === '' ? '' : `${dir}/`;
  const files: ModuleFile[] = [];
  for (const e of entries) {
    const name = e.display;
    if (!name.startsWith('prefix/')) throw new GosumdbError('ERR_GIT', 'git archive: entry outside the top-level directory');
    const rel = name.slice('prefix/'.length);
    if (!rel.startsWith(sub)) continue;
    const p = rel.slice(sub.length);
    if (p === '' || p.endsWith('/')) continue;
    files.push({
      path: p,
      kind: kindOf(e),
      size: e.uncompressedSize,
      open: () => readEntry(r, e, { inflate: nodeInflater, crc32: nodeCrc32, wholeLimit: 4 * 2 ** 20 }),
    });
  }
  return files;
}

/** GitHashes is what go.sum records for a module version rebuilt from git, with the commit it came from. */
export type GitHashes = {
  readonly commit: string;
  readonly subdir: string;
  readonly hash: string;
  readonly goModHash: string;
  /** lines are the two go.sum lines the go command writes. */
  readonly lines: readonly [string, string];
  readonly gitVersion: string;
};

/**
 * hashGitModule returns the go.sum lines of a module version rebuilt from git by
 * {@link gitModule}: what the go command records after a direct download.
 *
 * @throws every error of {@link gitModule}.
 * @example
 * ```ts
 * import { hashGitModule } from 'gosumdb/node';
 * await hashGitModule({ repo: '/nonexistent', rev: 'v1.0.0' }, 'example.com/m', 'v1.0.0').catch((e) => console.log(e.code)); // ERR_GIT
 * ```
 */
export async function hashGitModule(source: GitSource, path: string, version: string): Promise<GitHashes> {
  const m = await gitModule(source, path, version);
  const hash = await hashFiles(path, version, m.files, { sha256: nodeSha256 });
  const goModHash = await hashGoMod(m.goMod, { sha256: nodeSha256 });
  return {
    commit: m.commit,
    subdir: m.subdir,
    hash,
    goModHash,
    lines: [`${path} ${version} ${hash}`, `${path} ${version}/go.mod ${goModHash}`],
    gitVersion: m.gitVersion,
  };
}

/**
 * gitVersionFor names a commit as the go command does when asked for `path@<commit>`: the
 * highest canonical tag (under `subdir/`, with the path's major version) on the commit itself,
 * else a pseudo-version built on the highest such tag among its ancestors.
 *
 * @throws GosumdbError `ERR_GIT` for an unknown repository or revision.
 * @example
 * ```ts
 * import { gitVersionFor } from 'gosumdb/node';
 * await gitVersionFor({ repo: '/nonexistent', rev: 'HEAD' }, 'example.com/m').catch((e) => console.log(e.code)); // ERR_GIT
 * ```
 */
export async function gitVersionFor(
  source: GitSource & { readonly rev: string },
  path: string,
): Promise<{ version: string; commit: string }> {
  const codeDir = (source.subdir ?? '').replace(/^\/+|\/+$/g, '');
  const prefix = codeDir === '' ? '' : `${codeDir}/`;
  const split = splitPathVersion(path);
  const major = split.ok && split.pathMajor !== '' ? split.pathMajor.replace(/^[./]/, '') : '';
  return withClone(source, async (inRepo) => {
    const commit = await resolveCommit(inRepo, source.rev, path);
    const allowed = (tag: string) => {
      if (!tag.startsWith(prefix)) return undefined;
      const v = tag.slice(prefix.length);
      if (semver.canonical(v) !== v || isPseudoVersion(v)) return undefined;
      const vm = semver.major(v);
      if (major === '' ? vm !== 'v0' && vm !== 'v1' : vm !== major) return undefined;
      return v;
    };
    const best = (out: Uint8Array) =>
      text(out)
        .split('\n')
        .map(allowed)
        .filter((v): v is string => v !== undefined)
        .reduce((a, b) => (a === '' || semver.compare(b, a) > 0 ? b : a), '');
    const exact = best(await inRepo(['tag', '--points-at', commit]));
    if (exact !== '') return { version: exact, commit };
    const older = best(await inRepo(['tag', '--merged', commit]));
    const when = new Date(Number(text(await inRepo(['show', '-s', '--format=%ct', commit]))) * 1000);
    return { version: pseudoVersion(major, older, when, commit.slice(0, 12)), commit };
  });
}
