import { checkMirrors } from '../../client/index.js';
import { goSumDBClient, mirrorEndpoints } from '../client.js';
import type { Command } from '../command.js';
import { UsageError } from '../exit.js';
import { goEnv, painter, parseFlags, runDeadline } from '../flags.js';
import { mirrorsExitCode, mirrorsJson, renderMirrorsText } from '../report.js';

/** `gosumdb mirrors <url> <url> ...`: proves that several endpoints serve one database history. */
export const mirrorsCommand: Command = {
  usage: `Usage: gosumdb mirrors [--sumdb <GOSUMDB>] [--json] [--timeout <d>] <url> [<url> ...]

Fetches the latest signed tree from each URL, verifies its signature with the database key
(from --sumdb, else GOSUMDB as the go command resolves it), and proves that every tree is a
prefix of the largest one, with tiles from the endpoint that served it. A URL may be a proxy
(read at <url>/sumdb/<name>/..., when it answers <url>/sumdb/<name>/supported) or the database
itself. Two endpoints that disagree are a security error, printed with the evidence (both signed
trees and the proof), as the go command reports a misbehaving database.

--timeout is the run's deadline (default 5m, as for audit): an endpoint not read by then is one
that could not be read.

Example:
  gosumdb mirrors https://sum.golang.org https://proxy.golang.org

Exit status:
  0  every endpoint serves a verified tree, all consistent
  1  some endpoint could not be read or served an unverifiable tree
  2  usage error, malformed GOSUMDB
  3  security error: two endpoints serve inconsistent histories
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { sumdb: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' } });
    if (positionals.length === 0) throw new UsageError('at least one URL is required');
    const deadline = runDeadline(values.timeout);
    const g = goSumDBClient({ env: await goEnv(io, { sumdb: values.sumdb }), http: { signal: deadline.signal } });
    if (g.db.off) throw new UsageError('GOSUMDB=off: give the database key with --sumdb');
    const report = await checkMirrors(mirrorEndpoints(positionals, g.db.name, g.transport), g.db.key, {
      securityError: (m) => io.stderr(`${m}\n`),
    }).finally(() => deadline.clear());
    if (values.json) io.stdout(`${JSON.stringify(mirrorsJson(report), null, 2)}\n`);
    else io.stdout(renderMirrorsText(report, painter(io)));
    return mirrorsExitCode(report);
  },
};
