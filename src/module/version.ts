// Version checks that depend on the module path (golang.org/x/mod/module Check, CheckPathMajor,
// CanonicalVersion).

import { InvalidVersionError } from './errors.js';
import { checkPath, splitPathVersion } from './path.js';
import { build, canonical, isValid, major } from './semver.js';

// Returns why version v does not fit the path's major-version suffix, or undefined if it does.
function pathMajorMismatch(v: string, pathMajor: string): string | undefined {
  if (pathMajor.startsWith('.v') && pathMajor.endsWith('-unstable')) pathMajor = pathMajor.slice(0, -'-unstable'.length);
  // gopkg.in/x.v1 modules may still be required at old v0 pseudo-versions (vgo generated those).
  if (v.startsWith('v0.0.0-') && pathMajor === '.v1') return undefined;
  const m = major(v);
  let want = pathMajor;
  if (pathMajor === '') {
    if (m === 'v0' || m === 'v1' || build(v) === '+incompatible') return undefined;
    want = 'v0 or v1';
  } else if (pathMajor.startsWith('/') || pathMajor.startsWith('.')) {
    if (m === pathMajor.slice(1)) return undefined;
    want = pathMajor.slice(1);
  }
  return `should be ${want}, not ${m}`;
}

/**
 * checkPathMajor checks that version v belongs to a module whose path ends in the major-version
 * suffix pathMajor (as returned by {@link splitPathVersion}): no suffix admits v0, v1 and
 * `+incompatible` versions; "/v2" or ".v2" admits v2 only. Same as Go's module.CheckPathMajor.
 *
 * @throws InvalidVersionError (code `ERR_MODULE_VERSION_INVALID`) if v does not match.
 * @example
 * ```ts
 * import { checkPathMajor } from 'gosumdb/gosum';
 * checkPathMajor('v2.0.0+incompatible', ''); // ok
 * try { checkPathMajor('v2.0.0', ''); } catch (e) { console.log((e as Error).message); }
 * // version "v2.0.0" invalid: should be v0 or v1, not v2
 * ```
 */
export function checkPathMajor(v: string, pathMajor: string): void {
  if (typeof v !== 'string' || typeof pathMajor !== 'string') throw new TypeError('version and pathMajor must be strings');
  const why = pathMajorMismatch(v, pathMajor);
  if (why !== undefined) throw new InvalidVersionError(v, why);
}

/**
 * matchPathMajor reports whether version v fits the major-version suffix pathMajor; the boolean
 * form of {@link checkPathMajor}, as Go's module.MatchPathMajor.
 *
 * @example
 * ```ts
 * import { matchPathMajor } from 'gosumdb/gosum';
 * console.log(matchPathMajor('v1.0.0', '.v1-unstable')); // true
 * ```
 */
export function matchPathMajor(v: string, pathMajor: string): boolean {
  if (typeof v !== 'string' || typeof pathMajor !== 'string') throw new TypeError('version and pathMajor must be strings');
  return pathMajorMismatch(v, pathMajor) === undefined;
}

/**
 * check checks that path@version is a valid module version: a valid module path, a valid
 * semantic version, and a major version that fits the path's suffix (`+incompatible` allowed only
 * without one). Same verdicts and messages as Go's module.Check.
 *
 * @throws InvalidPathError (code `ERR_MODULE_PATH_INVALID`) for a bad path;
 *   InvalidVersionError (code `ERR_MODULE_VERSION_INVALID`) for a bad or mismatched version.
 * @example
 * ```ts
 * import { check } from 'gosumdb/gosum';
 * check('rsc.io/quote', 'v17.0.0+incompatible'); // ok
 * try { check('github.com/go-yaml/yaml/v2', 'v3.0.0'); } catch (e) { console.log((e as Error).message); }
 * // github.com/go-yaml/yaml/v2@v3.0.0: invalid version: should be v2, not v3
 * ```
 */
export function check(path: string, version: string): void {
  checkPath(path);
  if (typeof version !== 'string') throw new TypeError('version must be a string');
  if (!isValid(version)) throw new InvalidVersionError(version, 'not a semantic version', path);
  const why = pathMajorMismatch(version, splitPathVersion(path).pathMajor);
  if (why !== undefined) throw new InvalidVersionError(version, why, path);
}

/**
 * canonicalVersion returns the canonical form of a module version: like semver's canonical, but
 * it keeps a `+incompatible` suffix, which is part of a module version's identity.
 * Same as Go's module.CanonicalVersion.
 *
 * @example
 * ```ts
 * import { canonicalVersion } from 'gosumdb/gosum';
 * console.log(canonicalVersion('v2.0.0+incompatible'), canonicalVersion('v1.2.3+meta')); // v2.0.0+incompatible v1.2.3
 * ```
 */
export function canonicalVersion(v: string): string {
  const cv = canonical(v);
  return build(v) === '+incompatible' ? cv + '+incompatible' : cv;
}
