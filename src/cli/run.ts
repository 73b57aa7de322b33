import type { CommandEntry, Io } from './command.js';
import { EXIT, UsageError, type ExitCode } from './exit.js';
import { errorExitCode, formatFailure } from './errors.js';
import { VERSION } from '../version.js';

// The command table: what `gosumdb --help` lists, and the module of each command, imported only
// when that command runs, so `--version`, `--help` and `hash` do not load the network client,
// the server or the conformance runners (measured in bench/cli.ts). A new command is one line
// here and its ./commands/<name>.ts exporting a {@link Command}.
const commands: readonly CommandEntry[] = [
  {
    name: 'audit',
    summary: 'check every go.sum line against the checksum database, with proof',
    load: async () => (await import('./commands/audit.js')).auditCommand,
  },
  {
    name: 'lookup',
    summary: 'print the verified go.sum lines of module versions from the checksum database',
    load: async () => (await import('./commands/lookup.js')).lookupCommand,
  },
  {
    name: 'explain',
    summary: "say why a module version's checksums disagree, with evidence from every source",
    load: async () => (await import('./commands/explain.js')).explainCommand,
  },
  {
    name: 'doctor',
    summary: "show the go command's checksum settings, what weakens them, and whether the database answers",
    load: async () => (await import('./commands/doctor.js')).doctorCommand,
  },
  {
    name: 'verify-modcache',
    summary: 'check the module cache as go mod verify does, and against go.sum and the database',
    load: async () => (await import('./commands/verify-modcache.js')).verifyModCacheCommand,
  },
  {
    name: 'mirrors',
    summary: 'prove that proxies and copies of a checksum database serve the same history',
    load: async () => (await import('./commands/mirrors.js')).mirrorsCommand,
  },
  {
    name: 'monitor',
    summary: 'read the whole checksum database log: prove every record, report duplicates and watched modules',
    load: async () => (await import('./commands/monitor.js')).monitorCommand,
  },
  {
    name: 'hash',
    summary: 'print the h1: hash of a module zip, a directory or a go.mod file',
    load: async () => (await import('./commands/hash.js')).hashCommand,
  },
  {
    name: 'vectors',
    summary: 'run the conformance vectors against this implementation',
    load: async () => (await import('./commands/vectors.js')).vectorsCommand,
  },
  {
    name: 'verify-note',
    summary: 'verify a signed note (e.g. a sumdb tree head) against verifier keys',
    load: async () => (await import('./commands/verify-note.js')).verifyNoteCommand,
  },
  {
    name: 'demo',
    summary: 'see an audit work: a sample go.sum, a mismatch, a not-found and a fork, on a local database',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
];

/** runCli runs `gosumdb <args>` with injected I/O and returns the exit code. */
export async function runCli(args: readonly string[], io: Io): Promise<ExitCode> {
  // `gosumdb help <command>` is `gosumdb <command> --help`, as `go help <command>`.
  if (args[0] === 'help' && args.length === 2) return runCli([args[1]!, '--help'], io);
  const [name, ...rest] = args;
  // Asked for, the usage is output (exit 0); given no command, it is an error message (stderr, exit 2), as with go.
  if (name === undefined) {
    io.stderr(topUsage());
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    await io.stdout(topUsage());
    return EXIT.ok;
  }
  if (name === '--version') {
    await io.stdout(`gosumdb ${VERSION}\n`);
    return EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`gosumdb: unknown command "${name}"\nRun 'gosumdb --help' for usage.\n`);
    return EXIT.usage;
  }
  const cmd = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    await io.stdout(cmd.usage);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`gosumdb ${name}: ${e.message}\nRun 'gosumdb ${name} --help' for usage.\n`);
      return EXIT.usage;
    }
    io.stderr(formatFailure(name, e));
    return errorExitCode(e);
  }
}

function topUsage(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  return [
    'gosumdb verifies Go module checksums against the Go checksum database.',
    '',
    'Usage: gosumdb <command> [arguments]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'gosumdb help <command>' (or 'gosumdb <command> --help') for a command's flags.",
    '',
  ].join('\n');
}
