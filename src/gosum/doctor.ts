// Diagnostics over the go command's effective settings: what weakens or disables checksum
// verification, what is malformed, and what looks protective but is ignored. Pure: it reads a
// resolved environment (resolveGoEnv) and never touches the network.

import { resolveSumDB } from '../client/index.js';
import { isGosumdbError } from '../internal/errors.js';
import { fields } from '../internal/bytes.js';
import { matchPrefixPatterns } from '../module/index.js';
import type { GoEnvName, GoEnvSource } from './goenv.js';

/** DoctorLevel ranks a finding: `error` weakens verification or breaks it, `warning` deserves a look, `info` is context. */
export type DoctorLevel = 'error' | 'warning' | 'info';

/** DoctorFinding is one diagnosis of the Go environment, with what to do about it. */
export type DoctorFinding = {
  readonly level: DoctorLevel;
  /** Stable kebab-case identifier, such as `gosumdb-off` or `nosumdb-hides-public`. */
  readonly code: string;
  /** The setting the finding is about. */
  readonly variable: string;
  readonly message: string;
  /** What to do; never "set GOSUMDB=off". */
  readonly remedy: string;
};

/** DoctorInput is a Go environment as {@link resolveGoEnv} returns it; missing settings count as unset. */
export type DoctorInput = { readonly [K in GoEnvName]?: string } & {
  readonly sources?: { readonly [K in GoEnvName]?: GoEnvSource };
  readonly unknown?: Readonly<Record<string, string>>;
};

/**
 * PUBLIC_MODULE_PROBES are module paths on the big public hosts and top-level domains, with a made-up
 * owner. A GONOSUMDB, GOPRIVATE or GOINSECURE pattern that matches one of them covers modules
 * of everybody on that host, not just one organisation's private code.
 *
 * @example
 * ```ts
 * import { PUBLIC_MODULE_PROBES } from 'gosumdb/gosum';
 * console.log(PUBLIC_MODULE_PROBES.includes('github.com/gosumdb-probe/repo')); // true
 * ```
 */
export const PUBLIC_MODULE_PROBES: readonly string[] = [
  'github.com/gosumdb-probe/repo',
  'gitlab.com/gosumdb-probe/repo',
  'bitbucket.org/gosumdb-probe/repo',
  'golang.org/x/gosumdb-probe',
  'google.golang.org/gosumdb-probe',
  'cloud.google.com/go/gosumdb-probe',
  'gopkg.in/gosumdb-probe.v1',
  'go.uber.org/gosumdb-probe',
  'go.opentelemetry.io/gosumdb-probe',
  'k8s.io/gosumdb-probe',
  'sigs.k8s.io/gosumdb-probe',
  'gosumdb-probe.com/x',
  'gosumdb-probe.org/x',
  'gosumdb-probe.net/x',
  'gosumdb-probe.io/x',
  'gosumdb-probe.dev/x',
];

function where(env: DoctorInput, name: GoEnvName): string {
  const src = env.sources?.[name];
  if (src === 'goenv-file') return ` (set in the go env -w file${env.GOENV ? ` ${env.GOENV}` : ''})`;
  if (src === 'goroot-go.env') return ' (set in $GOROOT/go.env)';
  if (src === 'env') return ' (set in the environment)';
  return '';
}

// How to put GOSUMDB back to sum.golang.org: from the go env -w file, go env -u; from
// $GOROOT/go.env, which neither unset nor go env -u reaches, a value in the go env -w file.
function resetSumDB(env: DoctorInput): string {
  const src = env.sources?.GOSUMDB;
  return src === 'goenv-file' ? 'go env -u GOSUMDB' : src === 'goroot-go.env' ? 'go env -w GOSUMDB=sum.golang.org' : 'unset GOSUMDB';
}

function publicMatches(patterns: string): { pattern: string; probe: string }[] {
  const out: { pattern: string; probe: string }[] = [];
  for (const pattern of patterns.split(',')) {
    if (pattern.trim() === '') continue;
    const probe = PUBLIC_MODULE_PROBES.find((p) => matchPrefixPatterns(pattern, p));
    if (probe !== undefined) out.push({ pattern, probe });
  }
  return out;
}

