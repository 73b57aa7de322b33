/**
 * Exit codes of the gosumdb CLI, one table for every command.
 * 0: all verified; 1: problems found (mismatch, not found, no trusted signature...);
 * 2: usage or input error (incl. malformed keys and notes); 3: security error (fork, misbehaving
 * server, a trusted key's signature that does not verify); 70: internal error, a bug in gosumdb
 * (EX_SOFTWARE of BSD's sysexits.h), never a verdict about the input.
 */
export const EXIT = {
  ok: 0,
  problems: 1,
  usage: 2,
  security: 3,
  internal: 70,
} as const;

/** ExitCode is one of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** UsageError is thrown by a command for bad flags or arguments; the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
