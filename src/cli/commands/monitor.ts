import { resolve } from 'node:path';
import { SecurityError, sumdbRemote } from '../../client/index.js';
import { formatHash } from '../../tlog/index.js';
import {
  findModuleVersion,
  formatFinding,
  gossipTrees,
  memoryMonitorStore,
  monitorLog,
  type MonitorFinding,
  type MonitorProgress,
} from '../../monitor/index.js';
import { nodeSha256 } from '../../node/sha256.js';
import { sqliteMonitorStore } from '../../node/monitorStore.js';
import { workerTileHasher } from '../../node/tileHasher.js';
import { goSumDBClient } from '../client.js';
import { openFindingsFile, type FindingsFile } from '../findingsFile.js';
import type { RemoteReader } from '../../client/ops.js';
import type { Command, Io } from '../command.js';
import { EXIT, UsageError, type ExitCode } from '../exit.js';
import { errorExitCode, formatError } from '../errors.js';
import { goEnv, parseFlags } from '../flags.js';
import { securityJson } from '../report.js';

// --workers: 0 reads the tiles in the monitor's own thread.
function parseWorkers(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,2}$/.test(v)) throw new UsageError(`--workers must be a number of threads from 0 to 99, got ${JSON.stringify(v)}`);
  return Number(v);
}

function parseUntil(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(v)) throw new UsageError(`--until must be a record count, got ${JSON.stringify(v)}`);
  return Number(v);
}

// records, records/s and ETA on one rewritten stderr line, at most ten times a second.
function progressLine(io: Io): (p: MonitorProgress) => void {
  const start = Date.now();
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.records < p.total && now - last < 100) return;
    last = now;
    const rate = (p.records - p.startedAt) / Math.max(0.001, (now - start) / 1000);
    const eta = rate > 0 ? Math.round((p.total - p.records) / rate) : 0;
    const etaText = `${Math.floor(eta / 3600)}h${String(Math.floor(eta / 60) % 60).padStart(2, '0')}m${String(eta % 60).padStart(2, '0')}s`;
    io.stderr(`\r${p.records}/${p.total} records  ${Math.round(rate)} records/s  ETA ${etaText}${p.records === p.total ? '\n' : ''}`);
  };
}

// --find: where the state's index puts a module version, proved; exit 0 seen, 1 not seen.
async function find(arg: string, state: string, key: string, remote: RemoteReader, json: boolean, io: Io): Promise<ExitCode> {
  const at = arg.lastIndexOf('@');
  if (at <= 0 || at === arg.length - 1) throw new UsageError(`--find wants <path>@<version>, got ${JSON.stringify(arg)}`);
  const path = arg.slice(0, at);
  const version = arg.slice(at + 1);
  const store = await sqliteMonitorStore(state, key);
  try {
    const r = await findModuleVersion({ key, remote, store, path, version, sha256: nodeSha256 });
    const where = (line: string, id: number | undefined) => `${line} line ${id === undefined ? 'not seen' : `first in record ${id}`}`;
    await io.stdout(
      json
        ? `${JSON.stringify({ kind: 'find', path, version, indexed: r.indexed, zip: r.zip, goMod: r.goMod })}\n`
        : `${arg}: ${where('zip', r.zip)}, ${where('go.mod', r.goMod)} (records 0-${r.indexed - 1} of tree#${r.tree.tree.n} indexed)\n`,
    );
    return r.zip === undefined && r.goMod === undefined ? EXIT.problems : EXIT.ok;
  } finally {
    await store.close();
  }
}

