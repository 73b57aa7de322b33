// Flag parsing and settings shared by the commands that talk to a checksum database.
import { setMaxListeners } from 'node:events';
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { GosumdbError } from '../internal/errors.js';
import type { ProxySettings } from '../node/http.js';
import { stateDir } from '../node/state.js';
import type { ResolvedGoEnv } from '../gosum/index.js';
import type { Io } from './command.js';
import { UsageError } from './exit.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * parseFlags is node:util parseArgs (strict, positionals allowed) for every command: a flag it
 * does not know, a missing value or a value given to a switch is a UsageError (exit 2, with the
 * "Run --help" hint) in our own one-line words, not the parser's paragraph.
 */
export function parseFlags<O extends Options>(
  args: readonly string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const o = options[t.name];
    if (o === undefined || (t.rawName !== `--${t.name}` && t.rawName !== `-${o.short ?? ''}`))
      throw new UsageError(`unknown flag ${t.rawName}`);
    if (o.type === 'boolean' && t.value !== undefined) throw new UsageError(`flag ${t.rawName} takes no value`);
    if (o.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) {
      throw new UsageError(
        `flag ${t.rawName} needs a value${t.value === undefined ? '' : ` (write ${t.rawName}=${t.value} for one that starts with "-")`}`,
      );
    }
  }
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    // Unreachable while the checks above cover every parser error; kept to one line if not.
    throw new UsageError(`invalid flags: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** parseCount reads a positive integer flag such as --concurrency. */
export function parseCount(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1)) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

// The run's deadline when --timeout is not given: long enough for a large go.work.sum on a slow link.
const defaultTimeout = '5m';

/** DatabaseFlags are the flags every database command accepts. */
export const databaseFlags = {
  sumdb: { type: 'string' },
  proxy: { type: 'string' },
  offline: { type: 'boolean' },
  'write-cache': { type: 'boolean' },
  timeout: { type: 'string' },
  state: { type: 'string' },
  'no-state': { type: 'boolean' },
} as const;

/** databaseUsage documents {@link databaseFlags} in --help texts. */
export const databaseUsage = `  --sumdb <GOSUMDB>   use this GOSUMDB value (name, key, "key url") instead of the go env's
  --proxy <GOPROXY>   use this GOPROXY list instead of the go env's
  --offline           use only the go command's caches (GOPATH/pkg/sumdb, GOMODCACHE); no network
  --write-cache       remember the verified tree, lookups and tiles in those caches, as the go
                      command does (default: read them only)
  --timeout <d>       the run's deadline (default ${defaultTimeout}; e.g. 30s, 2m, 1m30s): when it passes,
                      every request in flight stops and what was not verified is reported

  --state <dir>       remember the latest verified tree of each database here (default
                      GOSUMDB_STATE, else $XDG_STATE_HOME/gosumdb, else ~/.local/state/gosumdb);
                      every new tree must extend it and the go command's own latest tree
  --no-state          remember nothing between runs: cross-run fork detection is off`;

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// "90", "90s", "1m30s", "500ms": a bare number is seconds; at most a day.
function parseDuration(value: string): number {
  const bare = /^[0-9]{1,6}$/.test(value) ? Number(value) * 1000 : undefined;
  let ms = bare ?? 0;
  if (bare === undefined) {
    const parts = /^([0-9]{1,6}(\.[0-9]{1,3})?(ms|s|m|h))+$/.test(value) ? (value.match(/[0-9.]+(ms|s|m|h)/g) ?? []) : [];
    for (const p of parts) ms += Number(/^[0-9.]+/.exec(p)![0]) * units[p.replace(/^[0-9.]+/, '')]!;
    if (parts.length === 0) ms = NaN;
  }
  if (!(ms >= 1 && ms <= 86_400_000))
    throw new UsageError(`--timeout must be a duration such as 30s, 2m or 1m30s (at most 24h), got ${JSON.stringify(value)}`);
  return Math.round(ms);
}

/** Deadline is a run's deadline: its signal aborts with ERR_DEADLINE when the time is up; `clear` cancels it. */
export type Deadline = { readonly signal: AbortSignal; readonly ms: number; clear(): void };

/** runDeadline starts the run's deadline from --timeout (default 5m): a command's requests must end by then. */
export function runDeadline(value: string | undefined): Deadline {
  const text = value ?? defaultTimeout;
  const ms = parseDuration(text);
  const ac = new AbortController();
  // Every request and lookup in flight listens to it: hundreds at once are expected, not a leak.
  setMaxListeners(0, ac.signal);
  const timer = setTimeout(() => ac.abort(new GosumdbError('ERR_DEADLINE', `the run's deadline of ${text} (--timeout) passed`)), ms);
  timer.unref();
  return { signal: ac.signal, ms, clear: () => clearTimeout(timer) };
}

