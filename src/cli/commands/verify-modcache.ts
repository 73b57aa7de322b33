import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SecurityError } from '../../client/index.js';
import { parseGoSum, type GoSum } from '../../gosum/index.js';
import { verifyModCacheOnDisk } from '../../node/modcache.js';
import { goSumDBClient } from '../client.js';
import type { Command } from '../command.js';
import { answerExitCode, forkMessage } from '../errors.js';
import { EXIT, UsageError, type ExitCode } from '../exit.js';
import { securityJson } from '../report.js';
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

/** `gosumdb verify-modcache [dir]`: `go mod verify` over the module cache, and optionally against go.sum and the database. */
export const verifyModCacheCommand: Command = {
  usage: `Usage: gosumdb verify-modcache [flags] [dir]

Checks every module version in the go command's module cache (dir, default GOMODCACHE) as
go mod verify does: the downloaded zip and the extracted directory must hash to the .ziphash
recorded at download time. Beyond go mod verify, the cached hashes can be checked against a
go.sum (--gosum) and against the checksum database (--check-db): a cache that agrees with itself
can still hold what nobody else got.

Flags:
  --gosum <file>      compare the cache with this go.sum's lines
  --check-db          compare the cache with the checksum database (proved lookups; modules
                      matching GONOSUMDB/GOPRIVATE are not asked, as with the go command)
  --json              print the results as JSON
  --concurrency <n>   module versions checked at once (default 4)
${databaseUsage}

Exit status:
  0  all verified
  1  a modified, contradicted (go.sum or database) or unreadable cache entry, a database that
     could not be asked, or nothing verified (no module version in the cache)
  2  usage error, unreadable or malformed go.sum, a module cache directory that does not exist
  3  security error: the database served two inconsistent histories, or an answer whose proof
     failed (a tile or record that contradicts its signed tree)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      ...databaseFlags,
      gosum: { type: 'string' },
      'check-db': { type: 'boolean' },
      json: { type: 'boolean' },
      concurrency: { type: 'string' },
    });
    if (positionals.length > 1) throw new UsageError('at most one module cache directory');
    const concurrency = parseCount(values.concurrency, '--concurrency', 4);
    const env = await goEnv(io, values);
    // The deadline bounds the database lookups; hashing the local cache is not cut short.
    const deadline = runDeadline(values.timeout);
    // Only --check-db verifies trees, so only it remembers them.
    const state = values['check-db'] ? stateFlag(io, values) : undefined;
    const g = goSumDBClient({
      env,
      ...lookupFlags(values, state),
      http: { signal: deadline.signal },
      securityError: (m) => io.stderr(`${m}\n`),
    });
    const dir = await requireDirectory(
      positionals[0] !== undefined ? resolve(io.cwd, positionals[0]) : g.dirs.gomodcache,
      positionals[0] !== undefined ? 'module cache' : 'module cache (GOMODCACHE)',
    );
    let goSum: GoSum | undefined;
    if (values.gosum !== undefined) {
      let text: Uint8Array;
      try {
        text = new Uint8Array(await readFile(resolve(io.cwd, values.gosum)));
      } catch (e) {
        throw new UsageError(`cannot read ${values.gosum}: ${(e as Error).message}`);
      }
      goSum = parseGoSum(text, { filename: values.gosum });
    }
    const client = g.client;
    if (values['check-db'] && !client) throw new UsageError('--check-db needs a checksum database, but GOSUMDB=off');
    // The worst verdict of the database's answers: a failed proof is exit 3 here as in audit.
    let answers = EXIT.ok as ExitCode;
    const lookup = async (path: string, version: string, signal?: AbortSignal) => {
      try {
        return await client!.lookup(path, version, signal);
      } catch (e) {
        answers = Math.max(answers, answerExitCode(e)) as ExitCode;
        throw e;
      }
    };
    let entries;
    try {
      entries = await verifyModCacheOnDisk(dir, {
        concurrency,
        ...(goSum ? { goSum } : {}),
        ...(values['check-db'] && client ? { lookup } : {}),
      });
    } catch (e) {
      if (e instanceof SecurityError) {
        io.stderr(`gosumdb verify-modcache: ${forkMessage(g.db.name, e)}\n`);
        // --json readers get a document on exit 3 too: the fork's evidence.
        if (values.json) {
          const doc = {
            schema: 'gosumdb/verify-modcache',
            version: 1,
            dir,
            exitCode: EXIT.security,
            modules: [],
            security: securityJson(e),
          };
          io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
        }
      }
      throw e;
    } finally {
      deadline.clear();
    }
    // An empty cache verifies nothing: not a pass.
    const code: ExitCode =
      answers === EXIT.security ? EXIT.security : entries.length > 0 && entries.every((e) => e.status === 'ok') ? EXIT.ok : EXIT.problems;
    if (values.json) {
      const stateJson = !values['check-db']
        ? null
        : state === undefined
          ? { remembered: false, dir: null, note: stateOffNote }
          : { remembered: true, dir: state };
      const doc = { schema: 'gosumdb/verify-modcache', version: 1, dir, exitCode: code, modules: entries, state: stateJson };
      io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
      return code;
    }
    const paint = painter(io);
    // The same problem for several versions (a database that could not be reached) is said once.
    const groups = new Map<string, { status: string; problem: string; versions: string[] }>();
    for (const e of entries) {
      e.problems.forEach((p, i) => {
        const status = e.problemStatuses[i] ?? e.status;
        const version = `${e.path} ${e.version}`;
        const problem = p.startsWith(`${version}: `) ? p.slice(version.length + 2) : p;
        const g = groups.get(`${status}\n${problem}`);
        if (g) g.versions.push(version);
        else groups.set(`${status}\n${problem}`, { status, problem, versions: [version] });
      });
    }
    for (const { status, problem, versions } of groups.values()) {
      const which =
        versions.length === 1
          ? versions[0]!
          : `${versions.length} module versions (${versions.slice(0, 3).join(', ')}${versions.length > 3 ? ', ...' : ''})`;
      io.stdout(`${paint('red', status)}  ${which}: ${problem}\n`);
    }
    const bad = entries.filter((e) => e.status !== 'ok').length;
    const checked = [
      'the recorded .ziphash',
      ...(goSum ? [goSum.filename] : []),
      ...(values['check-db'] ? [`the ${g.db.name} checksum database`] : []),
    ];
    const skipped = entries.filter((e) => e.databaseSkipped).length;
    const notAsked = skipped > 0 ? ` (${skipped} not asked of the database: GONOSUMDB/GOPRIVATE)` : '';
    if (entries.length === 0) io.stdout(`${paint('red', `nothing was verified: no module version in ${dir}/cache/download`)}\n`);
    else
      io.stdout(
        `${entries.length} module versions in ${dir} checked against ${checked.join(', ')}: ` +
          `${bad === 0 ? 'all verified' : `${bad} not verified`}${notAsked}\n`,
      );
    if (values['check-db'] && state === undefined) io.stdout(`${stateOffNote}\n`);
    return code;
  },
};
