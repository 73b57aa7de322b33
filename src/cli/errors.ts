import type { SecurityError } from '../client/errors.js';
import { GosumdbError } from '../internal/errors.js';
import { MESSAGE_MAX, printable } from '../internal/quote.js';
import { VERSION } from '../version.js';
import { EXIT, type ExitCode } from './exit.js';

// Error codes that mean "the server lied": exit 3. Codes are added by the areas that define them.
// A record that its signed tree's tiles contradict, or that is not in the tree that came with it,
// is a failed proof as much as an inconsistent tile.
const securityCodes = new Set<string>([
  'ERR_SECURITY',
  'ERR_NOTE_INVALID_SIGNATURE',
  'ERR_NOTE_AMBIGUOUS_VERIFIER',
  'ERR_PROOF_INVALID',
  'ERR_TILE_INCONSISTENT',
  'ERR_RECORD_MISMATCH',
  'ERR_RECORD_NOT_IN_TREE',
]);
// Error codes that mean "the input given on the command line is unusable": exit 2.
const inputCodes = new Set<string>([
  'ERR_FILE_READ',
  'ERR_DIRHASH_NOT_DIR',
  'ERR_GOSUMDB_MALFORMED',
  'ERR_GOPROXY_MALFORMED',
  'ERR_KEY_MALFORMED',
  'ERR_NOTE_MALFORMED',
  'ERR_GOSUM_MALFORMED',
  'ERR_GOMOD_MALFORMED',
  'ERR_MIRROR_URL_INVALID',
  'ERR_GOPATH_MISSING',
  'ERR_STATE_DRIVER_MISSING',
  'ERR_STATE_MISMATCH',
  'ERR_STATE_CORRUPT',
  'ERR_STATE_VERSION',
  'ERR_STATE_EMPTY',
  'ERR_STATE_IN_USE',
  'ERR_STATE_DIR_MISSING',
  'ERR_OUTPUT_UNUSABLE',
]);

/** isSecurityCode reports whether an error code means the server lied (exit 3), e.g. for per-line audit errors. */
export function isSecurityCode(code: string): boolean {
  return securityCodes.has(code);
}

/**
 * errorExitCode maps an error thrown by the library to the CLI exit code (one table for all
 * commands). An operating-system error (a file that cannot be read) is an input error; anything
 * else that is not a GosumdbError (a TypeError, a RangeError...) is a bug: exit 70, not 2.
 */
export function errorExitCode(e: unknown): ExitCode {
  if (e instanceof GosumdbError) {
    if (securityCodes.has(e.code)) return EXIT.security;
    if (inputCodes.has(e.code)) return EXIT.usage;
    return EXIT.problems;
  }
  return isSystemError(e) ? EXIT.usage : EXIT.internal;
}

// Node's errors from the operating system (ENOENT, EACCES, EISDIR...) carry the failed syscall.
function isSystemError(e: unknown): boolean {
  return e instanceof Error && typeof (e as { syscall?: unknown }).syscall === 'string';
}

/**
 * formatFailure renders what `gosumdb <command>` prints when it fails with e: one line for a
 * known failure; for an internal error (exit 70), a request to report the bug, with the stack.
 */
export function formatFailure(command: string, e: unknown): string {
  if (errorExitCode(e) !== EXIT.internal) return `gosumdb ${command}: ${formatError(e)}\n`;
  const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  return `gosumdb ${command}: internal error, a bug in gosumdb ${VERSION} (please report it with this output): ${detail}\n`;
}

/**
 * answerExitCode maps the failure of an answer from the checksum database (a lookup, a tree) to
 * the exit code: 3 when the proof failed (the server lied), else 1. Never 2: what the server sent
 * is not the user's input, even when it is a malformed note.
 */
export function answerExitCode(e: unknown): ExitCode {
  return e instanceof GosumdbError && securityCodes.has(e.code) ? EXIT.security : EXIT.problems;
}

/**
 * formatError renders an error for people: message and cause chain, never a stack. Messages carry
 * text from outside (a server's note, a zip entry's name), so the result is made printable and capped.
 */
export function formatError(e: unknown): string {
  if (e instanceof Error) {
    let s = e.message;
    let c: unknown = e.cause;
    for (let i = 0; c instanceof Error && i < 5; i++, c = c.cause) {
      if (!s.includes(c.message)) s += `: ${c.message}`;
    }
    return printable(s, { lines: true, max: MESSAGE_MAX });
  }
  return printable(String(e), { lines: true, max: MESSAGE_MAX });
}

/**
 * forkMessage says what a fork means for a whole run: the database signed two inconsistent trees.
 * The module version whose lookup happened to reveal it is left out: the fork is the database's,
 * not that module's.
 */
export function forkMessage(dbName: string, e: SecurityError): string {
  const { older, newer } = e.evidence;
  return (
    `the checksum database ${dbName} signed two inconsistent trees (#${older.tree.n} and #${newer.tree.n}): ` +
    `no answer from it can be trusted`
  );
}
