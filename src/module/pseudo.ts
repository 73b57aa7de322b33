// Pseudo-versions (golang.org/x/mod/module pseudo.go): versions the go command makes up for a
// commit without a tag, "vX.Y.Z-[pre.]0.yyyymmddhhmmss-abcdef123456" in three forms.

import { InvalidVersionError } from './errors.js';
import { goQuote } from '../internal/quote.js';
import { build, canonical, isValid, prerelease } from './semver.js';

// The three forms: vX.0.0-<ts>-<rev>, vX.Y.(Z+1)-0.<ts>-<rev>, vX.Y.Z-<pre>.0.<ts>-<rev>; optional +build.
const pseudoRE = /^v[0-9]+\.(0\.0-|[0-9]+\.[0-9]+-([^+]*\.)?0\.)[0-9]{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/**
 * isPseudoVersion reports whether v is a pseudo-version such as
 * "v0.0.0-20191109021931-daa7c04131f5": the go command's name for an untagged commit.
 * Same as Go's module.IsPseudoVersion.
 *
 * @example
 * ```ts
 * import { isPseudoVersion } from 'gosumdb/gosum';
 * console.log(isPseudoVersion('v1.2.4-0.20191109021931-daa7c04131f5'), isPseudoVersion('v1.2.3')); // true false
 * ```
 */
export function isPseudoVersion(v: string): boolean {
  if (typeof v !== 'string') throw new TypeError('version must be a string');
  return (v.match(/-/g) ?? []).length >= 2 && isValid(v) && pseudoRE.test(v);
}

type Parts = { base: string; timestamp: string; rev: string; build: string };

function parsePseudo(v: string): Parts {
  if (!isPseudoVersion(v)) throw new InvalidVersionError(v, 'syntax error', undefined, true);
  const b = build(v);
  const s = v.slice(0, v.length - b.length);
  const j = s.lastIndexOf('-');
  const rest = s.slice(0, j);
  const i = rest.lastIndexOf('-');
  const dot = rest.lastIndexOf('.');
  return dot > i
    ? { base: rest.slice(0, dot), timestamp: rest.slice(dot + 1), rev: s.slice(j + 1), build: b }
    : { base: rest.slice(0, i), timestamp: rest.slice(i + 1), rev: s.slice(j + 1), build: b };
}

/**
 * pseudoVersionRev returns the revision identifier of a pseudo-version (the commit hash prefix).
 * Same as Go's module.PseudoVersionRev.
 *
 * @throws InvalidVersionError (code `ERR_MODULE_VERSION_INVALID`) if v is not a pseudo-version.
 * @example
 * ```ts
 * import { pseudoVersionRev } from 'gosumdb/gosum';
 * console.log(pseudoVersionRev('v0.0.0-20191109021931-daa7c04131f5')); // daa7c04131f5
 * ```
 */
export function pseudoVersionRev(v: string): string {
  return parsePseudo(v).rev;
}

const daysIn = (y: number, m: number) =>
  new Date(Date.UTC(2000, m, 0)).getUTCDate() - (m === 2 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0);

/**
 * pseudoVersionTime returns the commit time (UTC) encoded in a pseudo-version.
 * Same as Go's module.PseudoVersionTime.
 *
 * @throws InvalidVersionError (code `ERR_MODULE_VERSION_INVALID`) if v is not a pseudo-version or
 *   its timestamp is not a real time ("malformed time").
 * @example
 * ```ts
 * import { pseudoVersionTime } from 'gosumdb/gosum';
 * console.log(pseudoVersionTime('v0.0.0-20191109021931-daa7c04131f5').toISOString()); // 2019-11-09T02:19:31.000Z
 * ```
 */
export function pseudoVersionTime(v: string): Date {
  const { timestamp } = parsePseudo(v);
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((k, i) => Number(timestamp.slice(k, i === 0 ? 4 : k + 2))) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw new InvalidVersionError(v, `malformed time ${goQuote(timestamp)}`, undefined, true);
  }
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  t.setUTCFullYear(y);
  return t;
}

function decDecimal(decimal: string): string {
  const n = BigInt(decimal);
  return n === 0n ? '' : (n - 1n).toString();
}

/**
 * pseudoVersionBase returns the tagged version a pseudo-version builds on ("v1.2.3" for
 * "v1.2.4-0.2019...-abc"), or "" for the form with no base ("v0.0.0-2019...-abc").
 * Same as Go's module.PseudoVersionBase.
 *
 * @throws InvalidVersionError (code `ERR_MODULE_VERSION_INVALID`) if v is not a valid pseudo-version.
 * @example
 * ```ts
 * import { pseudoVersionBase } from 'gosumdb/gosum';
 * console.log(pseudoVersionBase('v1.2.4-0.20191109021931-daa7c04131f5')); // v1.2.3
 * ```
 */
export function pseudoVersionBase(v: string): string {
  const { base, build: b } = parsePseudo(v);
  const pre = prerelease(base);
  if (pre === '') {
    if (b !== '') throw new InvalidVersionError(v, `lacks base version, but has build metadata ${goQuote(b)}`, undefined, true);
    return '';
  }
  if (pre === '-0') {
    const core = base.slice(0, -2);
    const dot = core.lastIndexOf('.');
    const patch = decDecimal(core.slice(dot + 1));
    if (patch === '') throw new InvalidVersionError(v, `version before ${core} would have negative patch number`, undefined, true);
    return core.slice(0, dot + 1) + patch + b;
  }
  return base.slice(0, -'.0'.length) + b;
}

function incDecimal(decimal: string): string {
  return (BigInt(decimal) + 1n).toString();
}

/**
 * pseudoVersion returns the pseudo-version of a commit, as Go's module.PseudoVersion: `major`
 * (`v0` when empty) with `.0.0-` and the commit time and revision when there is no earlier
 * tagged version; `older` with `.0.` for a prerelease; else `older` with the patch incremented
 * and `-0.`. The time is written in UTC as yyyymmddhhmmss; `rev` is the short (12-hex) hash.
 *
 * @example
 * ```ts
 * import { pseudoVersion } from 'gosumdb/gosum';
 * const t = new Date(Date.UTC(2019, 10, 9, 2, 19, 31));
 * console.log(pseudoVersion('', 'v1.2.3', t, 'daa7c04131f5')); // v1.2.4-0.20191109021931-daa7c04131f5
 * ```
 */
export function pseudoVersion(major: string, older: string, t: Date, rev: string): string {
  if (typeof major !== 'string' || typeof older !== 'string' || typeof rev !== 'string')
    throw new TypeError('major, older and rev must be strings');
  if (!(t instanceof Date) || Number.isNaN(t.getTime())) throw new TypeError('t must be a valid Date');
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const rest = [t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  const stamp = pad(t.getUTCFullYear(), 4) + rest.map((n) => pad(n)).join('');
  const segment = `${stamp}-${rev}`;
  const b = build(older);
  const canon = canonical(older);
  if (canon === '') return `${major === '' ? 'v0' : major}.0.0-${segment}`;
  if (prerelease(canon) !== '') return `${canon}.0.${segment}${b}`;
  const i = canon.lastIndexOf('.') + 1;
  return `${canon.slice(0, i)}${incDecimal(canon.slice(i))}-0.${segment}${b}`;
}
