/**
 * GosumdbError is the base of every error gosumdb throws for hostile or malformed data.
 * Each carries a stable string `code` (for programs) and a message in Go's wording (for people).
 * Wrong argument types or ranges from the caller are plain `TypeError` / `RangeError` instead.
 *
 * @example
 * ```ts
 * import { GosumdbError } from 'gosumdb';
 * const e = new GosumdbError('ERR_TREE_MALFORMED', 'malformed tree note');
 * if (!(e instanceof Error) || e.code !== 'ERR_TREE_MALFORMED') throw new Error('unexpected');
 * ```
 */
export class GosumdbError extends Error {
  /** Stable machine-readable code, e.g. `'ERR_NOTE_MALFORMED'`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * isGosumdbError reports whether `e` is a {@link GosumdbError}, optionally with the given code.
 *
 * @example
 * ```ts
 * import { GosumdbError, isGosumdbError } from 'gosumdb';
 * const e = new GosumdbError('ERR_NOTE_MALFORMED', 'malformed note');
 * console.log(isGosumdbError(e, 'ERR_NOTE_MALFORMED')); // true
 * ```
 */
export function isGosumdbError(e: unknown, code?: string): e is GosumdbError {
  return e instanceof GosumdbError && (code === undefined || e.code === code);
}

/** errorMessage is the message of a thrown value for a report or a wrapping error (String(e) for non-Errors). */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
