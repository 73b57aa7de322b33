// Runners for vectors/module/*.json (see vectors/README.md, "module").
import {
  canonicalVersion,
  check,
  checkFilePath,
  checkImportPath,
  checkPath,
  checkPathMajor,
  escapePath,
  escapeVersion,
  isPseudoVersion,
  matchPrefixPatterns,
  pseudoVersionBase,
  pseudoVersionRev,
  pseudoVersionTime,
  semver,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from '../module/index.js';
import type { Runners } from './run.js';

const semverOps: Readonly<Record<string, (v: string, w: string) => unknown>> = {
  isValid: (v) => semver.isValid(v),
  canonical: (v) => semver.canonical(v),
  major: (v) => semver.major(v),
  majorMinor: (v) => semver.majorMinor(v),
  prerelease: (v) => semver.prerelease(v),
  build: (v) => semver.build(v),
  canonicalVersion: (v) => canonicalVersion(v),
  compare: (v, w) => semver.compare(v, w),
  max: (v, w) => semver.max(v, w),
};

const pseudoOps: Readonly<Record<string, (v: string) => unknown>> = {
  isPseudoVersion: (v) => isPseudoVersion(v),
  rev: (v) => pseudoVersionRev(v),
  // Go's time.RFC3339 has no fractional seconds.
  time: (v) => pseudoVersionTime(v).toISOString().replace('.000Z', 'Z'),
  base: (v) => pseudoVersionBase(v),
};

const pathCheckers = { module: checkPath, import: checkImportPath, file: checkFilePath } as const;

/** moduleRunners runs the `module/*` vector topics: path checks, escaping, prefix patterns and semver. */
export const moduleRunners: Runners = {
  'module/check-path': (i: { kind: keyof typeof pathCheckers; path: string }) => {
    pathCheckers[i.kind](i.path);
    return null;
  },
  'module/check': (i: { path: string; version: string }) => {
    check(i.path, i.version);
    return null;
  },
  'module/check-path-major': (i: { version: string; pathMajor: string }) => {
    checkPathMajor(i.version, i.pathMajor);
    return null;
  },
  'module/split-path-version': (i: { path: string }) => splitPathVersion(i.path),
  'module/escape-path': (i: { path: string }) => escapePath(i.path),
  'module/unescape-path': (i: { escaped: string }) => unescapePath(i.escaped),
  'module/escape-version': (i: { version: string }) => escapeVersion(i.version),
  'module/unescape-version': (i: { escaped: string }) => unescapeVersion(i.escaped),
  'module/match-prefix-patterns': (i: { globs: string; target: string }) => matchPrefixPatterns(i.globs, i.target),
  'module/pseudo': (i: { op: string; v: string }) => {
    const op = pseudoOps[i.op];
    if (!op) throw new TypeError(`unknown pseudo op ${i.op}`);
    return op(i.v);
  },
  'module/semver': (i: { op: string; v: string; w?: string }) => {
    const op = semverOps[i.op];
    if (!op) throw new TypeError(`unknown semver op ${i.op}`);
    return op(i.v, i.w ?? '');
  },
};
