import { checkMirrors, Client, SecurityError } from '../../client/index.js';
import { diskOps } from '../../node/diskOps.js';
import { goSumDBClient, mirrorEndpoints } from '../client.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit.js';
import { goEnv, painter, parseFlags, runDeadline, stateFlag, stateOffNote } from '../flags.js';
import { mirrorsExitCode, mirrorsJson, renderMirrorsText, securityJson } from '../report.js';

/** `gosumdb mirrors <url> <url> ...`: proves that several endpoints serve one database history. */
export const mirrorsCommand: Command = {
  usage: `Usage: gosumdb mirrors [--sumdb <GOSUMDB>] [--json] [--timeout <d>] [--state <dir> | --no-state] <url> [<url> ...]

Fetches the latest signed tree from each URL, verifies its signature with the database key
(from --sumdb, else GOSUMDB as the go command resolves it), and proves that every tree is a
prefix of the largest one, with tiles from the endpoint that served it. A URL may be a proxy
(read at <url>/sumdb/<name>/..., when it answers <url>/sumdb/<name>/supported) or the database
itself. Two endpoints that disagree are a security error, printed with the evidence (both signed
trees and the proof), as the go command reports a misbehaving database.

--timeout is the run's deadline (default 5m, as for audit): an endpoint not read by then is one
that could not be read. The largest tree must also extend the tree remembered from earlier runs
(--state <dir>, as for audit; --no-state remembers nothing), and is remembered in turn.

Example:
  gosumdb mirrors https://sum.golang.org https://proxy.golang.org

Exit status:
  0  every endpoint serves a verified tree, all consistent
  1  some endpoint could not be read or served an unverifiable tree
  2  usage error, malformed GOSUMDB
  3  security error: two endpoints serve inconsistent histories, or histories inconsistent with
     the tree remembered from an earlier run, or a tree whose signature by the key is invalid
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      sumdb: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      state: { type: 'string' },
      'no-state': { type: 'boolean' },
    });
    if (positionals.length === 0) throw new UsageError('at least one URL is required');
    const state = stateFlag(io, values);
    const deadline = runDeadline(values.timeout);
    const g = goSumDBClient({ env: await goEnv(io, { sumdb: values.sumdb }), http: { signal: deadline.signal } });
    if (g.db.off) throw new UsageError('GOSUMDB=off: give the database key with --sumdb');
    const endpoints = mirrorEndpoints(positionals, g.db.name, g.transport);
    const securityError = (m: string) => io.stderr(`${m}\n`);
    let report;
    try {
      report = await checkMirrors(endpoints, g.db.key, { securityError });
      // Every tree served is a prefix of the largest, so proving the largest consistent with the
      // remembered trees (gosumdb's and the go command's) proves them all; it is then remembered.
      const from = endpoints.find((e) => e.name === report!.largestFrom);
      if (state !== undefined && from !== undefined) {
        const ops = diskOps({ ...g.dirs, key: g.db.key, remote: from.read, stateDir: state, securityError });
        await new Client(ops, { witnesses: ['go-latest'] }).latest(deadline.signal);
      }
    } catch (e) {
      // --json readers get a document on exit 3 too: the fork's evidence.
      if (values.json && e instanceof SecurityError) {
        const doc = { schema: 'gosumdb/mirrors', version: 1, consistent: false, exitCode: EXIT.security, security: securityJson(e) };
        io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
      }
      throw e;
    } finally {
      deadline.clear();
    }
    if (values.json) io.stdout(`${JSON.stringify(mirrorsJson(report), null, 2)}\n`);
    else io.stdout(renderMirrorsText(report, painter(io)));
    if (state === undefined) io.stderr(`${stateOffNote}\n`);
    return mirrorsExitCode(report);
  },
};
