// The go command's configuration lookup (cmd/go/internal/cfg): each setting comes from the process
// environment, else the `go env -w` file, else $GOROOT/go.env (Go 1.21+), else a built-in default.
// Pure: file contents are passed in; gosumdb/node reads the files.

/** GoEnvPlatform is the operating system whose conventions decide default file locations. */
export type GoEnvPlatform =
  | 'linux'
  | 'darwin'
  | 'windows'
  | 'freebsd'
  | 'openbsd'
  | 'netbsd'
  | 'plan9'
  | 'aix'
  | 'sunos'
  | 'android'
  | 'ios';

/**
 * goEnvNames lists the settings that {@link resolveGoEnv} resolves, in the order `gosumdb doctor`
 * shows them.
 *
 * @example
 * ```ts
 * import { goEnvNames } from 'gosumdb/gosum';
 * console.log(goEnvNames.includes('GONOSUMDB')); // true
 * ```
 */
export const goEnvNames = [
  'GOSUMDB',
  'GOPROXY',
  'GONOSUMDB',
  'GOPRIVATE',
  'GONOPROXY',
  'GOINSECURE',
  'GOFLAGS',
  'GOPATH',
  'GOMODCACHE',
  'GOENV',
] as const;

/** GoEnvName is a setting that {@link resolveGoEnv} resolves: one of {@link goEnvNames}. */
export type GoEnvName = (typeof goEnvNames)[number];

/**
 * GoEnvSource says where a resolved value came from: the process environment, the `go env -w`
 * file, $GOROOT/go.env, the go command's built-in default, or another setting (GONOSUMDB and
 * GONOPROXY from GOPRIVATE, GOMODCACHE from GOPATH).
 */
export type GoEnvSource = 'env' | 'goenv-file' | 'goroot-go.env' | 'default' | 'derived';

/** ResolvedGoEnv holds the effective settings, as `go env` prints them, and where each came from. */
export type ResolvedGoEnv = Readonly<Record<GoEnvName, string>> & {
  readonly sources: Readonly<Record<GoEnvName, GoEnvSource>>;
  /**
   * Variables in the environment or the `go env -w` file that look related to checksum
   * verification but that the go command never reads (GONOSUMCHECK, GONOVERIFY, GOSUMDB_KEY...).
   */
  readonly unknown: Readonly<Record<string, string>>;
};

/** GoEnvInput is what {@link resolveGoEnv} reads. */
export type GoEnvInput = {
  /** The process environment (process.env in Node). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Contents of the `go env -w` file ({@link goEnvFilePath}), if it exists. */
  readonly goenvFile?: string | undefined;
  /** Contents of $GOROOT/go.env (Go 1.21 and later), if it exists. */
  readonly gorootGoEnv?: string | undefined;
  /** Defaults to 'linux'. Decides path syntax and the default GOENV and GOPATH locations. */
  readonly platform?: GoEnvPlatform | undefined;
};

const builtIn: Readonly<Partial<Record<GoEnvName, string>>> = {
  GOPROXY: 'https://proxy.golang.org,direct',
  GOSUMDB: 'sum.golang.org',
};

// Settings whose names suggest checksum control but which no go command reads.
const lookalike = /^GO(NO)?(SUM|VERIFY|CHECK|INSECURE|PRIVATE|PROXY)/i;
const known = new Set<string>(goEnvNames);

/**
 * parseGoEnvFile reads a `go env -w` file (or $GOROOT/go.env) as the go command does: one
 * `NAME=value` per line, no quoting; lines without "=" or not starting with an upper-case ASCII
 * letter (comments, blanks) are ignored; a later line wins.
 *
 * @example
 * ```ts
 * import { parseGoEnvFile } from 'gosumdb/gosum';
 * console.log(parseGoEnvFile('# set by go env -w\nGOPRIVATE=corp.example.com\n')); // { GOPRIVATE: 'corp.example.com' }
 * ```
 */