/** requireDirectory returns `dir` if it is a directory, or throws a UsageError (exit 2) naming `what` and saying what is wrong with it. */
export async function requireDirectory(dir: string, what: string): Promise<string> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${what}: ${dir}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such directory' : (e as Error).message}`);
  }
  if (!isDir) throw new UsageError(`${what}: ${dir} is not a directory`);
  return dir;
}

/**
 * stateFlag is the directory in which the latest verified tree is remembered between runs
 * (--state, else gosumdb/node's `stateDir` of the environment), or undefined with --no-state.
 */
export function stateFlag(io: Io, values: { state?: string | undefined; 'no-state'?: boolean | undefined }): string | undefined {
  if (values['no-state']) {
    if (values.state !== undefined) throw new UsageError('--state and --no-state are exclusive');
    return undefined;
  }
  if (values.state === undefined) return stateDir(io.env);
  if (values.state === '') throw new UsageError('--state needs a directory');
  const dir = resolve(io.cwd, values.state);
  // One named that cannot be a directory is refused up front (exit 2), not found out per lookup.
  let st;
  try {
    st = statSync(dir, { throwIfNoEntry: false });
  } catch (e) {
    throw new UsageError(`state directory ${dir}: ${(e as Error).message}`);
  }
  if (st !== undefined && !st.isDirectory()) throw new UsageError(`state directory ${dir}: not a directory`);
  return dir;
}

/** lookupFlags is what --offline, --write-cache and the state directory ask of goSumDBClient. */
export function lookupFlags(
  values: { offline?: boolean | undefined; 'write-cache'?: boolean | undefined },
  state: string | undefined,
): { offline: boolean; writable: boolean; stateDir?: string } {
  return {
    offline: values.offline ?? false,
    writable: values['write-cache'] ?? false,
    ...(state !== undefined ? { stateDir: state } : {}),
  };
}

/** stateOffNote says, for reports, what --no-state gives up. */
export const stateOffNote =
  'cross-run fork detection is off (--no-state): no verified tree is remembered between runs, so a database ' +
  'that forks or rolls back between two runs goes unnoticed';

/** goEnv resolves the go command's settings from the command's environment, with --sumdb/--proxy applied. */
export async function goEnv(
  io: Io,
  values: { sumdb?: string | undefined; proxy?: string | undefined },
): Promise<ResolvedGoEnv & { HOME?: string | undefined; proxy?: ProxySettings | undefined }> {
  // Loaded here: commands that parse flags without a database (hash, vectors) skip the go env reader.
  const { readGoEnv } = await import('../node/goenv.js');
  const { proxyFromEnv } = await import('../node/http.js');
  const resolved = await readGoEnv({ env: io.env });
  return {
    ...resolved,
    ...(values.sumdb !== undefined ? { GOSUMDB: values.sumdb } : {}),
    ...(values.proxy !== undefined ? { GOPROXY: values.proxy } : {}),
    HOME: io.env['HOME'],
    // HTTP_PROXY, HTTPS_PROXY, NO_PROXY: the go command's net/http uses them, so does gosumdb.
    proxy: proxyFromEnv(io.env),
  };
}

/** Paint colours a word for a terminal, or returns it unchanged (NO_COLOR, TERM=dumb, or not a terminal). */
export type Paint = (color: 'red' | 'green' | 'yellow' | 'bold' | 'dim', s: string) => string;

const codes = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

/** painter returns the {@link Paint} for stdout, honouring NO_COLOR (https://no-color.org). */
export function painter(io: Io): Paint {
  const on = io.stdoutIsTTY === true && (io.env['NO_COLOR'] ?? '') === '' && io.env['TERM'] !== 'dumb';
  return on ? (c, s) => `\u001b[${codes[c]}m${s}\u001b[0m` : (_c, s) => s;
}
