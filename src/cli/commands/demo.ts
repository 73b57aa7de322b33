import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoDatabase, type DemoDatabase } from '../demo-database.js';
import type { Command, Io } from '../command.js';
import { errorExitCode, formatFailure } from '../errors.js';
import { EXIT, UsageError, type ExitCode } from '../exit.js';
import { painter, parseFlags } from '../flags.js';
import { auditCommand } from './audit.js';

// The sample shipped with the package: ../../../examples from both src/cli/commands and dist/cli/commands.
const sampleFile = fileURLToPath(new URL('../../../examples/sample/go.sum', import.meta.url));

// A module no public proxy ever served (example.com is reserved), with a well-formed hash.
const unknownModule = 'example.com/acme/billing-internal v1.4.0 h1:e9up7lG0poKe12O99dPrRXTgvj/sawTDfsinQdgzuxw=\n';

type Outcome = { readonly code: ExitCode; readonly stdout: string; readonly stderr: string };

/** `gosumdb demo`: a verified go.sum audit and three failure stories against a database on 127.0.0.1. */
export const demoCommand: Command = {
  usage: `Usage: gosumdb demo

Starts a checksum database inside this process on 127.0.0.1 (100 000 records in a signed tree,
holding the module versions of a real project's go.sum, examples/sample/go.sum), audits that
go.sum with 'gosumdb audit' over HTTP, then shows three things users meet in real life, each run
for real: a go.sum hash that differs from the database (mismatch), a module the database does
not know (not-found), and a database that signs two inconsistent trees (SECURITY ERROR).
Nothing but 127.0.0.1 is contacted; no Go installation, Go cache or Go settings are used.

Exit status:
  0  the audit and all three stories gave the expected verdicts
  1  one of them did not
`,
  async run(args, io) {
    if (parseFlags(args, {}).positionals.length > 0) throw new UsageError('demo takes no arguments');
    const paint = painter(io);
    const out = io.stdout;
    const gosum = await readFile(sampleFile, 'utf8');
    const work = await mkdtemp(join(tmpdir(), 'gosumdb-demo-'));
    let demo: DemoDatabase | undefined;
    try {
      demo = await startDemoDatabase({ gosum });
      const audit = auditIn(work, demo, io);
      const lines = gosum.split('\n').filter((l) => l !== '');
      const { db } = demo;
      const keyName = db.vkey.split('+').slice(0, 2).join('+');
      out(
        `${paint('bold', 'gosumdb demo')}: a go.sum audit against a checksum database running in this process.\n` +
          `Nothing leaves 127.0.0.1; no Go installation, Go cache or Go settings are used.\n\n` +
          `Checksum database ${demo.url}, key ${keyName} (generated for this run):\n` +
          `  ${fmtInt(db.log.size())} records (hash tiles of height 8 on ${tileLevels(db.log.size())} levels), built and signed in ` +
          `${(demo.buildMs / 1000).toFixed(1)} s:\n` +
          `  the ${demo.moduleVersions} module versions of examples/sample/go.sum (prometheus/prometheus, ${lines.length} lines)\n` +
          `  with their real hashes, among synthetic modules.\n\n`,
      );

      const verdicts: boolean[] = [];
      const step = (ok: boolean, what: string): void => {
        verdicts.push(ok);
        out(`${ok ? paint('green', 'as expected') : paint('red', 'NOT as expected')}: ${what}\n\n`);
      };

      out(
        `${paint('bold', 'The sample go.sum')}, checked line by line, every answer proved against the signed tree\n` +
          `(the audits below are 'gosumdb audit go.sum' with GOSUMDB set to this database):\n`,
      );
      db.resetStats();
      const sample = await audit('sample', gosum);
      const s = db.stats();
      out(indent(sample.stdout + sample.stderr));
      out(`  (${s.lookup} lookups and ${s.tile} tile fetches over HTTP)\n`);
      step(sample.code === EXIT.ok, `exit ${sample.code}, every line verified`);

      out(`${paint('bold', 'Story 1: a go.sum hash that differs from the database')}\n`);
      const victim = pickVictim(lines);
      const edited = lines.map((l, i) => (i === victim ? otherHash(l) : l));
      const [vPath, vVersion] = edited[victim]!.split(' ');
      out(`  One character of line ${victim + 1} is changed, as a tampered download or a hand edit would:\n    ${edited[victim]}\n`);
      const mismatch = await audit('story1', `${edited.join('\n')}\n`);
      out(indent(mismatch.stdout + mismatch.stderr));
      step(mismatch.code === EXIT.problems && hasStatus(mismatch, 'mismatch', `${vPath}@${vVersion}`), `exit ${mismatch.code}, mismatch`);

      out(`${paint('bold', 'Story 2: a module the database does not know')}\n`);
      out(`  A line for a module no public proxy ever served is added:\n    ${unknownModule}`);
      const [uPath, uVersion] = unknownModule.split(' ');
      const notFound = await audit('story2', gosum + unknownModule);
      out(indent(notFound.stdout + notFound.stderr));
      step(notFound.code === EXIT.problems && hasStatus(notFound, 'not-found', `${uPath}@${uVersion}`), `exit ${notFound.code}, not-found`);

      out(`${paint('bold', 'Story 3: the database signs two inconsistent trees (a fork)')}\n`);
      out(
        `  The server answers the audit's first request with the tree verified above, then\n` +
          `  signs a second history with the same key, in which record ${fmtInt(db.log.size() - 1)} has other hashes.\n` +
          `  The client proves that every tree it sees contains the ones it trusted before:\n`,
      );
      demo.forkAfter(1);
      const fork = await audit('story3', gosum);
      out(indent(fork.stdout + fork.stderr));
      step(
        fork.code === EXIT.security && fork.stderr.includes('SECURITY ERROR\ngo.sum database server misbehavior detected!'),
        `exit ${fork.code}, SECURITY ERROR with the evidence`,
      );

      const ok = verdicts.every((v) => v);
      out(
        ok
          ? `The audit and the three stories behaved as expected. Audit your own project:\n\n  npx gosumdb audit go.sum\n`
          : `${paint('red', 'Some checks did not behave as expected (see above).')}\n`,
      );
      return ok ? EXIT.ok : EXIT.problems;
    } finally {
      await demo?.close();
      await rm(work, { recursive: true, force: true });
    }
  },
};

