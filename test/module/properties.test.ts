// Properties over random inputs: the checkers throw only their typed errors, escaping round-trips,
// pattern matching never throws, and semver's order is a total preorder consistent with canonical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFilePath,
  checkImportPath,
  checkPath,
  escapePath,
  escapeVersion,
  InvalidPathError,
  matchPrefixPatterns,
  semver,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from '../../src/module/index.js';
import { GosumdbError } from '../../src/internal/errors.js';
import { rng } from '../helpers/rng.js';

const pieces = [
  'a',
  'B',
  '0',
  '.',
  '/',
  '-',
  '_',
  '~',
  '~1',
  '+',
  '!',
  ' ',
  'é',
  '\uD800',
  '😀',
  'con',
  'v2',
  '/v1',
  'gopkg.in/',
  '.v3',
  '*',
  '?',
  '[',
  ']',
  '\\',
  ',',
  ':',
];
function randomString(r: () => number, max: number): string {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += pieces[Math.floor(r() * pieces.length)]!;
  return s;
}

test('path checks throw only InvalidPathError, and splitPathVersion always reassembles', () => {
  const r = rng(1);
  for (let i = 0; i < 5000; i++) {
    const p = randomString(r, 12);
    for (const f of [checkPath, checkImportPath, checkFilePath]) {
      try {
        f(p);
      } catch (e) {
        assert.ok(e instanceof InvalidPathError, `${f.name}(${JSON.stringify(p)}): ${String(e)}`);
      }
    }
    const s = splitPathVersion(p);
    assert.equal(s.prefix + s.pathMajor, p);
  }
});

test('every valid module path escapes to lower case and back; every escaped version unescapes back', () => {
  const r = rng(2);
  let valid = 0;
  for (let i = 0; i < 20000; i++) {
    const p = 'x.y/' + randomString(r, 6);
    let ok = true;
    try {
      checkPath(p);
    } catch {
      ok = false;
    }
    if (!ok) {
      assert.throws(() => escapePath(p), GosumdbError);
      continue;
    }
    valid++;
    const e = escapePath(p);
    assert.doesNotMatch(e, /[A-Z]/);
    assert.equal(unescapePath(e), p);
    try {
      const ev = escapeVersion(p.slice(4).replaceAll('/', ''));
      assert.equal(unescapeVersion(ev), p.slice(4).replaceAll('/', ''));
    } catch (err) {
      assert.ok(err instanceof GosumdbError);
    }
  }
  assert.ok(valid > 500, `only ${valid} valid paths generated`);
});

test('matchPrefixPatterns never throws and ignores empty patterns', () => {
  const r = rng(3);
  for (let i = 0; i < 5000; i++) {
    const globs = randomString(r, 8);
    const target = randomString(r, 8);
    const m = matchPrefixPatterns(globs, target);
    assert.equal(typeof m, 'boolean');
    assert.equal(matchPrefixPatterns(`,${globs},,`, target), m);
  }
});

test('semver order: antisymmetric, transitive on samples, canonical forms compare equal', () => {
  const r = rng(4);
  const vpieces = ['v', '1', '0', '2', '10', '.', '.', '-', '+', 'a', 'rc', '01'];
  const gen = () => {
    let s = 'v';
    const n = 1 + Math.floor(r() * 8);
    for (let i = 0; i < n; i++) s += vpieces[Math.floor(r() * vpieces.length)]!;
    return s;
  };
  const vs = Array.from({ length: 400 }, gen);
  for (const v of vs) {
    if (semver.isValid(v)) {
      assert.equal(semver.compare(v, semver.canonical(v)), 0, v);
      assert.ok(semver.isValid(semver.canonical(v)), v);
    } else {
      assert.equal(semver.canonical(v), '');
    }
    for (const w of vs.slice(0, 40)) assert.equal(semver.compare(v, w), -semver.compare(w, v) || 0, `${v} ${w}`);
  }
  const sorted = semver.sort(vs);
  for (let i = 1; i < sorted.length; i++) assert.ok(semver.compare(sorted[i - 1]!, sorted[i]!) <= 0);
});
