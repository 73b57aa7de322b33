import { GosumdbError } from '../internal/errors.js';
import { EXIT, type ExitCode } from './exit.js';

// Error codes that mean "the server lied": exit 3. Codes are added by the areas that define them.
const securityCodes = new Set<string>(['ERR_SECURITY', 'ERR_NOTE_INVALID_SIGNATURE', 'ERR_NOTE_AMBIGUOUS_VERIFIER', 'ERR_PROOF_INVALID', 'ERR_TILE_INCONSISTENT']);
// Error codes that mean "the input given on the command line is unusable": exit 2.
const inputCodes = new Set<string>(['ERR_FILE_READ', 'ERR_DIRHASH_NOT_DIR', 'ERR_GOSUMDB_MALFORMED', 'ERR_GOPROXY_MALFORMED', 'ERR_KEY_MALFORMED', 'ERR_NOTE_MALFORMED', 'ERR_GOSUM_MALFORMED', 'ERR_GOMOD_MALFORMED', 'ERR_MIRROR_URL_INVALID', 'ERR_GOPATH_MISSING']);

/** isSecurityCode reports whether an error code means the server lied (exit 3), e.g. for per-line audit errors. */
export function isSecurityCode(code: string): boolean {
  return securityCodes.has(code);
}

/** errorExitCode maps an error thrown by the library to the CLI exit code (one table for all commands). */
export function errorExitCode(e: unknown): ExitCode {
  if (e instanceof GosumdbError) {
    if (securityCodes.has(e.code)) return EXIT.security;
    if (inputCodes.has(e.code)) return EXIT.usage;
    return EXIT.problems;
  }
  return EXIT.usage;
}

/** formatError renders an error as one line for people: message and cause chain, never a stack. */
export function formatError(e: unknown): string {
  if (e instanceof Error) {
    let s = e.message;
    let c: unknown = e.cause;
    for (let i = 0; c instanceof Error && i < 5; i++, c = c.cause) {
      if (!s.includes(c.message)) s += `: ${c.message}`;
    }
    return s;
  }
  return String(e);
}
