// Module, import and file path rules of the go command (golang.org/x/mod/module CheckPath,
// CheckImportPath, CheckFilePath, SplitPathVersion).

import { InvalidPathError, type PathKind } from './errors.js';
import { goQuote, goQuoteRune } from '../internal/quote.js';

// Characters allowed in module path elements (ASCII only; Unicode is not yet allowed in module mode).
const modChar = /^[-._~0-9A-Za-z]$/;
const modChars = /^[-._~0-9A-Za-z]+$/;
// The first element of a module path is a host name: lower case only, and no '_' or '~'.
const firstElemChar = /^[-.0-9a-z]$/;
// File names in module zips may also use these ASCII punctuation characters, and Unicode letters.
const fileChar = /^[-!#$%&()+,.=@[\]^_{}~ 0-9A-Za-z]$|^\p{L}$/u;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const windowsReserved = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  'COM1',
  'COM2',
  'COM3',
  'COM4',
  'COM5',
  'COM6',
  'COM7',
  'COM8',
  'COM9',
  'LPT1',
  'LPT2',
  'LPT3',
  'LPT4',
  'LPT5',
  'LPT6',
  'LPT7',
  'LPT8',
  'LPT9',
]);

function charOK(ch: string, kind: PathKind): boolean {
  if (kind === 'file') return fileChar.test(ch);
  return modChar.test(ch) || (kind === 'import' && ch === '+');
}

// ASCII-only upper casing: Go compares the reserved names with strings.EqualFold, and no
// non-ASCII character folds to one of their letters.
function asciiUpper(s: string): string {
  return s.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 32));
}

/**
 * checkElem returns why one path element (or an escaped version) is not acceptable as `kind`,
 * or undefined if it is.
 */
