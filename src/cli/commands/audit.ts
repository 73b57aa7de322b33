import { access, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkMirrors, SecurityError, type MirrorReport } from '../../client/index.js';
import {
  AUDIT_JSON_VERSION,
  auditGoSum,
  parseGoSum,
  type AuditClient,
  type AuditReport,
  type GoSum,
  type LocalHash,
} from '../../gosum/index.js';
import { GosumdbError } from '../../internal/errors.js';
import { modCacheLocalHash } from '../../node/modcache.js';
import { zipDirLocalHash } from '../../node/zipdir.js';
import { goSumDBClient, mirrorEndpoints } from '../client.js';
import type { Command, Io } from '../command.js';
import { forkMessage } from '../errors.js';
import { EXIT, UsageError, type ExitCode } from '../exit.js';
import {
  databaseFlags,
  databaseUsage,
  goEnv,
  lookupFlags,
  painter,
  parseCount,
  parseFlags,
  requireDirectory,
  runDeadline,
  stateFlag,
  stateOffNote,
} from '../flags.js';
import { formatAuditText, renderExplanation, type Explanation } from '../../gosum/index.js';
import { explainAll, type ExplainContext } from './explain.js';
import { auditExitCode, auditJson, renderMirrorsText, writeJson } from '../report.js';

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

// go.sum in the current directory, and go.work.sum when a go.work sits next to it.
async function defaultFiles(cwd: string): Promise<string[]> {
  const out: string[] = [];
  if (await exists(join(cwd, 'go.sum'))) out.push('go.sum');
  if ((await exists(join(cwd, 'go.work'))) && (await exists(join(cwd, 'go.work.sum')))) out.push('go.work.sum');
  if (out.length === 0) throw new UsageError(`no go.sum in ${cwd}; name the go.sum files to audit`);
  return out;
}

