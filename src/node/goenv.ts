import { realpath } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { GosumdbError } from '../internal/errors.js';
import { goEnvFilePath, resolveGoEnv, type GoEnvPlatform, type ResolvedGoEnv } from '../gosum/goenv.js';
import { readRegularFile } from './fileSource.js';

/** ReadGoEnvOptions tells {@link readGoEnv} where to look; every field has a system default. */
export type ReadGoEnvOptions = {
  /** The environment to resolve (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The Go installation whose go.env to read (default: $GOROOT, else the `go` found on PATH). */
  readonly goroot?: string;
  /** Default: the running platform. */
  readonly platform?: GoEnvPlatform;
};

// A settings file as text, undefined if it does not exist; `what` names it for the user. A
// leading BOM is kept, as Go reads bytes: "\uFEFFGOSUMDB=off" sets no GOSUMDB. /dev/null (the
// usual way to ignore the file) reads as empty, as in Go; other devices, FIFOs and directories
// are refused rather than read (they could block, or hide a mistake).
async function readIfExists(file: string, what: string): Promise<string | undefined> {
  if (file === '/dev/null') return '';
  try {
    const data = await readRegularFile(file);
    return data === undefined ? undefined : new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
  } catch (e) {
    throw new GosumdbError('ERR_FILE_READ', `reading ${what}: ${(e as Error).message}`, { cause: e });
  }
}

// The go command finds its GOROOT from its own executable: <GOROOT>/bin/go.
async function findGoRoot(env: Readonly<Record<string, string | undefined>>, platform: GoEnvPlatform): Promise<string | undefined> {
  if (env['GOROOT']) return env['GOROOT'];
  const exe = platform === 'windows' ? 'go.exe' : 'go';
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      return dirname(dirname(await realpath(join(dir, exe))));
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

function nodePlatform(): GoEnvPlatform {
  const p = process.platform;
  if (p === 'win32') return 'windows';
  if (p === 'darwin' || p === 'freebsd' || p === 'openbsd' || p === 'netbsd' || p === 'aix' || p === 'sunos' || p === 'android') return p;
  return 'linux';
}

/**
 * readGoEnv resolves the go command's effective settings on this machine: the process
 * environment, the `go env -w` file at its per-OS location, and $GOROOT/go.env, as
 * `resolveGoEnv` from gosumdb/gosum describes. Missing files count as empty.
 *
 * @throws GosumdbError `ERR_FILE_READ` if a settings file exists but cannot be read.
 * @example
 * ```ts
 * import { readGoEnv } from 'gosumdb/node';
 * const e = await readGoEnv({ env: { HOME: '/nonexistent', GOSUMDB: 'sum.golang.org' }, goroot: '/nonexistent' });
 * console.log(e.GOSUMDB, e.GOPROXY); // sum.golang.org https://proxy.golang.org,direct
 * ```
 */
export async function readGoEnv(options: ReadGoEnvOptions = {}): Promise<ResolvedGoEnv> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? nodePlatform();
  const file = goEnvFilePath(env, platform);
  const goroot = options.goroot ?? (await findGoRoot(env, platform));
  return resolveGoEnv({
    env,
    platform,
    goenvFile:
      file === undefined
        ? undefined
        : await readIfExists(file, env['GOENV'] ? `the go env file named by GOENV=${env['GOENV']}` : 'the go env file'),
    gorootGoEnv: goroot === undefined ? undefined : await readIfExists(join(goroot, 'go.env'), `$GOROOT/go.env (GOROOT=${goroot})`),
  });
}