export function checkElem(elem: string, kind: PathKind): string | undefined {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element ${goQuote(elem)}`;
  if (elem.startsWith('.') && kind === 'module') return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  // Most elements are plain ASCII module characters: one test instead of one per character.
  if (!(kind !== 'file' && modChars.test(elem))) {
    for (const ch of elem) {
      if (!charOK(ch, kind)) return `invalid char ${goQuoteRune(ch)}`;
    }
  }
  const dot = elem.indexOf('.');
  const short = dot < 0 ? elem : elem.slice(0, dot);
  // Every reserved name has 3 or 4 letters.
  if ((short.length === 3 || short.length === 4) && windowsReserved.has(asciiUpper(short))) {
    return `${goQuote(short)} disallowed as path element component on Windows`;
  }
  // "~" plus digits at the end is a Windows 8.3 short name ("PROGRA~1") and could alias another path.
  if (kind !== 'file' && /~[0-9]+$/.test(short)) return 'trailing tilde and digits in path element';
  return undefined;
}

function checkAnyPath(path: string, kind: PathKind): string | undefined {
  if (loneSurrogate.test(path)) return 'invalid UTF-8';
  if (path === '') return 'empty string';
  if (path.startsWith('-') && kind !== 'file') return 'leading dash';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  for (const elem of path.split('/')) {
    const why = checkElem(elem, kind);
    if (why !== undefined) return why;
  }
  return undefined;
}

function requireString(path: unknown): asserts path is string {
  if (typeof path !== 'string') throw new TypeError('path must be a string');
}

/**
 * checkPath checks that path is a valid module path: ASCII letters, digits and `-._~` in
 * slash-separated elements, a first element that looks like a lower-case host name with a dot,
 * no Windows-reserved names, no element ending in "~" and digits, and a well-formed major-version
 * suffix. Same verdicts and messages as Go's module.CheckPath.
 *
 * @throws InvalidPathError (code `ERR_MODULE_PATH_INVALID`) if the path is not valid.
 * @example
 * ```ts
 * import { checkPath } from 'gosumdb/gosum';
 * checkPath('github.com/Azure/azure-sdk-for-go'); // ok
 * try { checkPath('github.com/x/y/v1'); } catch (e) { console.log((e as Error).message); }
 * // malformed module path "github.com/x/y/v1": invalid version
 * ```
 */
export function checkPath(path: string): void {
  requireString(path);
  const why = checkAnyPath(path, 'module') ?? checkFirstElem(path);
  if (why !== undefined) throw new InvalidPathError('module', path, why);
}

function checkFirstElem(path: string): string | undefined {
  const slash = path.indexOf('/');
  const first = slash < 0 ? path : path.slice(0, slash);
  if (!first.includes('.')) return 'missing dot in first path element';
  for (const ch of first) {
    if (!firstElemChar.test(ch)) return `invalid char ${goQuoteRune(ch)} in first path element`;
  }
  if (!splitPathVersion(path).ok) return 'invalid version';
  return undefined;
}

/**
 * checkImportPath checks that path is a valid package import path: the element rules of
 * {@link checkPath} plus `+`, and no host-name requirement on the first element.
 * Same verdicts and messages as Go's module.CheckImportPath.
 *
 * @throws InvalidPathError (code `ERR_MODULE_PATH_INVALID`) if the path is not valid.
 * @example
 * ```ts
 * import { checkImportPath } from 'gosumdb/gosum';
 * checkImportPath('fmt'); // ok: import paths need no dot
 * ```
 */
export function checkImportPath(path: string): void {
  requireString(path);
  const why = checkAnyPath(path, 'import');
  if (why !== undefined) throw new InvalidPathError('import', path, why);
}

/**
 * checkFilePath checks that path may name a file inside a module zip: slash-separated elements of
 * Unicode letters, ASCII letters and digits and `!#$%&()+,-.=@[]^_{}~` and space, no `.` or `..`
 * elements, no trailing dots, no Windows-reserved names. Same verdicts and messages as Go's
 * module.CheckFilePath.
 *
 * @throws InvalidPathError (code `ERR_MODULE_FILE_PATH_INVALID`) if the path is not valid.
 * @example
 * ```ts
 * import { checkFilePath } from 'gosumdb/gosum';
 * checkFilePath('internal/données/a b.go'); // ok
 * try { checkFilePath('../x'); } catch (e) { console.log((e as Error).message); }
 * // malformed file path "../x": invalid path element ".."
 * ```
 */
export function checkFilePath(path: string): void {
  requireString(path);
  const why = checkAnyPath(path, 'file');
  if (why !== undefined) throw new InvalidPathError('file', path, why);
}

/** SplitPath is the result of {@link splitPathVersion}. */
export type SplitPath = {
  /** The path without its major-version suffix. */
  readonly prefix: string;
  /** The suffix: "/v2" style, ".v2" or ".v1-unstable" for gopkg.in, or "". */
  readonly pathMajor: string;
  /** False if the path ends in something that looks like a major-version suffix but is not one (such as "/v1"). */
  readonly ok: boolean;
};

/**
 * splitPathVersion splits a module path into its prefix and major-version suffix ("/v2", or
 * ".v2" for gopkg.in paths), so that prefix + pathMajor === path. `ok` is false for malformed
 * suffixes such as "/v1", "/v0", "/v02" or "/v2.0". Same as Go's module.SplitPathVersion.
 *
 * @example
 * ```ts
 * import { splitPathVersion } from 'gosumdb/gosum';
 * console.log(splitPathVersion('gopkg.in/yaml.v3')); // { prefix: 'gopkg.in/yaml', pathMajor: '.v3', ok: true }
 * ```
 */
export function splitPathVersion(path: string): SplitPath {
  requireString(path);
  if (path.startsWith('gopkg.in/')) return splitGopkgIn(path);
  // The suffix is "/v" followed by the run of digits and dots that ends the path.
  const m = /\/v([0-9.]+)$/.exec(path);
  if (!m) return { prefix: path, pathMajor: '', ok: true };
  const digits = m[1]!;
  if (digits.includes('.') || digits.startsWith('0') || digits === '1') return { prefix: path, pathMajor: '', ok: false };
  return { prefix: path.slice(0, m.index), pathMajor: path.slice(m.index), ok: true };
}

// gopkg.in paths carry their major version as ".vN", optionally "-unstable"; ".v0" is allowed there.
function splitGopkgIn(path: string): SplitPath {
  const m = /\.v[0-9]*(-unstable)?$/.exec(path);
  const pathMajor = m ? path.slice(m.index) : '';
  if (!m || pathMajor.length <= 2 || (pathMajor[2] === '0' && pathMajor !== '.v0')) {
    return { prefix: path, pathMajor: '', ok: false };
  }
  return { prefix: path.slice(0, m.index), pathMajor, ok: true };
}
