// GOPRIVATE / GONOSUMDB / GONOPROXY pattern matching (golang.org/x/mod/module.MatchPrefixPatterns)
// with Go's path.Match glob syntax. The glob works on UTF-8 bytes, as Go's does: literal bytes
// compare byte by byte, while "?" and "[...]" consume one code point.

import { utf8 } from '../internal/bytes.js';

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const QUESTION = 0x3f;

// A well-formed UTF-8 sequence starting at i (inputs come from JavaScript strings): code point and length.
function decodeRune(b: Uint8Array, i: number): { r: number; n: number } {
  const c = b[i]!;
  if (c < 0x80) return { r: c, n: 1 };
  const n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
  let r = c % (c >= 0xf0 ? 0x08 : c >= 0xe0 ? 0x10 : 0x20);
  for (let k = 1; k < n; k++) r = r * 64 + (b[i + k]! % 64);
  return { r, n };
}

const BAD = Symbol('bad pattern');

// One (possibly escaped) character of a "[...]" class inside p[c..end]; BAD on a syntax error.
function classChar(p: Uint8Array, c: number, end: number): { r: number; next: number } | typeof BAD {
  if (c >= end || p[c] === DASH || p[c] === RBRACKET) return BAD;
  if (p[c] === BACKSLASH && ++c >= end) return BAD;
  const { r, n } = decodeRune(p, c);
  // The class must still be closed after this character.
  if (c + n >= end) return BAD;
  return { r, next: c + n };
}

// Matches the star-free chunk p[start..end] at the start of name[s..]: the index after the
// matched part, undefined on a mismatch, BAD on a syntax error anywhere in the chunk.
function matchChunk(p: Uint8Array, start: number, end: number, name: Uint8Array, s: number): number | undefined | typeof BAD {
  let failed = false;
  let c = start;
  while (c < end) {
    if (s >= name.length) failed = true;
    const pc = p[c]!;
    if (pc === LBRACKET) {
      let r = -1;
      if (!failed) {
        const d = decodeRune(name, s);
        r = d.r;
        s += d.n;
      }
      c++;
      const negated = c < end && p[c] === CARET;
      if (negated) c++;
      let match = false;
      for (let ranges = 0; ; ranges++) {
        if (c < end && p[c] === RBRACKET && ranges > 0) {
          c++;
          break;
        }
        const lo = classChar(p, c, end);
        if (lo === BAD) return BAD;
        const hi = p[lo.next] === DASH ? classChar(p, lo.next + 1, end) : lo;
        if (hi === BAD) return BAD;
        c = hi.next;
        if (lo.r <= r && r <= hi.r) match = true;
      }
      if (match === negated) failed = true;
    } else if (pc === QUESTION) {
      if (!failed) {
        if (name[s] === SLASH) failed = true;
        s += decodeRune(name, s).n;
      }
      c++;
    } else {
      if (pc === BACKSLASH && ++c >= end) return BAD;
      if (!failed) {
        if (p[c] !== name[s]) failed = true;
        s++;
      }
      c++;
    }
  }
  return failed ? undefined : s;
}

// The next chunk of p from i: leading stars skipped, then up to the next star outside a class.
function scanChunk(p: Uint8Array, i: number): { star: boolean; start: number; end: number } {
  let star = false;
  while (i < p.length && p[i] === STAR) {
    star = true;
    i++;
  }
  const start = i;
  let inClass = false;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === LBRACKET) inClass = true;
    else if (c === RBRACKET) inClass = false;
    else if (c === STAR && !inClass) break;
  }
  return { star, start, end: i };
}

// Go's path.Match, with a malformed pattern counting as no match (MatchPrefixPatterns ignores the error).
function globMatch(pattern: Uint8Array, name: Uint8Array): boolean {
  let pi = 0;
  let ni = 0;
  chunks: while (pi < pattern.length) {
    const { star, start, end } = scanChunk(pattern, pi);
    pi = end;
    if (star && start === end) return !name.subarray(ni).includes(SLASH);
    const t = matchChunk(pattern, start, end, name, ni);
    if (t === BAD) return false;
    if (t !== undefined && (t === name.length || pi < pattern.length)) {
      ni = t;
      continue;
    }
    if (star) {
      // A star matches any run of non-slash bytes: retry the chunk further on.
      for (let i = ni; i < name.length && name[i] !== SLASH; i++) {
        const u = matchChunk(pattern, start, end, name, i + 1);
        if (u === BAD) return false;
        if (u === undefined || (pi === pattern.length && u < name.length)) continue;
        ni = u;
        continue chunks;
      }
    }
    return false;
  }
  return ni === name.length;
}

/**
 * matchPrefixPatterns reports whether any of the comma-separated glob patterns in globs matches a
 * prefix of the module path target, as GOPRIVATE, GONOPROXY, GONOSUMDB and GOINSECURE are read:
 * a pattern with N slashes is matched (with Go's path.Match syntax) against the first N+1 path
 * elements of target, so "*.corp.example.com" covers "git.corp.example.com/team/repo". Empty
 * patterns are skipped and a trailing "/" in a pattern is ignored (newer x/mod behaviour).
 * Same verdicts as Go's module.MatchPrefixPatterns.
 *
 * @example
 * ```ts
 * import { matchPrefixPatterns } from 'gosumdb/gosum';
 * console.log(matchPrefixPatterns('*.corp.example.com,rsc.io/private/', 'rsc.io/private/quote')); // true
 * ```
 */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  if (typeof globs !== 'string' || typeof target !== 'string') throw new TypeError('globs and target must be strings');
  const elems = target.split('/');
  for (let glob of globs.split(',')) {
    if (glob.endsWith('/')) glob = glob.slice(0, -1);
    if (glob === '') continue;
    const slashes = glob.split('/').length - 1;
    if (slashes > elems.length - 1) continue;
    if (globMatch(utf8(glob), utf8(elems.slice(0, slashes + 1).join('/')))) return true;
  }
  return false;
}
