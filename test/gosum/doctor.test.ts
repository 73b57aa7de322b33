import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKey } from '../../src/note/index.js';
import { diagnoseGoEnv, resolveGoEnv, type DoctorFinding } from '../../src/gosum/index.js';

const codes = (fs: DoctorFinding[]) => fs.map((f) => `${f.level} ${f.code} ${f.variable}`);
const diagnose = (env: Record<string, string>, goenvFile?: string) =>
  diagnoseGoEnv(resolveGoEnv({ env: { HOME: '/home/g', ...env }, goenvFile }));

test('a default environment has nothing to report', () => {
  assert.deepEqual(diagnose({}), []);
});

test('GOSUMDB=off is an error, and no remedy anywhere suggests it', () => {
  const env = diagnose({ GOSUMDB: 'off' });
  assert.deepEqual(codes(env), ['error gosumdb-off GOSUMDB']);
  assert.match(env[0]!.remedy, /^unset GOSUMDB/);
  const file = diagnose({}, 'GOSUMDB=off\n');
  assert.match(file[0]!.remedy, /^go env -u GOSUMDB/);
  // From $GOROOT/go.env neither unset nor go env -u reaches it: a value in the go env -w file does.
  const goroot = diagnoseGoEnv(resolveGoEnv({ env: { HOME: '/home/g' }, gorootGoEnv: 'GOSUMDB=off\n' }));
  assert.match(goroot[0]!.remedy, /^go env -w GOSUMDB=sum\.golang\.org/);
  assert.match(file[0]!.message, /go env -w file \/home\/g\/\.config\/go\/env/);
  const all = [
    ...env,
    ...file,
    ...diagnose({
      GOSUMDB: 'bad+key',
      GOPROXY: 'x|',
      GOPRIVATE: '*',
      GOINSECURE: '*',
      GOFLAGS: '-insecure -mod=mod -mod=vendor -modcacherw',
      GONOVERIFY: '1',
    }),
  ];
  for (const f of all) assert.doesNotMatch(f.remedy, /GOSUMDB=off|GOSUMDB off/i, f.remedy);
});

test('malformed GOSUMDB and GOPROXY are errors; a custom database is context', () => {
  assert.deepEqual(codes(diagnose({ GOSUMDB: 'sum.example.com+bad' })), ['error gosumdb-malformed GOSUMDB']);
  assert.deepEqual(codes(diagnose({ GOPROXY: 'ftp://proxy.example.com' })), ['error goproxy-malformed GOPROXY']);
  assert.deepEqual(codes(diagnose({ GOPROXY: 'proxy' })), ['error goproxy-malformed GOPROXY']);
  // sum.golang.google.cn serves the same database (same key) from another host.
  assert.deepEqual(codes(diagnose({ GOSUMDB: 'sum.golang.google.cn' })), []);
  const key = generateKey('sum.example.com').vkey;
  assert.deepEqual(codes(diagnose({ GOSUMDB: `${key} http://127.0.0.1:8080` })), [
    'info gosumdb-custom GOSUMDB',
    'info gosumdb-http GOSUMDB',
  ]);
});

test('GOPROXY entries after direct/off are ignored; plain HTTP proxies are flagged', () => {
  assert.deepEqual(codes(diagnose({ GOPROXY: 'direct,https://proxy.golang.org' })), [
    'warning goproxy-ignored-entries GOPROXY',
    'info goproxy-direct GOPROXY',
  ]);
  assert.deepEqual(codes(diagnose({ GOPROXY: 'http://proxy.corp.example.com|off' })), ['warning goproxy-http GOPROXY']);
  assert.deepEqual(codes(diagnose({ GOPROXY: 'off' })), ['info goproxy-off GOPROXY']);
});

test('GONOSUMDB / GOPRIVATE patterns that cover public modules are errors; narrow ones are fine', () => {
  for (const p of ['*', 'github.com', 'github.com/', '*.com', '*.io', 'golang.org', 'gopkg.in', 'corp.example.com,github.com/*']) {
    const f = diagnose({ GOPRIVATE: p });
    assert.deepEqual(codes(f), ['error nosumdb-hides-public GOPRIVATE'], p);
  }
  for (const p of ['github.com/my-org', 'github.com/my-org/*', '*.corp.example.com', 'git.internal', 'corp.example.com/x']) {
    assert.deepEqual(codes(diagnose({ GOPRIVATE: p })), [], p);
  }
  // An explicit GONOSUMDB overrides GOPRIVATE for checksum decisions.
  assert.deepEqual(codes(diagnose({ GOPRIVATE: '*', GONOSUMDB: 'corp.example.com' })), []);
  assert.deepEqual(codes(diagnose({ GOPRIVATE: 'corp.example.com', GONOSUMDB: 'github.com' })), ['error nosumdb-hides-public GONOSUMDB']);
});

test('GOINSECURE is a warning, an error when it covers public modules', () => {
  assert.deepEqual(codes(diagnose({ GOINSECURE: 'git.corp.example.com' })), ['warning goinsecure GOINSECURE']);
  assert.deepEqual(codes(diagnose({ GOINSECURE: 'github.com' })), ['error goinsecure-hides-public GOINSECURE']);
});

test('GOFLAGS that weaken checks, and look-alike variables the go command ignores', () => {
  assert.deepEqual(codes(diagnose({ GOFLAGS: '-insecure --mod=mod -modcacherw -mod=vendor -v' })), [
    'warning goflags-insecure GOFLAGS',
    'info goflags-mod-mod GOFLAGS',
    'info goflags-modcacherw GOFLAGS',
    'info goflags-mod-vendor GOFLAGS',
  ]);
  assert.deepEqual(codes(diagnose({ GONOSUMCHECK: '1', GONOVERIFY: 'true' })), [
    'warning ignored-variable GONOSUMCHECK',
    'warning ignored-variable GONOVERIFY',
  ]);
});

test('errors sort before warnings before info', () => {
  const f = diagnose({ GOFLAGS: '-mod=mod', GONOVERIFY: '1', GOSUMDB: 'off' });
  assert.deepEqual(
    f.map((x) => x.level),
    ['error', 'warning', 'info'],
  );
});

test('an empty module cache location is reported', () => {
  assert.deepEqual(codes(diagnoseGoEnv(resolveGoEnv({ env: {} }))), ['warning gomodcache-unset GOMODCACHE']);
});
