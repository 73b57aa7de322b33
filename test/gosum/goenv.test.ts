// Rules from the go command's documentation (`go help environment`, cmd/go/internal/cfg) that the
// interop suite cannot show with Go 1.19: $GOROOT/go.env (Go 1.21+) and other platforms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goEnvFilePath, parseGoEnvFile, resolveGoEnv } from '../../src/gosum/index.js';
import { readGoEnv } from '../../src/node/goenv.js';

test('newer Go: $GOROOT/go.env sits between the go env -w file and the built-in defaults', () => {
  const gorootGoEnv = 'GOPROXY=https://goroot.example.com\nGOSUMDB=goroot.example.com+12345678+AAAA\nGOTOOLCHAIN=auto\n';
  const only = resolveGoEnv({ env: { HOME: '/h' }, gorootGoEnv });
  assert.equal(only.GOPROXY, 'https://goroot.example.com');
  assert.equal(only.sources.GOPROXY, 'goroot-go.env');
  const withFile = resolveGoEnv({ env: { HOME: '/h' }, gorootGoEnv, goenvFile: 'GOPROXY=https://file.example.com\n' });
  assert.equal(withFile.GOPROXY, 'https://file.example.com');
  assert.equal(withFile.sources.GOPROXY, 'goenv-file');
  assert.equal(withFile.GOSUMDB, 'goroot.example.com+12345678+AAAA');
  const withEnv = resolveGoEnv({ env: { HOME: '/h', GOPROXY: 'direct' }, gorootGoEnv, goenvFile: 'GOPROXY=https://file.example.com\n' });
  assert.equal(withEnv.GOPROXY, 'direct');
  assert.equal(withEnv.sources.GOPROXY, 'env');
  // Go 1.21+ (cfg.readEnvFile): a key in the user's file, even empty, hides go.env's; the empty
  // value then counts as unset. A go.env that turns the database off does not decide.
  const off = 'GOSUMDB=off\nGOPROXY=direct\n';
  const hidden = resolveGoEnv({ env: { HOME: '/h' }, gorootGoEnv: off, goenvFile: 'GOSUMDB=\nGOPROXY=\n' });
  assert.deepEqual([hidden.GOSUMDB, hidden.sources.GOSUMDB], ['sum.golang.org', 'default']);
  assert.deepEqual([hidden.GOPROXY, hidden.sources.GOPROXY], ['https://proxy.golang.org,direct', 'default']);
  assert.equal(resolveGoEnv({ env: { HOME: '/h' }, gorootGoEnv: off }).GOSUMDB, 'off');
});

test('built-in defaults and derived values say where they came from', () => {
  const e = resolveGoEnv({ env: { HOME: '/home/g', GOPRIVATE: 'corp.example.com' } });
  assert.equal(e.GOPROXY, 'https://proxy.golang.org,direct');
  assert.equal(e.GOSUMDB, 'sum.golang.org');
  assert.deepEqual(
    [
      e.sources.GOPROXY,
      e.sources.GOSUMDB,
      e.sources.GOPRIVATE,
      e.sources.GONOSUMDB,
      e.sources.GONOPROXY,
      e.sources.GOPATH,
      e.sources.GOMODCACHE,
    ],
    ['default', 'default', 'env', 'derived', 'derived', 'default', 'derived'],
  );
  assert.equal(e.GONOSUMDB, 'corp.example.com');
  assert.equal(e.GOMODCACHE, '/home/g/go/pkg/mod');
  assert.equal(e.GOENV, '/home/g/.config/go/env');
});

