import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '../client/client.js';
import type { Transport } from '../client/transport.js';
import { hashGoMod, hashZip } from '../dirhash/index.js';
import { Reader, toSource } from '../dirhash/source.js';
import { readDirectory, readEntry } from '../dirhash/zip.js';
import { decodeUtf8Lossy, trimSpace } from '../internal/bytes.js';
import { errorMessage, GosumdbError } from '../internal/errors.js';
import {
  describeFiles,
  escapePath,
  escapeVersion,
  explainModule,
  gatherSource,
  type ExplainSource,
  type Explanation,
  type GoSum,
  splitPathVersion,
  type Origin,
} from '../gosum/index.js';
import { distinctLines, readByGo } from '../gosum/parse.js';
import { moduleContents } from '../zip/index.js';
import { hashDirOnDisk, hashZipFile } from './dirhash.js';
import { gitModule } from './git.js';
import { nodeCrc32, nodeInflater } from './inflate.js';
import { nodeSha256 } from './sha256.js';

/** ExplainOnDiskOptions say where explain looks for one module version's evidence. */
export type ExplainOnDiskOptions = {
  /** A parsed go.sum (or go.work.sum) whose lines for the version are explained. */
  readonly goSum?: GoSum;
  /** The verifying checksum-database client (goSumDBClient's), and the database's name; none for GOSUMDB=off. */
  readonly client?: Pick<Client, 'lookup'>;
  readonly sumdbName?: string;
  /** Proxy base URLs (GOPROXY's http(s) entries) and the GET used to read them. */
  readonly proxies?: readonly string[];
  readonly transport?: Transport;
  /** The module cache (GOMODCACHE). */
  readonly gomodcache?: string;
  /** The origin repository (a URL or a directory) and the module's directory in it; default: the proxies' Origin. */
  readonly vcs?: string;
  readonly subdir?: string;
  /**
   * goImportURL is where the module path's go-import meta tag is read when neither `vcs` nor a
   * proxy's Origin names the repository (default `https://<path>?go-get=1`, as the go command).
   */
  readonly goImportURL?: (path: string) => string;
  /** Keep small text files' contents for short diffs. */
  readonly diff?: boolean;
  /** The deadline of each source (default 60000 ms), and an outer signal. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
};

const textKeep = 16 * 1024;

async function readIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new GosumdbError('ERR_FILE_READ', `read ${file}: ${(e as Error).message}`, { cause: e });
  }
}

// A module zip's files under path@version/, with their contents (names relative to the module).
async function zipContents(zip: Uint8Array, path: string, version: string): Promise<{ name: string; data: Uint8Array }[]> {
  const r = new Reader(toSource(zip));
  const prefix = `${path}@${version}/`;
  const out: { name: string; data: Uint8Array }[] = [];
  for (const e of await readDirectory(r)) {
    if (!e.display.startsWith(prefix) || e.display.endsWith('/')) continue;
    const parts: Uint8Array[] = [];
    for await (const c of readEntry(r, e, { inflate: nodeInflater, crc32: nodeCrc32, wholeLimit: 4 * 2 ** 20 })) parts.push(c);
    out.push({ name: e.display.slice(prefix.length), data: new Uint8Array(Buffer.concat(parts)) });
  }
  return out;
}

// Why a repository a server named may not be cloned, or undefined if it may.
function untrustedRepo(repo: string, subdir: string): string | undefined {
  if (!/^https?:\/\/[^/\s]/i.test(repo))
    return `not cloned: ${JSON.stringify(repo.slice(0, 200))} is not an http(s) URL (only --vcs may name another)`;
  if (subdir.split('/').some((p) => p === '..' || p === '.') || /^[/:]/.test(subdir) || subdir.includes('\0')) {
    return `not cloned: subdir ${JSON.stringify(subdir.slice(0, 200))} leaves the repository`;
  }
  return undefined;
}

/**
 * goImport finds the git repository of a module path from its go-import meta tags (Go's
 * `<meta name="go-import" content="root vcs url">`): the tag whose root is the path or a parent
 * of it, and the module's directory below that root (without a /vN major suffix).
 */
export function goImportRepo(html: string, path: string): { repo: string; subdir: string } | undefined {
  const metas = html.slice(0, 2 ** 16).match(/<meta\s[^>]*>/gi) ?? [];
  for (const m of metas) {
    if (!/name\s*=\s*["']?go-import["']?/i.test(m)) continue;
    const content = /content\s*=\s*"([^"]*)"|content\s*=\s*'([^']*)'/i.exec(m);
    const f = (content?.[1] ?? content?.[2] ?? '').trim().split(/\s+/);
    if (f.length !== 3 || f[1] !== 'git') continue;
    const root = f[0]!;
    if (path !== root && !path.startsWith(`${root}/`)) continue;
    const split = splitPathVersion(path);
    const prefix = split.ok && split.pathMajor.startsWith('/') ? split.prefix : path;
    return { repo: f[2]!, subdir: prefix.length > root.length ? prefix.slice(root.length + 1) : '' };
  }
  return undefined;
}

function lineHashes(lines: readonly string[], path: string, version: string): { hash?: string; goModHash?: string } {
  const out: { hash?: string; goModHash?: string } = {};
  for (const l of lines) {
    const f = l.split(' ');
    if (f[0] !== path) continue;
    if (f[1] === version) out.hash = f[2]!;
    else if (f[1] === `${version}/go.mod`) out.goModHash = f[2]!;
  }
  return out;
}

function parseOrigin(info: Uint8Array): Origin | undefined {
  let v: unknown;
  try {
    v = JSON.parse(decodeUtf8Lossy(info.subarray(0, 64 * 1024)));
  } catch {
    return undefined;
  }
  const o = (v as { Origin?: Record<string, unknown> } | null)?.Origin;
  if (!o || typeof o !== 'object') return undefined;
  const str = (k: string) => (typeof o[k] === 'string' ? { [k.toLowerCase()]: (o[k] as string).slice(0, 500) } : {});
  return { ...str('VCS'), ...str('URL'), ...str('Ref'), ...str('Hash'), ...str('Subdir') } as Origin;
}

/**
 * explainOnDisk gathers the evidence about one module version from every source the go command
 * would use (go.sum, the checksum database through `client`, each proxy, the module cache, the
 * origin repository rebuilt from git) and returns gosumdb/gosum's `explainModule` verdict. Each
 * source gets its own deadline; one that does not answer is reported as such, never waited for.
 *
 * @example
 * ```ts
 * import { explainOnDisk } from 'gosumdb/node';
 * const e = await explainOnDisk('example.com/m', 'v1.0.0', {});
 * console.log(e.verdict); // unknown
 * ```
 */
export async function explainOnDisk(path: string, version: string, options: ExplainOnDiskOptions): Promise<Explanation> {
  const g = { timeoutMs: options.timeoutMs ?? 60_000, ...(options.signal ? { signal: options.signal } : {}) };
  const keepText = options.diff ? textKeep : 0;
  const describe = (contents: { name: string; data: Uint8Array }[]) =>
    describeFiles(path, version, contents, { sha256: nodeSha256, keepText });
  const esc = `${escapePath(path)}/@v/${escapeVersion(version)}`;
  const tasks: Promise<ExplainSource>[] = [];
  if (options.goSum) {
    const sum = options.goSum;
    // The lines the go command reads.
    const lines = sum.lines.filter((l) => l.path === path && l.version === version && readByGo(l));
    if (lines.length === 0) tasks.push(Promise.resolve({ kind: 'gosum', name: sum.filename, status: 'not-found' }));
    // Lines that conflict (two hashes for the zip, or for the go.mod) are each a source of their
    // own, so that the one the database does not vouch for is explained, never hidden behind the first.
    const { zip: zips, mod: mods } = distinctLines([sum], path, version);
    for (let i = 0; i < Math.max(zips.length, mods.length); i++) {
      const zip = zips[i] ?? zips[0];
      const mod = mods[i] ?? mods[0];
      const on = zips.length > 1 || mods.length > 1 ? [zip, mod] : lines;
      tasks.push(
        Promise.resolve({
          kind: 'gosum',
          name: sum.filename,
          status: 'ok',
          where: `line ${on.flatMap((l) => (l ? [l.line] : [])).join(', ')}`,
          ...(zip ? { hash: zip.hash } : {}),
          ...(mod ? { goModHash: mod.hash } : {}),
        }),
      );
    }
  }
  const client = options.client;
  const dbName = options.sumdbName ?? 'sumdb';
  if (client) {
    tasks.push(
      gatherSource(
        'sumdb',
        dbName,
        async (signal) => {
          const lines = [...(await client.lookup(path, version, signal)), ...(await client.lookup(path, `${version}/go.mod`, signal))];
          return {
            kind: 'sumdb',
            name: dbName,
            status: 'ok',
            where: 'proved against its signed tree',
            ...lineHashes(lines, path, version),
          };
        },
        g,
      ),
    );
  }
  const transport = options.transport;
  for (const proxy of transport ? (options.proxies ?? []) : []) {
    const base = proxy.replace(/\/+$/, '');
    tasks.push(
      gatherSource(
        'proxy',
        base,
        async (signal) => {
          const get = (ext: string) => transport!(`${base}/${esc}${ext}`, signal);
          const info = await get('.info');
          const origin = parseOrigin(info);
          const mod = await get('.mod');
          const zip = await get('.zip');
          const d = await describe(await zipContents(zip, path, version));
          return {
            kind: 'proxy',
            name: base,
            status: 'ok',
            hash: await hashZip(zip, { sha256: nodeSha256, inflate: nodeInflater, crc32: nodeCrc32 }),
            goModHash: await hashGoMod(mod, { sha256: nodeSha256 }),
            files: d.files,
            variants: d.variants,
            ...(origin ? { origin } : {}),
          };
        },
        g,
      ),
    );
  }
  if (options.gomodcache) {
    const cache = options.gomodcache;
    const base = join(cache, 'cache', 'download', ...esc.split('/'));
    const dir = join(cache, `${escapePath(path)}@${escapeVersion(version)}`);
    tasks.push(
      gatherSource(
        'cache',
        cache,
        async () => {
          const zip = await readIfExists(`${base}.zip`);
          const ziphash = await readIfExists(`${base}.ziphash`);
          const mod = await readIfExists(`${base}.mod`);
          let dirHash: string | undefined;
          try {
            dirHash = await hashDirOnDisk(dir, `${path}@${version}`);
          } catch (e) {
            if (!(e instanceof GosumdbError)) throw e;
          }
          if (!zip && !ziphash && !mod && dirHash === undefined) return { kind: 'cache', name: cache, status: 'not-found' };
          const d = zip ? await describe(await zipContents(zip, path, version)) : undefined;
          return {
            kind: 'cache',
            name: cache,
            status: 'ok',
            ...(zip ? { hash: await hashZipFile(`${base}.zip`) } : {}),
            ...(ziphash ? { ziphash: trimSpace(decodeUtf8Lossy(ziphash.subarray(0, 200))) } : {}),
            ...(dirHash !== undefined ? { dirHash } : {}),
            ...(mod ? { goModHash: await hashGoMod(mod, { sha256: nodeSha256 }) } : {}),
            ...(d ? { files: d.files, variants: d.variants } : {}),
          };
        },
        g,
      ),
    );
  }
  const sources = await Promise.all(tasks);
  const origin = sources.find((s) => s.kind === 'proxy' && s.origin?.url && (s.origin.vcs ?? 'git') === 'git')?.origin;
  let repo = options.vcs ?? origin?.url;
  let subdir = options.subdir ?? origin?.subdir ?? '';
  // A repository a server names (the proxy's Origin, a go-import tag) is untrusted: only a remote
  // http(s) URL is cloned, never a local path, file:, ssh or a transport helper (it could read the
  // user's own repositories, or reach hosts with the user's keys), and its subdir stays inside.
  let refused: string | undefined;
  if (options.vcs === undefined && repo !== undefined) refused = untrustedRepo(repo, options.subdir === undefined ? subdir : '');
  if (repo === undefined && transport) {
    const url = (options.goImportURL ?? ((p: string) => `https://${p}?go-get=1`))(path);
    try {
      const found = goImportRepo(decodeUtf8Lossy(await transport(url, options.signal)), path);
      if (found) {
        repo = found.repo;
        subdir = options.subdir ?? found.subdir;
        refused = untrustedRepo(repo, '');
      }
    } catch (e) {
      sources.push({
        kind: 'vcs',
        name: url,
        status: e instanceof GosumdbError && e.code === 'ERR_UNREACHABLE' ? 'unreachable' : 'error',
        error: errorMessage(e).slice(0, 300),
      });
    }
  }
  if (repo !== undefined && refused !== undefined) {
    sources.push({ kind: 'vcs', name: repo.slice(0, 300), status: 'error', error: refused });
  } else if (repo !== undefined) {
    const vcsRepo = repo;
    sources.push(
      await gatherSource(
        'vcs',
        vcsRepo,
        async (signal) => {
          const m = await gitModule({ repo: vcsRepo, subdir, signal, timeoutMs: g.timeoutMs }, path, version);
          const prefix = `${path}@${version}/`;
          const d = await describe(
            (await moduleContents(path, version, m.files)).map((c) => ({ name: c.name.slice(prefix.length), data: c.data })),
          );
          return {
            kind: 'vcs',
            name: vcsRepo,
            status: 'ok',
            where: m.subdir === '' ? version : `${m.subdir} ${version}`,
            commit: m.commit,
            hash: d.hash,
            goModHash: await hashGoMod(m.goMod, { sha256: nodeSha256 }),
            files: d.files,
            variants: d.variants,
          };
        },
        g,
      ),
    );
  }
  return explainModule(path, version, sources);
}
