/**
 * GosumdbError is the base of every error gosumdb throws for hostile or malformed data.
 * Each carries a stable string `code` (for programs) and a message in Go's wording (for people).
 * Wrong argument types or ranges from the caller are plain `TypeError` / `RangeError` instead.
 *
 * @example
 * ```ts
 * import { GosumdbError } from 'gosumdb';
 * try { parseTree(bytes); } catch (e) {
 *   if (e instanceof GosumdbError && e.code === 'ERR_TREE_MALFORMED') console.log('bad tree');
 * }
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

/** isGosumdbError reports whether `e` is a {@link GosumdbError}, optionally with the given code. */
export function isGosumdbError(e: unknown, code?: string): e is GosumdbError {
  return e instanceof GosumdbError && (code === undefined || e.code === code);
}