test('per-OS locations of the go env -w file and GOPATH', () => {
  assert.equal(goEnvFilePath({ HOME: '/Users/g' }, 'darwin'), '/Users/g/Library/Application Support/go/env');
  assert.equal(goEnvFilePath({ AppData: 'C:\\Users\\g\\AppData\\Roaming' }, 'windows'), 'C:\\Users\\g\\AppData\\Roaming\\go\\env');
  assert.equal(goEnvFilePath({ HOME: '/h', XDG_CONFIG_HOME: '/x/' }, 'freebsd'), '/x/go/env');
  assert.equal(goEnvFilePath({ home: '/usr/g' }, 'plan9'), '/usr/g/lib/go/env');
  assert.equal(goEnvFilePath({}, 'linux'), undefined);
  assert.equal(goEnvFilePath({ GOENV: 'off', HOME: '/h' }), undefined);
  const w = resolveGoEnv({ env: { USERPROFILE: 'C:\\Users\\g', GOPATH: 'D:\\go;E:\\other' }, platform: 'windows' });
  assert.equal(w.GOMODCACHE, 'D:\\go\\pkg\\mod');
  assert.equal(resolveGoEnv({ env: { USERPROFILE: 'C:\\Users\\g' }, platform: 'windows' }).GOPATH, 'C:\\Users\\g\\go');
  // A default GOPATH equal to GOROOT is refused.
  assert.equal(resolveGoEnv({ env: { HOME: '/h', GOROOT: '/h/go/' } }).GOPATH, '');
});

test('the go env -w file format: NAME=value, later lines win, the rest ignored', () => {
  assert.deepEqual(parseGoEnvFile('A=1\n#B=2\n c=3\nD\nA=x=y\nE=\n'), { A: 'x=y', E: '' });
});

test('look-alike variables the go command never reads are collected', () => {
  const e = resolveGoEnv({
    env: { HOME: '/h', GONOSUMCHECK: '1', GONOVERIFY: '1', GOSUMDB: 'off', gosumdb: 'x', PATH: '/bin' },
    goenvFile: 'GOSUMDB_KEY=k\n',
  });
  assert.deepEqual(e.unknown, { GONOSUMCHECK: '1', GONOVERIFY: '1', gosumdb: 'x', GOSUMDB_KEY: 'k' });
});

test('readGoEnv reads the go env -w file and $GOROOT/go.env from disk', async () => {
  const home = mkdtempSync(join(tmpdir(), 'gosumdb-readgoenv-'));
  try {
    mkdirSync(join(home, '.config/go'), { recursive: true });
    writeFileSync(join(home, '.config/go/env'), 'GOPRIVATE=file.example.com\n');
    mkdirSync(join(home, 'goroot'));
    writeFileSync(join(home, 'goroot/go.env'), 'GOPROXY=https://goroot.example.com\n');
    const e = await readGoEnv({ env: { HOME: home }, goroot: join(home, 'goroot'), platform: 'linux' });
    assert.equal(e.GOPRIVATE, 'file.example.com');
    assert.equal(e.GOPROXY, 'https://goroot.example.com');
    // As the go command reads bytes, a BOM keeps the first key from matching (test/interop/goenv.test.ts
    // pins Go's answer), and GOENV=/dev/null reads as empty.
    writeFileSync(join(home, '.config/go/env'), '\uFEFFGOSUMDB=off\nGOPRIVATE=file.example.com\n');
    const bom = await readGoEnv({ env: { HOME: home }, goroot: join(home, 'missing'), platform: 'linux' });
    assert.deepEqual([bom.GOSUMDB, bom.GOPRIVATE], ['sum.golang.org', 'file.example.com']);
    const devnull = await readGoEnv({ env: { HOME: home, GOENV: '/dev/null' }, goroot: join(home, 'missing'), platform: 'linux' });
    assert.deepEqual([devnull.GOSUMDB, devnull.GOPRIVATE], ['sum.golang.org', '']);
    const none = await readGoEnv({ env: { HOME: join(home, 'missing') }, goroot: join(home, 'missing'), platform: 'linux' });
    assert.equal(none.GOPROXY, 'https://proxy.golang.org,direct');
    assert.equal(none.GOPRIVATE, '');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
