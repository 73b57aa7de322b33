import { GosumdbError, isGosumdbError } from '../../internal/errors.js';
import { goSumDBClient } from '../client.js';
import type { Command } from '../command.js';
import { answerExitCode, formatError } from '../errors.js';
import { EXIT, UsageError, type ExitCode } from '../exit.js';
import { databaseFlags, databaseUsage, goEnv, lookupFlags, parseFlags, runDeadline, stateFlag, stateOffNote } from '../flags.js';
import { treeLine } from '../../gosum/report.js';
import { canonicalVersion, check } from '../../module/version.js';

function splitModule(arg: string): { path: string; version: string } {
  const at = arg.lastIndexOf('@');
  if (at <= 0 || at === arg.length - 1) throw new UsageError(`expected path@version, got ${JSON.stringify(arg)}`);
  const path = arg.slice(0, at);
  const version = arg.slice(at + 1);
  // The database holds exact, canonical versions: a query such as "latest" or "master" is the
  // user's to resolve, not a question for the server.
  const exact = version.endsWith('/go.mod') ? version.slice(0, -'/go.mod'.length) : version;
  try {
    check(path, exact);
  } catch (e) {
    const query = /^v[0-9]/.test(exact) ? '' : `; ${JSON.stringify(exact)} is not a version: find one with go list -m ${path}@${exact}`;
    throw new UsageError(`${formatError(e)}${query}`);
  }
  if (canonicalVersion(exact) !== exact)
    throw new UsageError(`${path}@${exact}: not a canonical version (the database holds ${canonicalVersion(exact)})`);
  return { path, version };
}

/** `gosumdb lookup path@version ...`: the go.sum lines the checksum database holds, proved. */
export const lookupCommand: Command = {
  usage: `Usage: gosumdb lookup [flags] <path@version> [<path@version> ...]

Looks each module version up in the checksum database the go command would use and prints the
go.sum lines it holds (the zip hash and the /go.mod hash), only after proving them against the
database's signed tree. The tree is named on standard error.

Flags:
${databaseUsage}

Example:
  gosumdb lookup golang.org/x/mod@v0.7.0

Exit status:
  0  every module version was found and verified
  1  a module version is not in the database, matches GONOSUMDB/GOPRIVATE, or could not be read
  2  usage error, malformed GOSUMDB/GOPROXY
  3  security error: the database served two inconsistent histories, or an answer whose proof
     failed (a tile or record that contradicts its signed tree, a bad signature by its key)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { ...databaseFlags });
    if (positionals.length === 0) throw new UsageError('at least one path@version is required');
    const modules = positionals.map(splitModule);
    const state = stateFlag(io, values);
    const deadline = runDeadline(values.timeout);
    const g = goSumDBClient({
      env: await goEnv(io, values),
      ...lookupFlags(values, state),
      http: { signal: deadline.signal },
      securityError: (m) => io.stderr(`${m}\n`),
    });
    try {
      if (!g.client) throw new UsageError('GOSUMDB=off: there is no checksum database to ask');
      let code: ExitCode = EXIT.ok;
      let proved = 0;
      for (const { path, version } of modules) {
        try {
          // The record holds the zip and the /go.mod line; Go's Lookup returns the one asked for.
          const kinds = version.endsWith('/go.mod') ? [version] : [version, `${version}/go.mod`];
          const lines: string[] = [];
          for (const v of kinds) {
            const found = await g.client.lookup(path, v);
            // A proved record that holds no line for it proves nothing about it (Go's checkSumDB
            // accepts a download then; this is refused).
            if (found.length === 0) throw new GosumdbError('ERR_NOT_FOUND', `${path}@${v}: the database's record holds no line for it`);
            lines.push(...found);
          }
          for (const line of lines) io.stdout(`${line}\n`);
          proved++;
        } catch (e) {
          if (isGosumdbError(e, 'ERR_SECURITY')) throw e;
          if (isGosumdbError(e, 'ERR_SKIPPED'))
            io.stderr(`gosumdb lookup: ${path}@${version}: matches GONOSUMDB/GOPRIVATE (${g.db.noSumDB}); not looked up\n`);
          else if (isGosumdbError(e, 'ERR_GOSUMDB_MALFORMED') || isGosumdbError(e, 'ERR_GOPROXY_MALFORMED')) throw e;
          else io.stderr(`gosumdb lookup: ${formatError(e)}\n`);
          code = Math.max(code, answerExitCode(e)) as ExitCode;
        }
      }
      // A client that could not start (its remembered tree did not verify) trusts no tree.
      const tree = await g.client.signedTree().catch(() => undefined);
      if (proved === modules.length || tree === undefined) io.stderr(`${treeLine(g.db.name, tree)}\n`);
      else if (proved > 0) io.stderr(`${proved} of ${modules.length} module versions ${treeLine(g.db.name, tree)}\n`);
      else io.stderr(`no module version could be ${treeLine(g.db.name, tree)}\n`);
      if (state === undefined) io.stderr(`${stateOffNote}\n`);
      return code;
    } finally {
      deadline.clear();
    }
  },
};
