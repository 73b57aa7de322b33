// Hand-written cases: behaviour pinned from newer x/mod, JavaScript-only inputs (lone surrogates,
// non-strings) and the error classes' fields. Everything else comes from vectors/module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  check,
  checkFilePath,
  checkPath,
  escapePath,
  InvalidPathError,
  InvalidVersionError,
  matchPrefixPatterns,
  semver,
  unescapePath,
} from '../../src/module/index.js';
import { GosumdbError } from '../../src/internal/errors.js';

test('newer-xmod: a trailing slash in a GONOSUMDB/GOPRIVATE pattern is ignored', () => {
  assert.equal(matchPrefixPatterns('rsc.io/private/', 'rsc.io/private/quote'), true);
  assert.equal(matchPrefixPatterns('rsc.io/private/', 'rsc.io/private'), true);
  assert.equal(matchPrefixPatterns('*/quote/', 'rsc.io/quote/v3'), true);
  assert.equal(matchPrefixPatterns('/', 'rsc.io/quote'), false);
  // Only one slash is trimmed: "a//" still has a slash and an empty element.
  assert.equal(matchPrefixPatterns('rsc.io//', 'rsc.io/quote'), false);
});

test('a lone surrogate (no UTF-8 form) is rejected as invalid UTF-8', () => {
  for (const p of ['x.y/\uD800z', 'x.y/z\uDC00']) {
    assert.throws(
      () => checkPath(p),
      (e: unknown) => e instanceof InvalidPathError && e.reason === 'invalid UTF-8',
    );
    assert.throws(
      () => checkFilePath(p),
      (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_MODULE_FILE_PATH_INVALID',
    );
  }
  // A proper surrogate pair is a real code point: a Unicode letter is fine in a file path.
  checkFilePath('x/\u{1D400}');
});

test('InvalidPathError and InvalidVersionError carry what was rejected and why', () => {
  try {
    checkPath('Example.com/x');
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof InvalidPathError);
    assert.equal(e.code, 'ERR_MODULE_PATH_INVALID');
    assert.equal(e.kind, 'module');
    assert.equal(e.path, 'Example.com/x');
    assert.equal(e.reason, "invalid char 'E' in first path element");
  }
  try {
    check('x.y/z/v2', 'v1.0.0');
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof InvalidVersionError);
    assert.equal(e.code, 'ERR_MODULE_VERSION_INVALID');
    assert.equal(e.path, 'x.y/z/v2');
    assert.equal(e.version, 'v1.0.0');
    assert.equal(e.reason, 'should be v2, not v1');
  }
});

test('unescapePath chains the path error as the cause', () => {
  try {
    unescapePath('x.y/!con');
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof GosumdbError);
    assert.equal(e.code, 'ERR_MODULE_PATH_INVALID');
    assert.ok(e.cause instanceof InvalidPathError);
  }
});

test('escaping round-trips every ASCII letter case', () => {
  const path = 'github.com/AbCdEfGhIjKlMnOpQrStUvWxYz/x';
  assert.equal(escapePath(path), 'github.com/!ab!cd!ef!gh!ij!kl!mn!op!qr!st!uv!wx!yz/x');
  assert.equal(unescapePath(escapePath(path)), path);
});

test('semver.sort orders as SemVer 2.0.0 §11, equal versions by their bytes', () => {
  // Order from the SemVer 2.0.0 specification, §11.4 example.
  const spec = [
    'v1.0.0-alpha',
    'v1.0.0-alpha.1',
    'v1.0.0-alpha.beta',
    'v1.0.0-beta',
    'v1.0.0-beta.2',
    'v1.0.0-beta.11',
    'v1.0.0-rc.1',
    'v1.0.0',
  ];
  assert.deepEqual(semver.sort([...spec].reverse()), spec);
  assert.deepEqual(semver.sort(['v1.0.0+b', 'v1.0.0+a', 'bad', 'v1']), ['bad', 'v1', 'v1.0.0+a', 'v1.0.0+b']);
  assert.equal(semver.isPrerelease('v0.0.0-20191109021931-daa7c04131f5'), true);
  assert.equal(semver.isPrerelease('v1.0.0+meta'), false);
});

test('caller mistakes are TypeErrors', () => {
  assert.throws(() => checkPath(1 as unknown as string), TypeError);
  assert.throws(() => check('x.y/z', undefined as unknown as string), TypeError);
  assert.throws(() => matchPrefixPatterns(null as unknown as string, 'x'), TypeError);
  assert.throws(() => semver.isValid(3 as unknown as string), TypeError);
});
