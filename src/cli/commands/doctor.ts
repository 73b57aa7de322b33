import { checkMirrors, resolveSumDB, type SumDBConfig } from '../../client/index.js';
import { diagnoseGoEnv, type GoEnvName } from '../../gosum/index.js';
import { GosumdbError } from '../../internal/errors.js';
import { httpTransport, readGoEnv } from '../../node/index.js';
import type { Command, Io } from '../command.js';
import { EXIT, UsageError } from '../exit.js';
import { painter, parseFlags, type Paint } from '../flags.js';

const shown: readonly GoEnvName[] = ['GOSUMDB', 'GOPROXY', 'GONOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GOINSECURE', 'GOFLAGS', 'GOPATH', 'GOMODCACHE', 'GOENV'];

function joinURL(base: string, path: string): string {
  return `${base.replace(/\/$/, '')}/${path}`;
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// One line per way to the database: each GOPROXY entry's /sumdb/<name>/supported, then the
// database itself, whose signed tree is fetched and verified with the key.
async function reachability(db: SumDBConfig, io: Io, paint: Paint): Promise<boolean> {
  const get = httpTransport({ timeoutMs: 10_000, retries: 1, backoffMs: 100 });
  let reachable = false;
  for (const p of db.proxies) {
    if (p.url === 'off' || p.url === 'direct') break;
    try {
      await get(joinURL(p.url, `sumdb/${db.name}/supported`));
      io.stdout(`${paint('green', 'ok  ')}  ${p.url} serves ${db.name} (${joinURL(p.url, `sumdb/${db.name}/supported`)})\n`);
      reachable = true;
    } catch (e) {
      const notFound = e instanceof GosumdbError && e.code === 'ERR_NOT_FOUND';
      const what = notFound ? `does not serve ${db.name}; the go command goes on to the next entry` : `unreachable: ${why(e)}`;
      io.stdout(`${paint(notFound ? 'yellow' : 'red', notFound ? 'no  ' : 'fail')}  ${p.url} ${what}\n`);
    }
  }
  const direct = db.url ?? db.direct;
  const report = await checkMirrors([{ name: direct, read: (path, signal) => get(joinURL(direct, path.replace(/^\//, '')), signal) }], db.key);
  const r = report.endpoints[0]!;
  if (r.tree) {
    io.stdout(`${paint('green', 'ok  ')}  ${direct} serves a tree signed by ${db.name}: #${r.tree.tree.n}\n`);
    reachable = true;
  } else {
    io.stdout(`${paint('red', 'fail')}  ${r.error?.message ?? direct}\n`);
  }
  return reachable;
}

/** `gosumdb doctor`: the go command's checksum settings, what is wrong with them, and whether the database answers. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: "show the go command's checksum settings, what weakens them, and whether the database answers",
  usage: `Usage: gosumdb doctor [--offline]

Prints the settings the go command uses for checksum verification (from the environment, the
go env -w file and $GOROOT/go.env, as go env computes them) and where each came from, then
every finding: GOSUMDB=off or a malformed key, GOPROXY syntax, GONOSUMDB/GOPRIVATE patterns
that hide public modules, look-alike variables the go command ignores, -insecure in GOFLAGS.
Then, unless --offline, whether the database answers through each GOPROXY entry
(<proxy>/sumdb/<name>/supported) and directly (a signed tree verified with the key).

Exit status:
  0  no error-level finding and the database is reachable (or --offline)
  1  an error-level finding, or the database cannot be reached at all
  2  usage error, unreadable go env file
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { offline: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const paint = painter(io);
    const env = await readGoEnv({ env: io.env });
    io.stdout(`${paint('bold', 'settings')}\n`);
    for (const name of shown) io.stdout(`  ${name}=${JSON.stringify(env[name])}  (${env.sources[name]})\n`);
    const findings = diagnoseGoEnv(env);
    io.stdout(`\n${paint('bold', 'findings')}\n`);
    if (findings.length === 0) io.stdout('  none\n');
    for (const f of findings) {
      const level = f.level === 'error' ? paint('red', 'error  ') : f.level === 'warning' ? paint('yellow', 'warning') : 'info   ';
      io.stdout(`  ${level}  ${f.variable}: ${f.message}\n`);
      if (f.remedy !== '') io.stdout(`           remedy: ${f.remedy}\n`);
    }
    let ok = !findings.some((f) => f.level === 'error');
    if (values.offline) return ok ? EXIT.ok : EXIT.problems;
    io.stdout(`\n${paint('bold', 'checksum database')}\n`);
    let db: SumDBConfig;
    try {
      db = resolveSumDB(env);
    } catch (e) {
      io.stdout(`  ${paint('red', 'fail')}  not checked: ${why(e)}\n`);
      return EXIT.problems;
    }
    if (db.off) {
      io.stdout('  not checked: GOSUMDB=off\n');
      return EXIT.problems;
    }
    const lines: string[] = [];
    const reachable = await reachability(db, { ...io, stdout: (s) => lines.push(`  ${s}`) }, paint);
    io.stdout(lines.join(''));
    ok &&= reachable;
    return ok ? EXIT.ok : EXIT.problems;
  },
};
