// Case-encoding of module paths and versions for proxy URLs and cache directories
// (golang.org/x/mod/module EscapePath & co.): each upper-case letter becomes "!" plus its lower
// case, so that paths differing only in case stay distinct on case-insensitive file systems.

import { GosumdbError } from '../internal/errors.js';
import { InvalidVersionError } from './errors.js';
import { checkElem, checkPath } from './path.js';
import { goQuote } from '../internal/quote.js';

function escapeString(s: string): string | undefined {
  // Only reachable for versions: checkElem admits Unicode letters in file-path elements.
  if (/[!\u0080-\uffff]/.test(s)) return undefined;
  return s.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

function unescapeString(escaped: string): string | undefined {
  if (!/^(?:[\x00-\x20\x22-\x40\x5b-\x7f]|![a-z])*$/.test(escaped)) return undefined;
  return escaped.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
}

const inconsistency = 'internal error: inconsistency in EscapePath';

/**
 * escapePath returns the case-encoded form of a module path used in proxy and checksum-database
 * URLs and in the module cache ("github.com/!azure/x" for "github.com/Azure/x").
 * Same as Go's module.EscapePath.
 *
 * @throws InvalidPathError (code `ERR_MODULE_PATH_INVALID`) if path is not a valid module path.
 * @example
 * ```ts
 * import { escapePath } from 'gosumdb/gosum';
 * console.log(escapePath('github.com/GoogleCloudPlatform/omega')); // github.com/!google!cloud!platform/omega
 * ```
 */
export function escapePath(path: string): string {
  checkPath(path);
  // A valid module path is ASCII without "!", so escaping cannot fail here.
  return escapeString(path)!;
}

/**
 * escapeVersion returns the case-encoded form of a version ("v1.0.0-!r!c1" for "v1.0.0-RC1").
 * The version need not be semantic but must be a valid file-path element without "!".
 * Same as Go's module.EscapeVersion.
 *
 * @throws InvalidVersionError or GosumdbError (code `ERR_MODULE_VERSION_INVALID`) if v cannot be escaped.
 * @example
 * ```ts
 * import { escapeVersion } from 'gosumdb/gosum';
 * console.log(escapeVersion('v1.0.0-RC1')); // v1.0.0-!r!c1
 * ```
 */
export function escapeVersion(v: string): string {
  if (typeof v !== 'string') throw new TypeError('version must be a string');
  if (checkElem(v, 'file') !== undefined || v.includes('!')) {
    throw new InvalidVersionError(v, 'disallowed version string');
  }
  const e = escapeString(v);
  if (e === undefined) throw new GosumdbError('ERR_MODULE_VERSION_INVALID', inconsistency);
  return e;
}

/**
 * unescapePath decodes a case-encoded module path (the inverse of {@link escapePath}) and checks
 * the result. Same as Go's module.UnescapePath.
 *
 * @throws GosumdbError (code `ERR_MODULE_PATH_INVALID`) for a bad encoding or an invalid path.
 * @example
 * ```ts
 * import { unescapePath } from 'gosumdb/gosum';
 * console.log(unescapePath('github.com/!azure/azure-sdk-for-go')); // github.com/Azure/azure-sdk-for-go
 * ```
 */
export function unescapePath(escaped: string): string {
  if (typeof escaped !== 'string') throw new TypeError('escaped path must be a string');
  const path = unescapeString(escaped);
  if (path === undefined) throw new GosumdbError('ERR_MODULE_PATH_INVALID', `invalid escaped module path ${goQuote(escaped)}`);
  try {
    checkPath(path);
  } catch (e) {
    throw new GosumdbError('ERR_MODULE_PATH_INVALID', `invalid escaped module path ${goQuote(escaped)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return path;
}

/**
 * unescapeVersion decodes a case-encoded version (the inverse of {@link escapeVersion}) and checks
 * that the result is a valid file-path element. Same as Go's module.UnescapeVersion.
 *
 * @throws GosumdbError (code `ERR_MODULE_VERSION_INVALID`) for a bad encoding or element.
 * @example
 * ```ts
 * import { unescapeVersion } from 'gosumdb/gosum';
 * console.log(unescapeVersion('v1.0.0-!r!c1')); // v1.0.0-RC1
 * ```
 */
export function unescapeVersion(escaped: string): string {
  if (typeof escaped !== 'string') throw new TypeError('escaped version must be a string');
  const v = unescapeString(escaped);
  if (v === undefined) throw new GosumdbError('ERR_MODULE_VERSION_INVALID', `invalid escaped version ${goQuote(escaped)}`);
  const why = checkElem(v, 'file');
  if (why !== undefined) throw new GosumdbError('ERR_MODULE_VERSION_INVALID', `invalid escaped version ${goQuote(v)}: ${why}`);
  return v;
}
