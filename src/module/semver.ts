// Semantic versions as the go command reads them (golang.org/x/mod/semver): a leading "v",
// "vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]", and the shorthands v1 and v1.2 (which may not
// carry a prerelease or build suffix). Everything here works on ASCII, so UTF-16 indexes equal
// Go's byte indexes wherever a valid version is involved.

import { compareUtf8 } from '../internal/bytes.js';

type Parsed = {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** What {@link canonical} appends to a shorthand: ".0.0", ".0" or "". */
  readonly short: string;
  readonly prerelease: string;
  readonly build: string;
};

const num = /^(0|[1-9][0-9]*)/;
const ident = /^[0-9A-Za-z-]+$/;

// Prerelease identifiers: non-empty, [0-9A-Za-z-], numeric ones without leading zeros.
function validPrerelease(s: string): boolean {
  return s.split('.').every((id) => ident.test(id) && !/^0[0-9]+$/.test(id));
}

function validBuild(s: string): boolean {
  return s.split('.').every((id) => ident.test(id));
}

// vMAJOR.MINOR.PATCH without a suffix, the common case, in one match.
const plain = /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

function parse(v: string): Parsed | undefined {
  if (typeof v !== 'string') throw new TypeError('version must be a string');
  const p = plain.exec(v);
  if (p !== null) return { major: p[1]!, minor: p[2]!, patch: p[3]!, short: '', prerelease: '', build: '' };
  if (!v.startsWith('v')) return undefined;
  let rest = v.slice(1);
  const nums: string[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) {
      if (rest === '') break;
      if (!rest.startsWith('.')) return undefined;
      rest = rest.slice(1);
    }
    const m = num.exec(rest);
    // A number followed by more digits had a leading zero ("01").
    if (!m || /^[0-9]/.test(rest.slice(m[0].length))) return undefined;
    nums.push(m[0]);
    rest = rest.slice(m[0].length);
  }
  const [major = '', minor = '0', patch = '0'] = nums;
  const short = nums.length === 1 ? '.0.0' : nums.length === 2 ? '.0' : '';
  if (short !== '') return rest === '' ? { major, minor, patch, short, prerelease: '', build: '' } : undefined;
  let prerelease = '';
  let build = '';
  if (rest.startsWith('-')) {
    const end = rest.indexOf('+');
    prerelease = end < 0 ? rest : rest.slice(0, end);
    if (!validPrerelease(prerelease.slice(1))) return undefined;
    rest = rest.slice(prerelease.length);
  }
  if (rest.startsWith('+')) {
    build = rest;
    if (!validBuild(build.slice(1))) return undefined;
    rest = '';
  }
  return rest === '' ? { major, minor, patch, short, prerelease, build } : undefined;
}

/**
 * isValid reports whether v is a valid semantic version in the go command's syntax
 * (leading "v"; "v1" and "v1.2" are accepted shorthands). Same verdicts as Go's semver.IsValid.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.isValid('v1.2.3-pre+meta'), semver.isValid('1.2.3')); // true false
 * ```
 */
export function isValid(v: string): boolean {
  return parse(v) !== undefined;
}

/**
 * canonical returns the canonical form of v: shorthands completed ("v1" → "v1.0.0") and any build
 * suffix dropped, so that equal versions compare equal as strings; "" if v is invalid.
 * Same as Go's semver.Canonical.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.canonical('v1.2'), semver.canonical('v1.2.3+meta')); // v1.2.0 v1.2.3
 * ```
 */
export function canonical(v: string): string {
  const p = parse(v);
  if (!p) return '';
  if (p.build !== '') return v.slice(0, v.length - p.build.length);
  return v + p.short;
}

/**
 * major returns the major-version prefix of v ("v2" for "v2.1.0"), or "" if v is invalid.
 * Same as Go's semver.Major.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.major('v2.1.0')); // v2
 * ```
 */
export function major(v: string): string {
  const p = parse(v);
  return p ? v.slice(0, 1 + p.major.length) : '';
}

/**
 * majorMinor returns the "vMAJOR.MINOR" prefix of v ("v2.1" for "v2.1.0", "v2.0" for "v2"), or ""
 * if v is invalid. Same as Go's semver.MajorMinor.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.majorMinor('v2.1.0'), semver.majorMinor('v2')); // v2.1 v2.0
 * ```
 */
