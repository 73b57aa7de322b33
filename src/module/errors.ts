import { GosumdbError } from '../internal/errors.js';
import { goQuote } from '../internal/quote.js';

/** PathKind names what a path is checked as: a module path, an import path or a file path in a module zip. */
export type PathKind = 'module' | 'import' | 'file';

/**
 * InvalidPathError reports a module, import or file path that breaks the go command's rules, with
 * Go's wording (`malformed module path "x": missing dot in first path element`). Its code is
 * `ERR_MODULE_FILE_PATH_INVALID` for file paths and `ERR_MODULE_PATH_INVALID` otherwise.
 * Mirrors Go's module.InvalidPathError.
 *
 * @example
 * ```ts
 * import { checkPath, InvalidPathError } from 'gosumdb/gosum';
 * try { checkPath('example/x'); } catch (e) {
 *   if (e instanceof InvalidPathError) console.log(e.kind, e.reason); // module missing dot in first path element
 * }
 * ```
 */
export class InvalidPathError extends GosumdbError {
  /** What the path was checked as. */
  readonly kind: PathKind;
  /** The rejected path. */
  readonly path: string;
  /** Why, without the path (Go's inner error text). */
  readonly reason: string;

  constructor(kind: PathKind, path: string, reason: string) {
    super(
      kind === 'file' ? 'ERR_MODULE_FILE_PATH_INVALID' : 'ERR_MODULE_PATH_INVALID',
      `malformed ${kind} path ${goQuote(path)}: ${reason}`,
    );
    this.kind = kind;
    this.path = path;
    this.reason = reason;
  }
}

/**
 * InvalidVersionError reports a version that is not acceptable: not a semantic version, the wrong
 * major version for the module path, or not escapable. Code `ERR_MODULE_VERSION_INVALID`; `path`
 * is set when the version was checked for a module ("rsc.io/quote@v17.0.0: invalid version: should
 * be v0 or v1, not v17"). Mirrors Go's module.InvalidVersionError wrapped in a ModuleError.
 *
 * @example
 * ```ts
 * import { check, InvalidVersionError } from 'gosumdb/gosum';
 * try { check('rsc.io/quote', 'v17.0.0'); } catch (e) {
 *   if (e instanceof InvalidVersionError) console.log(e.version, e.reason); // v17.0.0 should be v0 or v1, not v17
 * }
 * ```
 */
export class InvalidVersionError extends GosumdbError {
  /** The module path the version was checked against, if any. */
  readonly path: string | undefined;
  /** The rejected version. */
  readonly version: string;
  /** Why, without the version (Go's inner error text). */
  readonly reason: string;

  constructor(version: string, reason: string, path?: string, pseudo = false) {
    const noun = pseudo ? 'pseudo-version' : 'version';
    super(
      'ERR_MODULE_VERSION_INVALID',
      path === undefined ? `${noun} ${goQuote(version)} invalid: ${reason}` : `${path}@${version}: invalid ${noun}: ${reason}`,
    );
    this.path = path;
    this.version = version;
    this.reason = reason;
  }
}
