/**
 * Module paths, versions and their escaping, with the go command's rules
 * (golang.org/x/mod/module and golang.org/x/mod/semver). Not a public subpath: `gosumdb/gosum`
 * and `gosumdb/client` re-export what users need.
 *
 * @module
 */
export { InvalidPathError, InvalidVersionError, type PathKind } from './errors.js';
export { checkPath, checkImportPath, checkFilePath, splitPathVersion, type SplitPath } from './path.js';
export { check, checkPathMajor, matchPathMajor, canonicalVersion } from './version.js';
export { escapePath, unescapePath, escapeVersion, unescapeVersion } from './escape.js';
export { matchPrefixPatterns } from './pattern.js';
export { isPseudoVersion, pseudoVersion, pseudoVersionBase, pseudoVersionRev, pseudoVersionTime } from './pseudo.js';
import { build, canonical, compare, isPrerelease, isValid, major, majorMinor, max, prerelease, sort } from './semver.js';

/**
 * semver holds the semantic-version functions of golang.org/x/mod/semver (isValid, canonical,
 * compare, major, majorMinor, prerelease, isPrerelease, build, max, sort), grouped so that their
 * short names do not collide with the rest of the API. Same verdicts as Go's package.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.compare('v1.10.0', 'v1.9.0'), semver.canonical('v2')); // 1 v2.0.0
 * ```
 */
export const semver = { isValid, canonical, compare, major, majorMinor, prerelease, isPrerelease, build, max, sort } as const;