export function majorMinor(v: string): string {
  const p = parse(v);
  return p ? `v${p.major}.${p.minor}` : '';
}

/**
 * prerelease returns the prerelease suffix of v including its "-" ("-rc.1"), or "" if there is
 * none or v is invalid. Same as Go's semver.Prerelease.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.prerelease('v1.0.0-rc.1+build')); // -rc.1
 * ```
 */
export function prerelease(v: string): string {
  return parse(v)?.prerelease ?? '';
}

/**
 * isPrerelease reports whether v is a valid version with a prerelease suffix; pseudo-versions
 * such as "v0.0.0-20191109021931-daa7c04131f5" are prereleases too.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.isPrerelease('v1.0.0-beta'), semver.isPrerelease('v1.0.0')); // true false
 * ```
 */
export function isPrerelease(v: string): boolean {
  return prerelease(v) !== '';
}

/**
 * build returns the build suffix of v including its "+" ("+incompatible"), or "" if there is none
 * or v is invalid. Same as Go's semver.Build.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.build('v2.0.0+incompatible')); // +incompatible
 * ```
 */
export function build(v: string): string {
  return parse(v)?.build ?? '';
}

// Decimal strings without leading zeros compare by length, then lexically.
function compareNum(x: string, y: string): number {
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x === y ? 0 : x < y ? -1 : 1;
}

// SemVer 2.0.0 §11: no prerelease sorts after any prerelease; identifiers compare numerically
// when both are numeric, numeric before alphanumeric, otherwise in ASCII order; a shorter list of
// equal identifiers sorts first.
function comparePrerelease(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '') return 1;
  if (y === '') return -1;
  const xs = x.slice(1).split('.');
  const ys = y.slice(1).split('.');
  for (let i = 0; i < xs.length && i < ys.length; i++) {
    const a = xs[i]!;
    const b = ys[i]!;
    if (a === b) continue;
    const an = /^[0-9]+$/.test(a);
    const bn = /^[0-9]+$/.test(b);
    if (an !== bn) return an ? -1 : 1;
    if (an) return compareNum(a, b);
    return a < b ? -1 : 1;
  }
  return xs.length < ys.length ? -1 : 1;
}

/**
 * compare returns -1, 0 or +1 as v sorts before, equal to or after w in semantic-version order.
 * Build suffixes are ignored; an invalid version sorts before every valid one and equal to other
 * invalid ones. Same as Go's semver.Compare.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.compare('v1.10.0', 'v1.9.0'), semver.compare('v1.0.0-rc.1', 'v1.0.0')); // 1 -1
 * ```
 */
export function compare(v: string, w: string): number {
  const pv = parse(v);
  const pw = parse(w);
  if (!pv || !pw) return pv ? 1 : pw ? -1 : 0;
  return (
    compareNum(pv.major, pw.major) ||
    compareNum(pv.minor, pw.minor) ||
    compareNum(pv.patch, pw.patch) ||
    comparePrerelease(pv.prerelease, pw.prerelease)
  );
}

/**
 * max returns the larger of v and w in canonical form (see {@link canonical}); an invalid version
 * counts as smaller than any valid one. Same as Go's semver.Max.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.max('v1.2', 'v1.1.9')); // v1.2.0
 * ```
 */
export function max(v: string, w: string): string {
  const cv = canonical(v);
  const cw = canonical(w);
  return compare(cv, cw) > 0 ? cv : cw;
}

/**
 * sort returns a copy of list in increasing semantic-version order, equal versions ordered as
 * strings (invalid ones first). Same order as Go's semver.Sort.
 *
 * @example
 * ```ts
 * import { semver } from 'gosumdb/gosum';
 * console.log(semver.sort(['v1.10.0', 'v1.2.0', 'v1.2.0-rc.1'])); // [ 'v1.2.0-rc.1', 'v1.2.0', 'v1.10.0' ]
 * ```
 */
export function sort(list: readonly string[]): string[] {
  return [...list].sort((a, b) => compare(a, b) || compareUtf8(a, b));
}