// auditIn returns a runner of `gosumdb audit` on a go.sum written to <work>/<dir>/go.sum, with a
// Go environment of its own (the demo database, a GOPATH in `work`, no go env file, no GOROOT):
// the same command, report and exit code as on the command line, isolated from the user's Go.
function auditIn(work: string, demo: DemoDatabase, io: Io): (dir: string, gosum: string) => Promise<Outcome> {
  const gopath = join(work, 'gopath');
  const env = {
    HOME: work,
    GOENV: 'off',
    GOROOT: join(work, 'goroot'),
    GOPATH: gopath,
    GOMODCACHE: join(gopath, 'pkg', 'mod'),
    GOSUMDB: demo.gosumdb,
    GOPROXY: 'off',
    GONOSUMDB: '',
    GOPRIVATE: '',
    GOFLAGS: '',
    PATH: '',
    NO_COLOR: io.env['NO_COLOR'],
    TERM: io.env['TERM'],
  };
  return async (dir, gosum) => {
    const cwd = join(work, dir);
    await mkdir(cwd, { recursive: true });
    await writeFile(join(cwd, 'go.sum'), gosum);
    let stdout = '';
    let stderr = '';
    const sub: Io = {
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
      env,
      cwd,
      isTTY: false,
      ...(io.stdoutIsTTY === undefined ? {} : { stdoutIsTTY: io.stdoutIsTTY }),
    };
    let code: ExitCode;
    try {
      code = await auditCommand.run(['go.sum'], sub);
    } catch (e) {
      stderr += formatFailure('audit', e);
      code = errorExitCode(e);
    }
    return { code, stdout, stderr };
  };
}

// The go.sum line to tamper with: a golang.org/x/crypto zip hash if there is one.
function pickVictim(lines: readonly string[]): number {
  const zip = (l: string): boolean => l.split(' ')[1]?.endsWith('/go.mod') === false;
  const crypto = lines.map((l) => l.startsWith('golang.org/x/crypto ') && zip(l)).lastIndexOf(true);
  return crypto >= 0 ? crypto : Math.max(0, lines.findIndex(zip));
}

function otherHash(line: string): string {
  const at = line.indexOf('h1:') + 3;
  return line.slice(0, at) + (line[at] === 'A' ? 'B' : 'A') + line.slice(at + 1);
}

// hasStatus reports whether the audit's table has a row giving `status` to `module` (path@version).
function hasStatus(o: Outcome, status: string, module: string): boolean {
  const row = new RegExp(`^${escapeRegExp(status)}\\s+${escapeRegExp(module)}\\s`);
  return o.stdout
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .some((l) => row.test(l));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function indent(s: string): string {
  const t = s.endsWith('\n') ? s.slice(0, -1) : s;
  return t === '' ? '' : `${t.replace(/^(?=.)/gm, '  ')}\n`;
}

// tileLevels is the number of tile levels of height 8 a tree of n records has (1 for up to 256).
function tileLevels(n: number): number {
  let levels = 1;
  for (let covered = 256; covered < n; covered *= 256) levels++;
  return levels;
}

function fmtInt(n: number): string {
  return n.toLocaleString('en-US').replaceAll(',', ' ');
}