function checkGoSumDB(env: DoctorInput, out: DoctorFinding[]): void {
  const v = env.GOSUMDB ?? '';
  const at = where(env, 'GOSUMDB');
  if (v === 'off') {
    out.push({
      level: 'error',
      code: 'gosumdb-off',
      variable: 'GOSUMDB',
      message:
        `GOSUMDB=off${at}: the go command checks no module against the checksum database, so a tampered ` +
        `module is accepted the first time it is downloaded`,
      remedy: `${resetSumDB(env)} (the default is sum.golang.org); list private module paths in GOPRIVATE or GONOSUMDB instead`,
    });
    return;
  }
  try {
    const db = resolveSumDB({ GOSUMDB: v, GOPROXY: 'direct' });
    if (db.name !== 'sum.golang.org') {
      out.push({
        level: 'info',
        code: 'gosumdb-custom',
        variable: 'GOSUMDB',
        message: `checksums are verified against ${db.name}${at}, not sum.golang.org`,
        remedy: 'make sure this database and its key are the ones your organisation intends to trust',
      });
    }
    if (db.url?.toLowerCase().startsWith('http:')) {
      out.push({
        level: 'info',
        code: 'gosumdb-http',
        variable: 'GOSUMDB',
        message: `the checksum database is reached over plain HTTP (${db.url})${at}; answers are still verified against its signing key`,
        remedy: 'prefer an https:// URL so that requests cannot be observed or blocked in transit',
      });
    }
  } catch (e) {
    if (!isGosumdbError(e)) throw e;
    out.push({
      level: 'error',
      code: 'gosumdb-malformed',
      variable: 'GOSUMDB',
      message: `GOSUMDB=${v}${at} is not usable: ${e.message}; every go command that needs a checksum will fail`,
      remedy: `${resetSumDB(env)} for sum.golang.org, or set it to "<name>+<hash>+<key>" (optionally followed by a space and the URL)`,
    });
  }
}

function checkGoProxy(env: DoctorInput, out: DoctorFinding[]): void {
  const v = env.GOPROXY ?? '';
  const at = where(env, 'GOPROXY');
  try {
    resolveSumDB({ GOSUMDB: 'off', GOPROXY: v });
  } catch (e) {
    if (!isGosumdbError(e)) throw e;
    out.push({
      level: 'error',
      code: 'goproxy-malformed',
      variable: 'GOPROXY',
      message: `GOPROXY=${v}${at} is not usable: ${e.message}`,
      remedy: 'use a comma- or pipe-separated list of https:// URLs ending in "direct" or "off", such as https://proxy.golang.org,direct',
    });
    return;
  }
  const entries = v
    .split(/[,|]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const end = entries.findIndex((s) => s === 'direct' || s === 'off');
  if (end >= 0 && end < entries.length - 1) {
    out.push({
      level: 'warning',
      code: 'goproxy-ignored-entries',
      variable: 'GOPROXY',
      message:
        `GOPROXY${at} lists ${entries.slice(end + 1).join(', ')} after "${entries[end]}"; the go command ` +
        `never reads past "${entries[end]}"`,
      remedy: `move "${entries[end]}" to the end of the list`,
    });
  }
  for (const url of entries.filter((s) => /^http:/i.test(s))) {
    out.push({
      level: 'warning',
      code: 'goproxy-http',
      variable: 'GOPROXY',
      message:
        `proxy ${url}${at} is plain HTTP: downloads can be altered in transit; go.sum and the checksum ` +
        `database still catch altered public modules, but nothing protects modules excluded by GONOSUMDB or GOPRIVATE`,
      remedy: `use https:// for ${url}`,
    });
  }
  if (entries.length > 0 && (entries[0] === 'off' || entries[0] === 'direct')) {
    out.push({
      level: 'info',
      code: entries[0] === 'off' ? 'goproxy-off' : 'goproxy-direct',
      variable: 'GOPROXY',
      message:
        entries[0] === 'off'
          ? `GOPROXY=off${at}: no module downloads are allowed; the checksum database is still contacted directly`
          : `GOPROXY=direct${at}: modules come straight from version control; the checksum database still verifies them`,
      remedy: 'nothing to do if this is intended',
    });
  }
}

function checkPatterns(env: DoctorInput, out: DoctorFinding[]): void {
  const fromPrivate = env.sources?.GONOSUMDB === 'derived' || (env.GONOSUMDB === undefined && env.GOPRIVATE !== undefined);
  const nosum = env.GONOSUMDB ?? env.GOPRIVATE ?? '';
  const variable: GoEnvName = fromPrivate ? 'GOPRIVATE' : 'GONOSUMDB';
  for (const { pattern, probe } of publicMatches(nosum)) {
    out.push({
      level: 'error',
      code: 'nosumdb-hides-public',
      variable,
      message:
        `${variable} pattern "${pattern}"${where(env, variable)} matches public modules such as ${probe}: ` +
        `the checksum database is never asked about them`,
      remedy: `narrow "${pattern}" to your own private hosts or organisations (for example git.corp.example.com or github.com/your-org)`,
    });
  }
  const insecure = env.GOINSECURE ?? '';
  if (insecure !== '') {
    const wide = publicMatches(insecure);
    out.push({
      level: wide.length > 0 ? 'error' : 'warning',
      code: wide.length > 0 ? 'goinsecure-hides-public' : 'goinsecure',
      variable: 'GOINSECURE',
      message:
        wide.length > 0
          ? `GOINSECURE pattern "${wide[0]!.pattern}"${where(env, 'GOINSECURE')} matches public modules such ` +
            `as ${wide[0]!.probe}: they may be fetched over plain HTTP or without certificate checks`
          : `GOINSECURE=${insecure}${where(env, 'GOINSECURE')}: matching modules may be fetched over plain HTTP ` +
            `or without certificate checks (their checksums are still verified unless GONOSUMDB or GOPRIVATE also match)`,
      remedy: 'serve those modules over HTTPS with a valid certificate and remove them from GOINSECURE',
    });
  }
}

function checkGoFlags(env: DoctorInput, out: DoctorFinding[]): void {
  const at = where(env, 'GOFLAGS');
  for (const flag of fields(env.GOFLAGS ?? '')) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(flag);
    if (!m) continue;
    const [, name, value] = m;
    if (name === 'insecure') {
      out.push({
        level: 'warning',
        code: 'goflags-insecure',
        variable: 'GOFLAGS',
        message:
          `GOFLAGS contains ${flag}${at}: go commands before 1.18 skip the checksum database and allow ` +
          `plain HTTP with it; current ones reject it, so it protects nothing`,
        remedy: 'remove it from GOFLAGS; use GOINSECURE or GONOSUMDB for the specific private hosts that need it',
      });
    } else if (name === 'mod' && value === 'mod') {
      out.push({
        level: 'info',
        code: 'goflags-mod-mod',
        variable: 'GOFLAGS',
        message:
          `GOFLAGS contains -mod=mod${at}: builds may add requirements and go.sum lines without review ` +
          `(new lines are still checked against the checksum database)`,
        remedy: 'prefer -mod=readonly in CI so that go.mod and go.sum changes are explicit',
      });
    } else if (name === 'mod' && value === 'vendor') {
      out.push({
        level: 'info',
        code: 'goflags-mod-vendor',
        variable: 'GOFLAGS',
        message: `GOFLAGS contains -mod=vendor${at}: code in vendor/ is used as is, without checking it against go.sum`,
        remedy: 'run go mod vendor from a verified module cache and review vendor/ changes',
      });
    } else if (name === 'modcacherw') {
      out.push({
        level: 'info',
        code: 'goflags-modcacherw',
        variable: 'GOFLAGS',
        message: `GOFLAGS contains -modcacherw${at}: files in the module cache stay writable and can change after they were verified`,
        remedy: 'run go mod verify (or gosumdb verify-modcache) before trusting the cache',
      });
    }
  }
}

