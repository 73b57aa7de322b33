// resolveGoEnv against the go command's own answers: each scenario builds a fresh HOME (and a
// `go env -w` file), runs `go env -json` with only those variables, and compares every setting.
// Needs `go` on PATH (npm run test:interop checks for it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { goEnvFilePath, goEnvNames, resolveGoEnv } from '../../src/gosum/index.js';

// Every setting resolveGoEnv resolves.
const names = goEnvNames;
const root = mkdtempSync(join(tmpdir(), 'gosumdb-goenv-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const gorootGoEnv = existsSync(join(goroot, 'go.env')) ? readFileSync(join(goroot, 'go.env'), 'utf8') : undefined;

type Scenario = {
  name: string;
  /** Variables besides PATH; "$H" is replaced by the scenario's home directory. */
  env: Record<string, string>;
  /** Contents of the go env -w file and where it goes, relative to the home directory. */
  file?: { at: string; text: string };
};

const fileText = [
  '# comment lines and malformed lines are ignored',
  'GOPRIVATE=*.corp.example.com,rsc.io/private',
  'GOPROXY=https://proxy.corp.example.com|https://proxy.golang.org,direct',
  'lowercase=ignored',
  'NOEQUALS',
  'GOSUMDB=sum.golang.google.cn',
  'GOFLAGS=-mod=mod -modcacherw',
  'GOINSECURE=insecure.example.com',
  '',
].join('\n');

const scenarios: Scenario[] = [
  { name: 'defaults', env: { HOME: '$H' } },
  { name: 'the go env -w file under ~/.config', env: { HOME: '$H' }, file: { at: '.config/go/env', text: fileText } },
  { name: 'XDG_CONFIG_HOME moves the file', env: { HOME: '$H', XDG_CONFIG_HOME: '$H/xdg' }, file: { at: 'xdg/go/env', text: fileText } },
  { name: 'GOENV names the file', env: { HOME: '$H', GOENV: '$H/custom.env' }, file: { at: 'custom.env', text: fileText } },
  { name: 'GOENV=off ignores the file', env: { HOME: '$H', GOENV: 'off' }, file: { at: '.config/go/env', text: fileText } },
  {
    name: 'environment over file, empty means unset',
    env: { HOME: '$H', GOPRIVATE: 'env.example.com', GOSUMDB: '', GOPROXY: 'off', GONOSUMDB: 'nosum.example.com' },
    file: { at: '.config/go/env', text: fileText + 'GONOPROXY=noproxy.example.com\nGOPRIVATE=later.example.com\n' },
  },
  { name: 'GOPATH list and derived GOMODCACHE', env: { HOME: '$H', GOPATH: '/a/b:/c' } },
  { name: 'GOPATH with an empty first entry', env: { HOME: '$H', GOPATH: ':/c' } },
  { name: 'explicit GOMODCACHE', env: { HOME: '$H', GOMODCACHE: '/m/c', GOPATH: '/a' } },
  { name: 'GOPATH from the file', env: { HOME: '$H' }, file: { at: '.config/go/env', text: 'GOPATH=/from/file\n' } },
  // Go reads bytes: a BOM makes the first line's key another key.
  {
    name: 'a BOM before the first key',
    env: { HOME: '$H' },
    file: { at: '.config/go/env', text: '\uFEFFGOSUMDB=off\nGOPRIVATE=p.example.com\n' },
  },
  { name: 'GOENV=/dev/null', env: { HOME: '$H', GOENV: '/dev/null' } },
  { name: 'unclean HOME', env: { HOME: '$H/./x/../' } },
  { name: 'no HOME', env: {} },
  {
    name: 'GOFLAGS and GOINSECURE from the environment',
    env: { HOME: '$H', GOFLAGS: '-insecure -mod=mod', GOINSECURE: '*', GONOSUMCHECK: '1' },
  },
];

for (const s of scenarios) {
  test(`resolveGoEnv matches go env: ${s.name}`, () => {
    const home = mkdtempSync(join(root, 'home-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.env)) env[k] = v.replaceAll('$H', home);
    if (s.file) {
      const p = join(home, s.file.at);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, s.file.text);
    }
    const out = execFileSync('go', ['env', '-json', ...names], {
      encoding: 'utf8',
      cwd: home,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    const want = JSON.parse(out) as Record<string, string>;
    // The file is found where goEnvFilePath says, as gosumdb/node's readGoEnv finds it.
    const fileAt = goEnvFilePath(env, 'linux');
    const goenvFile = fileAt !== undefined && existsSync(fileAt) ? readFileSync(fileAt, 'utf8') : undefined;
    const got = resolveGoEnv({ env, goenvFile, gorootGoEnv, platform: 'linux' });
    const gotValues = Object.fromEntries(names.map((n) => [n, got[n]]));
    assert.deepEqual(gotValues, Object.fromEntries(names.map((n) => [n, want[n] ?? ''])));
  });
}
