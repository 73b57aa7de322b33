import { checkMirrors, resolveSumDB, type SumDBConfig } from '../../client/index.js';
import { diagnoseGoEnv, goEnvNames, probeSumDBAccess, type DoctorFinding } from '../../gosum/index.js';
import { httpTransport, proxyFromEnv } from '../../node/http.js';
import { readGoEnv } from '../../node/goenv.js';
import { goSumDBClient } from '../client.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit.js';
import { painter, parseFlags, type Paint } from '../flags.js';

function findingLines(findings: readonly DoctorFinding[], paint: Paint): string {
  let s = '';
  for (const f of findings) {
    const level = f.level === 'error' ? paint('red', 'error  ') : f.level === 'warning' ? paint('yellow', 'warning') : 'info   ';
    s += `  ${level}  ${f.variable}: ${f.message}\n`;
    if (f.remedy !== '') s += `           remedy: ${f.remedy}\n`;
  }
  return s;
}

/** `gosumdb doctor`: the go command's checksum settings, what is wrong with them, and whether the database answers. */
export const doctorCommand: Command = {
  usage: `Usage: gosumdb doctor [--offline]

Prints the settings the go command uses for checksum verification (from the environment, the
go env -w file and $GOROOT/go.env, as go env computes them) and where each came from, then
every finding: GOSUMDB=off or a malformed key, GOPROXY syntax, GONOSUMDB/GOPRIVATE patterns
that hide public modules, look-alike variables the go command ignores, -insecure in GOFLAGS.
Then, unless --offline, how the database is reached: each GOPROXY entry's
<proxy>/sumdb/<name>/supported in order, as the go command asks, then the database's latest
signed tree, verified with the key.

Exit status:
  0  no error-level finding
  1  an error-level finding (including a database that cannot be reached or verified)
  2  usage error, unreadable go env file
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { offline: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const paint = painter(io);
    const env = await readGoEnv({ env: io.env });
    let out = `${paint('bold', 'settings')}\n`;
    for (const name of goEnvNames) out += `  ${name}=${JSON.stringify(env[name])}  (${env.sources[name]})\n`;
    const findings = diagnoseGoEnv(env);
    out += `\n${paint('bold', 'findings')}\n${findings.length === 0 ? '  none\n' : findingLines(findings, paint)}`;
    let ok = !findings.some((f) => f.level === 'error');
    let db: SumDBConfig | undefined;
    try {
      db = resolveSumDB(env);
    } catch {
      // diagnoseGoEnv has reported the malformed setting.
    }
    if (!values.offline && db !== undefined && !db.off) {
      const proxy = proxyFromEnv(io.env);
      const access = await probeSumDBAccess(
        db,
        httpTransport({ timeoutMs: 10_000, retries: 1, backoffMs: 100, ...(proxy ? { proxy } : {}) }),
      );
      const g = goSumDBClient({ env: { ...env, HOME: io.env['HOME'], proxy }, http: { timeoutMs: 10_000, retries: 1, backoffMs: 100 } });
      const verified = (await checkMirrors([g.endpoint!], db.key)).endpoints[0]!;
      const tree: DoctorFinding = verified.tree
        ? {
            level: 'info',
            code: 'sumdb-verified',
            variable: 'GOSUMDB',
            message: `the latest tree is signed by ${db.name}: #${verified.tree.tree.n}`,
            remedy: '',
          }
        : {
            level: 'error',
            code: 'sumdb-unverified',
            variable: 'GOSUMDB',
            message: `no tree signed by ${db.name} could be read: ${verified.error?.message ?? 'unknown error'}`,
            remedy: 'check that GOSUMDB names the database your proxies serve, and that the database is reachable',
          };
      const all = [...access, tree];
      out += `\n${paint('bold', 'checksum database')}\n${findingLines(all, paint)}`;
      ok &&= !all.some((f) => f.level === 'error');
    }
    io.stdout(out);
    return ok ? EXIT.ok : EXIT.problems;
  },
};