export function parseGoEnvFile(text: string): Record<string, string> {
  if (typeof text !== 'string') throw new TypeError('go env file text must be a string');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0 || !/^[A-Z]/.test(line)) continue;
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function isWindows(p: GoEnvPlatform): boolean {
  return p === 'windows';
}

// filepath.Join for the platform: join with the separator and clean the result.
function joinPath(platform: GoEnvPlatform, ...parts: string[]): string {
  const sep = isWindows(platform) ? '\\' : '/';
  const joined = parts.filter((p) => p !== '').join(sep);
  return cleanPath(joined, platform);
}

// filepath.Clean: collapse separators, drop "." elements, resolve ".." where possible.
function cleanPath(p: string, platform: GoEnvPlatform): string {
  if (p === '') return '.';
  const win = isWindows(platform);
  if (win) p = p.replaceAll('/', '\\');
  const sep = win ? '\\' : '/';
  const volume = win ? (/^[A-Za-z]:/.exec(p)?.[0] ?? '') : '';
  const rest = p.slice(volume.length);
  const rooted = rest.startsWith(sep);
  const out: string[] = [];
  for (const e of rest.split(sep)) {
    if (e === '' || e === '.') continue;
    if (e === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(e);
  }
  const body = (rooted ? sep : '') + out.join(sep);
  return volume + (body === '' ? '.' : body);
}

/**
 * goEnvFilePath returns where the go command keeps its `go env -w` settings: $GOENV if set
 * (undefined for GOENV=off), else the user configuration directory plus "go/env" —
 * $XDG_CONFIG_HOME or ~/.config on Linux and other Unixes, ~/Library/Application Support on
 * macOS, %AppData% on Windows, $home/lib on Plan 9. Undefined when that directory is unknown.
 *
 * @example
 * ```ts
 * import { goEnvFilePath } from 'gosumdb/gosum';
 * console.log(goEnvFilePath({ HOME: '/home/gopher' }, 'linux')); // /home/gopher/.config/go/env
 * console.log(goEnvFilePath({ AppData: 'C:\\Users\\g\\AppData\\Roaming' }, 'windows')); // C:\Users\g\AppData\Roaming\go\env
 * ```
 */
export function goEnvFilePath(env: Readonly<Record<string, string | undefined>>, platform: GoEnvPlatform = 'linux'): string | undefined {
  if (env === null || typeof env !== 'object') throw new TypeError('env must be an object');
  const goenv = env['GOENV'] ?? '';
  if (goenv !== '') return goenv === 'off' ? undefined : goenv;
  let dir: string | undefined;
  if (platform === 'windows') dir = env['AppData'] || env['APPDATA'];
  else if (platform === 'darwin' || platform === 'ios')
    dir = env['HOME'] ? joinPath(platform, env['HOME'], 'Library/Application Support') : undefined;
  else if (platform === 'plan9') dir = env['home'] ? joinPath(platform, env['home'], 'lib') : undefined;
  else dir = env['XDG_CONFIG_HOME'] || (env['HOME'] ? joinPath(platform, env['HOME'], '.config') : undefined);
  return dir ? joinPath(platform, dir, 'go', 'env') : undefined;
}

/**
 * resolveGoEnv computes the effective GOSUMDB, GOPROXY, GONOSUMDB, GOPRIVATE, GONOPROXY,
 * GOINSECURE, GOFLAGS, GOMODCACHE, GOPATH and GOENV as the go command does: a non-empty process
 * environment variable wins, then the `go env -w` file, then $GOROOT/go.env, then the built-in
 * default (GOPROXY "https://proxy.golang.org,direct", GOSUMDB "sum.golang.org"). GONOSUMDB and
 * GONOPROXY default to GOPRIVATE; GOPATH defaults to ~/go; GOMODCACHE to the first GOPATH entry
 * plus "pkg/mod". An empty variable counts as unset, as in Go; a key in the go env file hides
 * go.env's even when empty (Go 1.21+). The result can be passed to
 * `resolveSumDB` from gosumdb/client.
 *
 * @example
 * ```ts
 * import { resolveGoEnv } from 'gosumdb/gosum';
 * const e = resolveGoEnv({ env: { HOME: '/home/gopher', GOFLAGS: '-mod=mod' }, goenvFile: 'GOPRIVATE=*.corp.example.com\n' });
 * console.log(e.GONOSUMDB, e.sources.GONOSUMDB, e.GOMODCACHE); // *.corp.example.com derived /home/gopher/go/pkg/mod
 * ```
 */
export function resolveGoEnv(input: GoEnvInput): ResolvedGoEnv {
  if (input === null || typeof input !== 'object' || input.env === null || typeof input.env !== 'object') {
    throw new TypeError('resolveGoEnv needs { env }');
  }
  const platform = input.platform ?? 'linux';
  const env = input.env;
  const file = input.goenvFile === undefined ? {} : parseGoEnvFile(input.goenvFile);
  const goroot = input.gorootGoEnv === undefined ? {} : parseGoEnvFile(input.gorootGoEnv);
  const values = {} as Record<GoEnvName, string>;
  const sources = {} as Record<GoEnvName, GoEnvSource>;
  const lookup = (name: GoEnvName, fallback: () => [string, GoEnvSource]): void => {
    const fromEnv = env[name] ?? '';
    let v: [string, GoEnvSource];
    if (fromEnv !== '') v = [fromEnv, 'env'];
    // A key in the user's file hides go.env's, even with an empty value (Go 1.21+'s readEnvFile):
    // `go env -w GOSUMDB=` must not let a go.env that says off decide.
    else if (Object.hasOwn(file, name)) v = file[name] !== '' ? [file[name]!, 'goenv-file'] : fallback();
    else if ((goroot[name] ?? '') !== '') v = [goroot[name]!, 'goroot-go.env'];
    else v = fallback();
    [values[name], sources[name]] = v;
  };
  const none = (): [string, GoEnvSource] => ['', 'default'];
  for (const name of ['GOSUMDB', 'GOPROXY'] as const) lookup(name, () => [builtIn[name]!, 'default']);
  for (const name of ['GOPRIVATE', 'GOINSECURE', 'GOFLAGS'] as const) lookup(name, none);
  for (const name of ['GONOSUMDB', 'GONOPROXY'] as const) {
    lookup(name, () => (values.GOPRIVATE === '' ? ['', 'default'] : [values.GOPRIVATE, 'derived']));
  }
  lookup('GOPATH', () => [defaultGoPath(env, platform), 'default']);
  const listSep = platform === 'windows' ? ';' : platform === 'plan9' ? '\u0000' : ':';
  lookup('GOMODCACHE', () => {
    const first = values.GOPATH.split(listSep)[0] ?? '';
    return first === '' ? ['', 'default'] : [joinPath(platform, first, 'pkg', 'mod'), 'derived'];
  });
  const goenvPath = goEnvFilePath(env, platform);
  values.GOENV = goenvPath ?? '';
  sources.GOENV = (env['GOENV'] ?? '') !== '' ? 'env' : 'default';
  const unknown: Record<string, string> = {};
  for (const [k, v] of [...Object.entries(file), ...Object.entries(env)]) {
    if (v !== undefined && v !== '' && !known.has(k) && lookalike.test(k)) unknown[k] = v;
  }
  return { ...values, sources, unknown };
}

// go/build's default GOPATH: $HOME/go (%USERPROFILE%\go on Windows, $home/go on Plan 9).
function defaultGoPath(env: Readonly<Record<string, string | undefined>>, platform: GoEnvPlatform): string {
  const home = platform === 'windows' ? env['USERPROFILE'] : platform === 'plan9' ? env['home'] : env['HOME'];
  if (!home) return '';
  const def = joinPath(platform, home, 'go');
  // The go command refuses a default GOPATH that is GOROOT.
  if (env['GOROOT'] && cleanPath(env['GOROOT'], platform) === def) return '';
  return def;
}