// Each go.sum once, in the order given ("-" is standard input); a file named twice is read once.
async function readGoSums(files: readonly string[], io: Io): Promise<GoSum[]> {
  const seen = new Set<string>();
  const unique = files.filter((f) => {
    const key = f === '-' ? '-' : resolve(io.cwd, f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return Promise.all(
    unique.map(async (f) => {
      let text: Uint8Array;
      try {
        if (f === '-') {
          if (!io.stdin) throw new Error('no standard input');
          text = await io.stdin();
        } else {
          text = new Uint8Array(await readFile(resolve(io.cwd, f)));
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // "--modcache <dir>" reads <dir> as a go.sum: only --modcache=<dir> takes a directory.
        const hint = code === 'EISDIR' ? ' (a directory: to compare with a module cache there, write --modcache=<dir>)' : '';
        throw new UsageError(`cannot read ${f === '-' ? 'standard input' : f}: ${(e as Error).message}${hint}`);
      }
      return parseGoSum(text, { filename: f === '-' ? '<stdin>' : f });
    }),
  );
}

// The go.mod next to the first go.sum, whose requirements must have go.sum lines.
async function readGoMod(first: string, cwd: string): Promise<string | undefined> {
  if (basename(first) !== 'go.sum') return undefined;
  try {
    return await readFile(join(dirname(resolve(cwd, first)), 'go.mod'), 'utf8');
  } catch {
    return undefined;
  }
}

// GOSUMDB=off: the audit marks every line skipped and never asks the database.
const noDatabase: AuditClient = {
  lookup: async () => {
    throw new GosumdbError('ERR_GOSUMDB_OFF', 'GOSUMDB=off');
  },
  latest: async () => {
    throw new GosumdbError('ERR_GOSUMDB_OFF', 'GOSUMDB=off');
  },
  signedTree: async () => undefined,
};

function progress(io: Io): ((done: number, total: number) => void) | undefined {
  if (!io.isTTY) return undefined;
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    io.stderr(`\rchecked ${done}/${total} go.sum lines${done === total ? '\n' : ''}`);
  };
}

// audit --explain: each module version with a line that is mismatch, not-found or local-mismatch, explained once.
function explainProblems(report: AuditReport, sums: readonly GoSum[], ctx: Omit<ExplainContext, 'goSum'>): Promise<Explanation[]> {
  const seen = new Map<string, { path: string; version: string; file: string }>();
  for (const e of report.entries) {
    if (e.status === 'mismatch' || e.status === 'not-found' || e.status === 'local-mismatch')
      seen.set(`${e.path}@${e.version}`, { path: e.path, version: e.version, file: e.file });
  }
  // A few at a time: each may clone a repository and download zips of up to 500 MiB, and a
  // go.sum (in a pull request, say) may hold any number of lines that fail.
  const todo = [...seen.values()];
  const out: Explanation[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < todo.length; i = next++) {
      const m = todo[i]!;
      out[i] = (await explainAll([m], { ...ctx, goSum: sums.find((s) => s.filename === m.file) }))[0]!;
    }
  };
  return Promise.all(Array.from({ length: Math.min(explainConcurrency, todo.length) }, worker)).then(() => out);
}

const explainConcurrency = 4;

/** `gosumdb audit [go.sum ...]`: every go.sum line verified against the checksum database. */
export const auditCommand: Command = {
  usage: `Usage: gosumdb audit [flags] [go.sum ...]

Checks every line of the go.sum files (default: ./go.sum, and ./go.work.sum next to a go.work;
- is standard input) against the Go checksum database the go command would use (GOSUMDB,
GOPROXY, GONOSUMDB and GOPRIVATE from the environment and the go env file). Every answer is
proved against the database's signed tree before it is believed. Lines the database disagrees
with, does not know, or that a local copy contradicts are listed with a diagnosis and a remedy.
Requirements of the go.mod next to the first go.sum that have no go.sum line are listed too, and
with go 1.18 or later in that go.mod, the go.sum content lines it does not need (info; go mod
tidy drops them).

Flags:
  --json              print a JSON report (schema gosumdb/audit, version ${AUDIT_JSON_VERSION}) instead of the table
  --all               list every line in the table, not only those that are not ok
  --zip <dir>         also hash local module zips and .mod files laid out as a GOPROXY
                      (<dir>/<escaped path>/@v/<version>.zip): a differing copy is local-mismatch
  --modcache[=<dir>]  the same with the go command's module cache (default GOMODCACHE)
  --concurrency <n>   requests in flight at once (default 256), and 4n module versions looked up
  --mirror <url>      also prove that this proxy or copy of the database serves the same
                      history (repeatable; see gosumdb mirrors)
  --explain           run gosumdb explain for every line that is mismatch, not-found or
                      local-mismatch (JSON: an "explanations" array)
${databaseUsage}

Exit status:
  0  every line verified (lines skipped for GONOSUMDB/GOPRIVATE are fine, if any line was verified)
  1  problems: mismatch, not-found, local-mismatch, error (the database could not be reached, the
     deadline passed), nothing verified at all (every line skipped, GOSUMDB=off), the
     database's latest tree could not be read, or an error-level finding (conflicting lines,
     a go.mod requirement without its go.sum line)
  2  usage error, unreadable or malformed go.sum, malformed GOSUMDB/GOPROXY, a --zip or
     --modcache directory that does not exist
  3  security error: the database (or a mirror) served two inconsistent histories, or an
     answer or latest tree whose proof failed (a tile or record that contradicts its signed
     tree, a bad signature by its key)
`,
  async run(args, io) {
    // --modcache takes an optional value: only the --modcache=<dir> form carries one.
    const rewritten = args.flatMap((a) => (a.startsWith('--modcache=') ? ['--modcache-dir', a.slice('--modcache='.length)] : [a]));
    const { values, positionals } = parseFlags(rewritten, {
      ...databaseFlags,
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      zip: { type: 'string' },
      modcache: { type: 'boolean' },
      'modcache-dir': { type: 'string' },
      concurrency: { type: 'string' },
      mirror: { type: 'string', multiple: true },
      explain: { type: 'boolean' },
    });
    // 256 by measurement (npm run bench -- audit and audit-20k, 50 ms latency): on 2000 lines 64
    // took 2.2 s, 128 1.7 s, 256 1.5 s, 512 1.6 s; on 20 000 lines 128 took 7.4 s, 256 4.4 s, 512
    // 3.9 s but over 200 MB of RSS.
    const concurrency = parseCount(values.concurrency, '--concurrency', 256);
    // A lookup waits for about two round trips (its record, then the tiles that prove it), and
    // holds no request while it waits for a tile another lookup is fetching: with as many
    // lookups as requests in flight, the requests ran well below the limit. Measured (bench
    // audit-20k, 256 requests, Go 7.0 s): lookups 1x 9.7 s, 2x 5.7-6.1 s, 3x 4.7-5.3 s,
    // 4x 4.6-5.0 s; peak RSS 179 to 196 MB.
    const lookupsPerRequest = 4;
    if (values.zip !== undefined && (values.modcache || values['modcache-dir'] !== undefined))
      throw new UsageError('--zip and --modcache are exclusive');
    const files = positionals.length > 0 ? positionals : await defaultFiles(io.cwd);
    const sums = await readGoSums(files, io);
    const goMod = await readGoMod(files[0]!, io.cwd);
    const env = await goEnv(io, values);
    const deadline = runDeadline(values.timeout);
    const security: string[] = [];
    const state = stateFlag(io, values);
    const g = goSumDBClient({
      env,
      ...lookupFlags(values, state),
      http: { concurrency, signal: deadline.signal },
      securityError: (m) => security.push(m),
    });
    // Local copies are compared only if their directory is there: a wrong one is an input error, not "nothing differs".
    let localHash: LocalHash | undefined;
    if (values.zip !== undefined) localHash = zipDirLocalHash(await requireDirectory(resolve(io.cwd, values.zip), '--zip'));
    else if (values['modcache-dir'] !== undefined)
      localHash = modCacheLocalHash(await requireDirectory(resolve(io.cwd, values['modcache-dir']), '--modcache'));
    else if (values.modcache) localHash = modCacheLocalHash(await requireDirectory(g.dirs.gomodcache, '--modcache (GOMODCACHE)'));
    const onProgress = values.json ? undefined : progress(io);

    let report: AuditReport | undefined;
    let mirrors: MirrorReport | undefined;
    let explanations: Explanation[] | undefined;
    let code: ExitCode;
    try {
      report = await auditGoSum(sums, {
        client: g.client ?? noDatabase,
        noSumDB: g.db.noSumDB,
        sumdbOff: g.db.off,
        // Offline there is no latest tree to ask for: the answers are proved against the cached ones.
        refreshLatest: !(values.offline ?? false),
        concurrency: concurrency * lookupsPerRequest,
        deadline: deadline.signal,
        ...(localHash ? { localHash } : {}),
        ...(goMod !== undefined ? { goMod } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      code = auditExitCode(report);
      if (values.mirror && values.mirror.length > 0) {
        if (!g.endpoint) throw new UsageError('--mirror needs a checksum database, but GOSUMDB=off');
        mirrors = await checkMirrors([g.endpoint, ...mirrorEndpoints(values.mirror, g.db.name, g.transport)], g.db.key, {
          securityError: (m) => security.push(m),
        });
        if (mirrors.endpoints.some((r) => r.tree === undefined) && code === EXIT.ok) code = EXIT.problems;
      }
      // Within the run's deadline, as everything else.
      explanations = values.explain
        ? await explainProblems(report, sums, { io, env, g, deadline, offline: values.offline ?? false, diff: false })
        : undefined;
    } catch (e) {
      if (!(e instanceof SecurityError)) throw e;
      io.stderr(`${security.at(-1) ?? ''}\n`);
      if (values.json) {
        const files = sums.map((f) => f.filename);
        const doc = auditJson(report, { dbName: g.db.name, files, exitCode: EXIT.security, mirrors, security: e, stateDir: state });
        writeJson(io.stdout, doc);
      }
      io.stderr(`gosumdb audit: ${forkMessage(g.db.name, e)}\n`);
      return EXIT.security;
    } finally {
      deadline.clear();
    }
    if (values.json) {
      const doc = auditJson(report, { dbName: g.db.name, files: sums.map((f) => f.filename), exitCode: code, mirrors, stateDir: state });
      writeJson(io.stdout, explanations ? { ...doc, explanations } : doc);
      return code;
    }
    const paint = painter(io);
    io.stdout(
      formatAuditText(report, {
        all: values.all ?? false,
        paint,
        dbName: g.db.name,
        caveats: state === undefined && !g.db.off ? [stateOffNote] : [],
      }),
    );
    if (mirrors) io.stdout(`\nmirrors:\n${renderMirrorsText(mirrors, paint)}`);
    for (const e of explanations ?? []) io.stdout(`\n${renderExplanation(e)}`);
    return code;
  },
};
