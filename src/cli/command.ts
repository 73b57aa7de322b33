import type { ExitCode } from './exit.js';

/** Io is what a command may touch: its output streams and environment, injected for tests. */
export type Io = {
  /**
   * Writes to standard output. The promise, which never rejects, settles once the text has left
   * the process (into the pipe, file or terminal): `monitor` waits for it before it marks findings
   * reported. Other commands need not wait; writes keep their order.
   */
  readonly stdout: (s: string) => void | Promise<void>;
  readonly stderr: (s: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly isTTY: boolean;
  /** Whether stdout is a terminal (colours are used only then, and never with NO_COLOR). */
  readonly stdoutIsTTY?: boolean;
  /** Reads all of standard input (for a file named `-`); absent when there is none to read. */
  readonly stdin?: () => Promise<Uint8Array>;
};

/** Command is one `gosumdb <name>` subcommand, the export of ./commands/<name>.ts. */
export type Command = {
  /** Full `--help` text. */
  readonly usage: string;
  readonly run: (args: readonly string[], io: Io) => Promise<ExitCode>;
};

/** CommandEntry is a command's line in the CLI's table: listed by `--help`, its module loaded when it runs. */
export type CommandEntry = {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  readonly load: () => Promise<Command>;
};
