// resolveSumDB follows cmd/go/internal/modfetch (dbDial, proxyList) and cfg (envOr defaults).
// The database-name table was produced by running Go 1.19's own check (url.Parse of
// "https://"+name and the go command's comparison) on each name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSumDB } from '../../src/client/index.js';
import { generateKey, SUM_GOLANG_ORG_KEY } from '../../src/note/index.js';

test('defaults: sum.golang.org with its built-in key, via proxy.golang.org then direct', () => {
  assert.deepEqual(resolveSumDB({}), {
    off: false,
    name: 'sum.golang.org',
    key: SUM_GOLANG_ORG_KEY,
    url: undefined,
    direct: 'https://sum.golang.org',
    proxies: [
      { url: 'https://proxy.golang.org', fallBackOnError: false },
      { url: 'direct', fallBackOnError: false },
    ],
    noSumDB: '',
  });
  assert.equal(resolveSumDB({ GOSUMDB: '', GOPROXY: '' }).name, 'sum.golang.org', 'empty means unset');
});

test('GOSUMDB forms: off, alias host, verifier key, key with URL, known name with URL', () => {
  assert.equal(resolveSumDB({ GOSUMDB: 'off' }).off, true);
  const cn = resolveSumDB({ GOSUMDB: 'sum.golang.google.cn' });
  assert.deepEqual([cn.name, cn.key, cn.url], ['sum.golang.org', SUM_GOLANG_ORG_KEY, 'https://sum.golang.google.cn']);
  const { vkey } = generateKey('sum.corp.example/db');
  const own = resolveSumDB({ GOSUMDB: vkey });
  assert.deepEqual([own.name, own.key, own.url, own.direct], ['sum.corp.example/db', vkey, undefined, 'https://sum.corp.example/db']);
  const mirrored = resolveSumDB({ GOSUMDB: `  ${vkey}\thttps://mirror.example/sumdb  ` });
  assert.deepEqual([mirrored.name, mirrored.url], ['sum.corp.example/db', 'https://mirror.example/sumdb']);
  const known = resolveSumDB({ GOSUMDB: 'sum.golang.org file:///srv/sumdb' });
  assert.deepEqual([known.key, known.url], [SUM_GOLANG_ORG_KEY, 'file:///srv/sumdb']);
});

test('malformed GOSUMDB values, with the go command wording', () => {
  const cases: Array<[string, RegExp]> = [
    ['   ', /^missing GOSUMDB$/],
    ['a b c', /^invalid GOSUMDB: too many fields$/],
    ['sum.example.com', /^invalid GOSUMDB: /],
    ['example.com+00000000+AAAA', /^invalid GOSUMDB: /],
    [`${SUM_GOLANG_ORG_KEY} not-a-url`, /^invalid GOSUMDB URL: not-a-url$/],
  ];
  for (const [v, message] of cases) assert.throws(() => resolveSumDB({ GOSUMDB: v }), { code: 'ERR_GOSUMDB_MALFORMED', message }, v);
});

test('database names: only plain host[/path], as Go checks them', () => {
  const accepted = [
    'sum.golang.org',
    'a',
    'host:8080',
    'host/path',
    '[::1]:80',
    '[::1]',
    'h//x',
    'h/./x',
    'HOST',
    'h/a;b',
    'hé',
    'h/a:b',
    'a..b',
    '-h',
    'h_1',
    'h~',
    'h!',
    "h$&'()*,;=",
    'h:',
    'h:1',
    'h:1:2',
    '[x]',
    'h:80/p',
    'h]',
    'a[b',
    '[::1]:',
    'é/x',
  ];
  const rejected = [
    'host/path/',
    'host/',
    '/x',
    'a?b',
    'a#b',
    'u@h',
    'h/%41',
    'h/a%2Fb',
    'h/%zz',
    'h:x',
    'h/é',
    'h\\x',
    'h/a?',
    "h/$&'()*,;=!~:@",
    'h/[x]',
    'h/{x}',
    'h/|',
    'h/"',
    'h/<',
    'h/^',
    'h/`',
    '[::1',
    '[::1]x',
    'h%41',
    'h/\x7f',
    'h\x7f',
    'h/a%41',
  ];
  for (const name of accepted) assert.equal(resolveSumDB({ GOSUMDB: generateKey(name).vkey }).name, name, name);
  for (const name of rejected) {
    assert.throws(
      () => resolveSumDB({ GOSUMDB: generateKey(name).vkey }),
      { code: 'ERR_GOSUMDB_MALFORMED', message: /^invalid sumdb name/ },
      name,
    );
  }
  // Documented difference: Go also accepts a few names whose '%' escapes or '#' vanish when
  // re-encoded ("h/a%20b", "h%2541", "h/#"); no real database name has them, so they are refused.
  for (const name of ['h/a%20b', 'h%2541', 'h/#'])
    assert.throws(() => resolveSumDB({ GOSUMDB: generateKey(name).vkey }), { code: 'ERR_GOSUMDB_MALFORMED' }, name);
});

test('GONOSUMDB defaults to GOPRIVATE', () => {
  assert.equal(resolveSumDB({ GOPRIVATE: '*.corp.example' }).noSumDB, '*.corp.example');
  assert.equal(resolveSumDB({ GOPRIVATE: '*.corp.example', GONOSUMDB: 'other.example' }).noSumDB, 'other.example');
  assert.equal(resolveSumDB({ GOSUMDB: 'off', GOPRIVATE: 'x' }).noSumDB, 'x');
});

test('GOPROXY lists: comma and pipe, keywords end the list, bare hosts get https://', () => {
  assert.deepEqual(resolveSumDB({ GOPROXY: 'https://a.example|https://b.example, direct ,https://ignored.example' }).proxies, [
    { url: 'https://a.example', fallBackOnError: true },
    { url: 'https://b.example', fallBackOnError: false },
    { url: 'direct', fallBackOnError: false },
  ]);
  assert.deepEqual(resolveSumDB({ GOPROXY: 'proxy.example.com/go,off,https://ignored.example' }).proxies, [
    { url: 'https://proxy.example.com/go', fallBackOnError: false },
    { url: 'off', fallBackOnError: false },
  ]);
  assert.deepEqual(resolveSumDB({ GOPROXY: ',,file:///srv/proxy,' }).proxies, [{ url: 'file:///srv/proxy', fallBackOnError: false }]);
});

test('unusable GOPROXY values', () => {
  const cases: Array<[string, RegExp]> = [
    [',', /^GOPROXY list is not the empty string, but contains no entries$/],
    [' | ', /^GOPROXY list is not the empty string, but contains no entries$/],
    ['ftp://proxy.example', /^invalid proxy URL scheme \(must be https, http, file\): /],
    ['/srv/proxy', /^invalid proxy URL missing scheme: /],
    ['file:///srv/proxy?x=1', /^invalid file:\/\/ proxy URL with non-path elements: /],
  ];
  for (const [v, message] of cases) assert.throws(() => resolveSumDB({ GOPROXY: v }), { code: 'ERR_GOPROXY_MALFORMED', message }, v);
});

test('caller mistakes are TypeErrors', () => {
  assert.throws(() => resolveSumDB(null as never), TypeError);
  assert.throws(() => resolveSumDB({ GOSUMDB: 1 as never }), TypeError);
});
