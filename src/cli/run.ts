import type { Command, Io } from './command.js';
import { EXIT, UsageError, type ExitCode } from './exit.js';
import { errorExitCode, formatFailure } from './errors.js';
import { VERSION } from '../version.js';
import { vectorsCommand } from './commands/vectors.js';
import { hashCommand } from './commands/hash.js';
import { verifyNoteCommand } from './commands/verify-note.js';
import { auditCommand } from './commands/audit.js';
import { lookupCommand } from './commands/lookup.js';
import { doctorCommand } from './commands/doctor.js';
import { verifyModCacheCommand } from './commands/verify-modcache.js';
import { mirrorsCommand } from './commands/mirrors.js';
import { demoCommand } from './commands/demo.js';
import { monitorCommand } from './commands/monitor.js';
import { explainCommand } from './commands/explain.js';

// One line per command; each lives in ./commands/<name>.ts.
const commands: readonly Command[] = [
  auditCommand,
  lookupCommand,
  explainCommand,
  doctorCommand,
  verifyModCacheCommand,
  mirrorsCommand,
  monitorCommand,
  hashCommand,
  vectorsCommand,
  verifyNoteCommand,
  demoCommand,
];

/** runCli runs `gosumdb <args>` with injected I/O and returns the exit code. */
export async function runCli(args: readonly string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topUsage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.stdout(`gosumdb ${VERSION}\n`);
    return EXIT.ok;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`gosumdb: unknown command "${name}"\nRun 'gosumdb --help' for usage.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.usage);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`gosumdb ${cmd.name}: ${e.message}\nRun 'gosumdb ${cmd.name} --help' for usage.\n`);
      return EXIT.usage;
    }
    io.stderr(formatFailure(cmd.name, e));
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
    "Run 'gosumdb <command> --help' for a command's flags.",
    '',
  ].join('\n');
}