/** `gosumdb monitor`: reads the whole log, proves it, and reports duplicates, malformed records and watched paths. */
export const monitorCommand: Command = {
  usage: `Usage: gosumdb monitor [--state <dir>] [--watch <prefix>]... [--until <n>] [--json] [--output <file>]
                       [--workers <n>] [--gossip <url>]...
       gosumdb monitor --state <dir> --find <path>@<version> [--json]

Reads every record of the checksum database the go command would use (GOSUMDB and GOPROXY as
audit reads them; --sumdb and --proxy override), from the start or from where the state says the
last run stopped. Each data tile is checked against the hash tiles of the latest signed tree,
themselves proved against its signed hash; each new signed tree is proved consistent with the
last one verified (a fork is a security error, printed with both trees and the proof).
Reported, once each: duplicate records (two records for the same module version's zip or
go.mod line), malformed records (not go.sum lines, invalid module path or version), and with
--watch every record whose module path is under a prefix.

Flags:
  --state <dir>     keep the checkpoint, the index of module versions and the findings in
                    <dir>/monitor.db (SQLite; needs the optional peer dependency better-sqlite3).
                    Without it, this run's index is in memory and nothing is remembered.
  --watch <prefix>  report every record whose module path matches the prefix (path elements,
                    globs as in GOPRIVATE); repeatable
  --until <n>       stop after the first n records of the log
  --json            one JSON object per finding on stdout
  --output <file>   append the findings to <file> instead of stdout, synced to disk before they
                    are marked reported: with --state, each finding is in the file exactly once
                    however often a run is killed (on stdout, a run killed between writing a
                    batch and marking it shows that batch again first thing on its next run);
                    the file is the monitor's: a last line without its newline is cut off
  --workers <n>     threads that read the data tiles (split, check, hash the records) beside
                    the monitor's own: faster, with 25-70 MB more memory; 0 reads them in the
                    monitor's thread (default: 0 on 2 CPUs or fewer, else 1 per CPU beyond 2, at most 2)
  --gossip <url>    fetch the signed tree note another observer serves at <url> (a database's or
                    a proxy's .../latest, a gossip endpoint) and prove it consistent; repeatable
  --find <path>@<version>
                    read nothing new: print the records that first held the module version's
                    zip and go.mod lines among those the state has indexed, each read again from
                    the log and proved against the stored tree; exit 0 if seen, 1 if not
  --sumdb <GOSUMDB> use this GOSUMDB value instead of the go env's
  --proxy <GOPROXY> use this GOPROXY list instead of the go env's

Progress (records, records/s, ETA) goes to stderr when it is a terminal.

Exit status:
  0  nothing found (--find: the module version was seen)
  1  duplicate or malformed records, or a gossip peer that could not be checked (--find: not seen)
  2  usage error, malformed GOSUMDB/GOPROXY, unusable state or --output file
  3  security error: a fork, or a tile that contradicts its signed tree
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      state: { type: 'string' },
      watch: { type: 'string', multiple: true },
      until: { type: 'string' },
      json: { type: 'boolean' },
      gossip: { type: 'string', multiple: true },
      sumdb: { type: 'string' },
      proxy: { type: 'string' },
      find: { type: 'string' },
      output: { type: 'string' },
      workers: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const until = parseUntil(values.until);
    const workers = parseWorkers(values.workers);
    const g = goSumDBClient({ env: await goEnv(io, values) });
    if (g.db.off) throw new UsageError('GOSUMDB=off: give the database with --sumdb');
    const remote = sumdbRemote(g.db, g.transport);
    const json = values.json ?? false;
    if (values.find !== undefined) {
      if (values.state === undefined) throw new UsageError('--find needs --state: the index it reads is kept there');
      if (values.watch || values.until !== undefined || values.gossip || values.output !== undefined || values.workers !== undefined)
        throw new UsageError('--find reads nothing new from the log: --watch, --until, --gossip, --output and --workers do not go with it');
      return find(values.find, resolve(io.cwd, values.state), g.db.key, remote, json, io);
    }
    const store = values.state === undefined ? memoryMonitorStore() : await sqliteMonitorStore(resolve(io.cwd, values.state), g.db.key);
    // Opened once the state is locked: one monitor writes to it at a time.
    let file: FindingsFile | undefined;
    try {
      if (values.output !== undefined) file = await openFindingsFile(resolve(io.cwd, values.output));
    } catch (e) {
      await store.close();
      throw e;
    }
    const out = async (lines: readonly string[]): Promise<void> => {
      if (file) await file.append(lines);
      else await io.stdout(lines.join(''));
    };
    const tileHasher = workerTileHasher(workers === undefined ? {} : { workers });
    const security: string[] = [];
    let code: ExitCode = EXIT.ok;
    // One write per batch: the findings are marked reported once it has left the process.
    const print = async (fs: readonly MonitorFinding[]): Promise<void> => {
      if (fs.some((f) => f.kind !== 'watch')) code = EXIT.problems;
      await out(fs.map((f) => `${json ? JSON.stringify(f) : formatFinding(f)}\n`));
    };
    try {
      const result = await monitorLog({
        key: g.db.key,
        remote,
        store,
        sha256: nodeSha256,
        tileHasher,
        watch: values.watch ?? [],
        ...(until !== undefined ? { until } : {}),
        onFindings: print,
        ...(io.isTTY && !json ? { onProgress: progressLine(io) } : {}),
        securityError: (m) => security.push(m),
      });
      const t = result.tree.tree;
      const resumed =
        result.startedAt === 0 ? '' : result.startedAt === result.records ? ' (nothing new)' : ` (resumed at record ${result.startedAt})`;
      io.stderr(`${g.db.name}: ${result.records} of ${t.n} records verified against tree#${t.n} ${formatHash(t.hash)}${resumed}\n`);
      if (values.gossip && values.gossip.length > 0) {
        const peers = values.gossip.map((url) => ({ name: url, read: (signal?: AbortSignal) => g.transport(url, signal) }));
        for (const r of await gossipTrees(result.tree, peers, {
          key: g.db.key,
          remote,
          sha256: nodeSha256,
          securityError: (m) => security.push(m),
        })) {
          if (r.tree) io.stderr(`gossip ${r.name}: tree#${r.tree.tree.n} consistent\n`);
          else {
            io.stderr(`gossip ${r.name}: ${formatError(r.error)}\n`);
            if (code === EXIT.ok) code = EXIT.problems;
          }
        }
      }
      return code;
    } catch (e) {
      if (e instanceof SecurityError) {
        io.stderr(`${security.at(-1) ?? ''}\n`);
        if (json) await out([`${JSON.stringify({ kind: 'fork', ...securityJson(e) })}\n`]);
      } else if (json && errorExitCode(e) === EXIT.security) {
        await out([`${JSON.stringify({ kind: 'inconsistent', code: (e as { code?: string }).code, message: formatError(e) })}\n`]);
      }
      throw e;
    } finally {
      await tileHasher.close();
      await file?.close();
      await store.close();
    }
  },
};