function checkIgnored(env: DoctorInput, out: DoctorFinding[]): void {
  for (const [name, value] of Object.entries(env.unknown ?? {})) {
    out.push({
      level: 'warning',
      code: 'ignored-variable',
      variable: name,
      message: `${name}=${value} has no effect: the go command does not read ${name}`,
      remedy: 'remove it; the settings that control checksum verification are GOSUMDB, GONOSUMDB, GOPRIVATE and GOINSECURE',
    });
  }
}

function checkPaths(env: DoctorInput, out: DoctorFinding[]): void {
  if (env.GOMODCACHE === '') {
    out.push({
      level: 'warning',
      code: 'gomodcache-unset',
      variable: 'GOMODCACHE',
      message: 'GOMODCACHE is empty (GOPATH is unset or starts with an empty entry): the go command cannot download modules',
      remedy: 'set HOME, GOPATH or GOMODCACHE',
    });
  }
}

/**
 * diagnoseGoEnv lists what is wrong, weak or surprising in a Go environment as far as checksum
 * verification goes: GOSUMDB=off or malformed, GOPROXY syntax and plain-HTTP proxies, GONOSUMDB /
 * GOPRIVATE / GOINSECURE patterns wide enough to cover public modules ("*", "github.com",
 * "*.io"...), GOFLAGS that weaken checks (-insecure, -mod=mod, -mod=vendor, -modcacherw), and
 * variables that look protective but that the go command ignores (GONOSUMCHECK, GONOVERIFY...).
 * Errors come first. No remedy ever suggests turning the checksum database off.
 *
 * @example
 * ```ts
 * import { diagnoseGoEnv, resolveGoEnv } from 'gosumdb/gosum';
 * const env = resolveGoEnv({ env: { HOME: '/home/g', GOPRIVATE: 'github.com', GONOSUMCHECK: '1' } });
 * for (const f of diagnoseGoEnv(env)) console.log(f.level, f.code);
 * // error nosumdb-hides-public
 * // warning ignored-variable
 * ```
 */
export function diagnoseGoEnv(env: DoctorInput): DoctorFinding[] {
  if (env === null || typeof env !== 'object') throw new TypeError('env must be an object');
  const out: DoctorFinding[] = [];
  checkGoSumDB(env, out);
  checkGoProxy(env, out);
  checkPatterns(env, out);
  checkGoFlags(env, out);
  checkIgnored(env, out);
  checkPaths(env, out);
  const rank: Record<DoctorLevel, number> = { error: 0, warning: 1, info: 2 };
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank[a.f.level] - rank[b.f.level] || a.i - b.i)
    .map((x) => x.f);
}
