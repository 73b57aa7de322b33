// auditGoSum: every go.sum line checked against the checksum database through a verifying
// client, with a status, a diagnosis and a remedy per line. The client proves each answer
// against its signed tree; this file decides what the answers mean for the user's go.sum.

import { UnreachableError, type Client, type SignedTree } from '../client/index.js';
import { semaphore } from '../client/limit.js';
import { errorMessage, GosumdbError, isGosumdbError } from '../internal/errors.js';
import { checkIndex } from '../internal/num.js';
import { MESSAGE_MAX, printable } from '../internal/quote.js';
import { isPseudoVersion, matchPrefixPatterns, pseudoVersionRev, pseudoVersionTime } from '../module/index.js';
import { parseGoModRequirements } from './gomod.js';
import type { GoSum, GoSumFinding, GoSumKind, GoSumLine } from './parse.js';
import { checkGoModSums, type GoModFinding } from './requirements.js';

/**
 * AUDIT_STATUSES lists every {@link AuditStatus}, in the order a report's summary shows them: the
 * one list of statuses (summary counts, text report, JSON `summary`).
 *
 * @example
 * ```ts
 * import { AUDIT_STATUSES } from 'gosumdb/gosum';
 * console.log(AUDIT_STATUSES.join(' ')); // ok mismatch not-found skipped local-mismatch error
 * ```
 */
export const AUDIT_STATUSES = ['ok', 'mismatch', 'not-found', 'skipped', 'local-mismatch', 'error'] as const;

/** AuditStatus is the verdict on one go.sum line. */
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

/** SkipReason says why a line was not checked against the database. */
export type SkipReason = 'gonosumdb' | 'gosumdb-off' | 'unknown-algorithm' | 'ignored-by-go';

/** AuditEntry is the verdict on one go.sum line, with what it means and what to do. */
export type AuditEntry = {
  readonly file: string;
  readonly line: number;
  readonly path: string;
  readonly version: string;
  readonly kind: GoSumKind;
  /** The hash written in go.sum. */
  readonly hash: string;
  readonly status: AuditStatus;
  /** For `mismatch`: the hash the checksum database holds (absent if it holds none of this kind). */
  readonly dbHash?: string;
  /** The hash of the local copy, when one was given (`local-mismatch` when it differs). */
  readonly localHash?: string;
  /** For `skipped`: why. */
  readonly skipReason?: SkipReason;
  /** For `skipped` by GONOSUMDB/GOPRIVATE: the pattern that matched. */
  readonly pattern?: string;
  /** For `error`: the error code (`ERR_...`). */
  readonly errorCode?: string;
  /** What the status means for this line. */
  readonly diagnosis: string;
  /** What to do; empty for `ok`. Never "set GOSUMDB=off". */
  readonly remedy: string;
};

/**
 * AuditSummary counts entries by status; with a `localHash`, `noLocalCopy` counts the lines whose
 * database answer was verified but which had no local copy to compare.
 */
export type AuditSummary = { readonly total: number; readonly noLocalCopy?: number } & { readonly [S in AuditStatus]: number };

/**
 * LatestError says why the database's latest signed tree could not be fetched or did not verify:
 * the answers were then proved only against trees trusted before, and a fork since is unseen.
 */
export type LatestError = {
  /** The error code (`ERR_...`), e.g. ERR_TILE_INCONSISTENT or ERR_NOTE_INVALID_SIGNATURE when the server lied. */
  readonly errorCode: string;
  /** Whether the tree arrived and failed verification (the server served data that contradicts its signature), rather than not arriving. */
  readonly unverified: boolean;
  readonly diagnosis: string;
  readonly remedy: string;
};

/** AuditReport is the result of {@link auditGoSum}. */
export type AuditReport = {
  /** The go.sum files audited, in the order given, those without any line included. */
  readonly files?: readonly string[];
  /** One entry per go.sum line, in file order (files in the order given). */
  readonly entries: readonly AuditEntry[];
  readonly summary: AuditSummary;
  /** The signed tree every database answer was proved against (undefined if none was consulted). */
  readonly tree: SignedTree | undefined;
  /** Why the database's latest tree could not be fetched or verified, when `refreshLatest` tried and failed. */
  readonly latestError?: LatestError;
  /** The parser's findings (duplicates, conflicts...) of every file. */
  readonly findings: readonly GoSumFinding[];
  /** Requirement checks, when `goMod` was given. */
  readonly goMod: readonly GoModFinding[];
};

/** AuditClient is the part of `Client` (gosumdb/client) an audit uses; inject a real client or a fake. */
export type AuditClient = Pick<Client, 'lookup' | 'latest' | 'signedTree'>;

/** LocalHash returns the h1 hash of a local copy of a module zip or go.mod (module cache, zip directory), or undefined if there is none. */
export type LocalHash = (path: string, version: string, kind: GoSumKind, signal?: AbortSignal) => Promise<string | undefined>;

/** AuditOptions configure {@link auditGoSum}. */
export type AuditOptions = {
  /** The verifying checksum-database client. */
  readonly client: AuditClient;
  /** GONOSUMDB patterns (GOPRIVATE when GONOSUMDB is unset): matching modules are `skipped`, naming the pattern. */
  readonly noSumDB?: string;
  /** True for GOSUMDB=off: every line is `skipped` and the database is not contacted. */
  readonly sumdbOff?: boolean;
  /**
   * Prove the answers against the database's current tree (default true): after the lookups,
   * /latest is fetched and verified unless a lookup answer from the database carried its signed tree.
   */
  readonly refreshLatest?: boolean;
  /** Lookups in flight at once (default 16). */
  readonly concurrency?: number;
  /** Hashes of local copies, checked against go.sum. */
  readonly localHash?: LocalHash;
  /**
   * The go.mod next to the first go.sum: its requirements must have go.sum lines, and with a
   * `go` directive of 1.18 or later the first go.sum's content lines that it does not need are
   * reported (`unneeded-zip-sum`; never for go.work.sum).
   */
  readonly goMod?: string;
  readonly signal?: AbortSignal;
  /**
   * The run's deadline: when it aborts, the audit stops waiting and returns, and every line not
   * verified by then is an `error` with the abort reason's code (e.g. `ERR_DEADLINE`). Unlike
   * `signal`, which throws, this reports what was not verified.
   */
  readonly deadline?: AbortSignal;
  /** Called after each line's verdict. */
  readonly onProgress?: (done: number, total: number) => void;
};

function label(l: GoSumLine): string {
  return `${l.path}@${l.version}${l.kind === 'go.mod' ? '/go.mod' : ''}`;
}

function firstPattern(patterns: string, path: string): string | undefined {
  return patterns.split(',').find((p) => p.trim() !== '' && matchPrefixPatterns(p, path));
}

type Verdict = Omit<AuditEntry, 'file' | 'line' | 'path' | 'version' | 'kind' | 'hash'>;

function skipped(reason: SkipReason, l: GoSumLine, pattern?: string): Verdict {
  const diagnosis = skipDiagnosis(reason, label(l), pattern, l.algorithm);
  switch (reason) {
    case 'gonosumdb':
      return {
        status: 'skipped',
        skipReason: reason,
        pattern: pattern!,
        diagnosis,
        remedy: 'nothing to do for a private module; if this module is public, narrow the pattern so that it is verified',
      };
    case 'gosumdb-off':
      return {
        status: 'skipped',
        skipReason: reason,
        diagnosis,
        remedy: 'unset GOSUMDB (the default is sum.golang.org) and list private modules in GOPRIVATE instead',
      };
    case 'unknown-algorithm':
      return { status: 'skipped', skipReason: reason, diagnosis, remedy: 'delete the line and run go mod tidy to write the h1: hash' };
    case 'ignored-by-go':
      return { status: 'skipped', skipReason: reason, diagnosis, remedy: 'delete the line and run go mod tidy' };
  }
}

/**
 * skipDiagnosis says why go.sum lines were not checked against the database: for one line (`what`
 * names it) or, with `what` undefined, for a group of lines that share the reason, so that a
 * report can say it once (`GONOSUMDB=*` skips every line for one reason).
 *
 * @example
 * ```ts
 * import { skipDiagnosis } from 'gosumdb/gosum';
 * console.log(skipDiagnosis('gosumdb-off', undefined)); // GOSUMDB=off: these lines were not checked against any checksum database
 * ```
 */
export function skipDiagnosis(reason: SkipReason, what: string | undefined, pattern = '', algorithm = ''): string {
  const one = what !== undefined;
  switch (reason) {
    case 'gonosumdb':
      return (
        `${one ? `${what} matches` : 'these modules match'} GONOSUMDB/GOPRIVATE pattern "${pattern}", so ` +
        `the go command never checks ${one ? 'it' : 'them'} against the checksum database`
      );
    case 'gosumdb-off':
      return `GOSUMDB=off: ${one ? `${what} was` : 'these lines were'} not checked against any checksum database`;
    case 'unknown-algorithm':
      return (
        `${one ? `${what} uses` : 'these lines use'} hash algorithm "${algorithm}", which neither the go ` +
        `command nor the checksum database knows; ${one ? 'the line is' : 'they are'} ignored`
      );
    case 'ignored-by-go':
      return (
        `${one ? `${what} has` : 'these lines have'} the hash of an empty go.mod, written by an old go ` +
        `command bug; the go command ignores ${one ? 'this line' : 'them'}`
      );
  }
}

function fromDatabase(l: GoSumLine, dbLines: readonly string[], localHash: string | undefined): Verdict {
  const what = label(l);
  const prefix = `${l.path} ${l.version}${l.kind === 'go.mod' ? '/go.mod' : ''} `;
  const dbHash = dbLines
    .filter((s) => s.startsWith(prefix))
    .map((s) => s.slice(prefix.length))
    .find((h) => h.startsWith(`${l.algorithm}:`));
  const local = localHash === undefined ? {} : { localHash };
  if (dbHash !== l.hash) {
    return {
      status: 'mismatch',
      ...(dbHash === undefined ? {} : { dbHash }),
      ...local,
      diagnosis:
        dbHash === undefined
          ? `the checksum database has no ${l.algorithm} hash for ${what}; go.sum has ${l.hash}`
          : `go.sum has ${l.hash} for ${what} but the checksum database has ${dbHash}: the line was edited, or ` +
            `came from a download that differs from what everybody else gets (retagged or tampered version)`,
      remedy:
        `do not build with this module version until you know why; check where the line came from (git ` +
        `log -p on the go.sum), then remove it and run go mod download ${l.path}@${l.version} and go mod verify`,
    };
  }
  if (localHash !== undefined && localHash !== l.hash) {
    const modified = `the local copy hashes to ${localHash}: it was modified after download`;
    return {
      status: 'local-mismatch',
      localHash,
      diagnosis: `go.sum matches the checksum database for ${what}, but ${modified}`,
      remedy:
        `delete the local copy (go clean -modcache, or remove it from the zip directory) and download it ` +
        `again with go mod download ${l.path}@${l.version}`,
    };
  }
  return { status: 'ok', ...local, diagnosis: `${what} matches the checksum database`, remedy: '' };
}

// Codes of answers that arrived but failed verification (as opposed to transport failures).
const unverifiable = /^ERR_(PROOF|TILE|RECORD|NOTE|TREE|HASH|INDEX|CHECKPOINT)_/;

// "commit abcdef123456 of 2019-11-09" for a pseudo-version, undefined otherwise.
function pseudoCommit(v: string): string | undefined {
  if (!isPseudoVersion(v)) return undefined;
  try {
    return `commit ${pseudoVersionRev(v)} of ${pseudoVersionTime(v).toISOString().slice(0, 10)}`;
  } catch {
    return `commit ${pseudoVersionRev(v)}`;
  }
}

// An error's message for a report: it may quote what a server said, so a printable, capped copy.
function reportedMessage(e: unknown): string {
  return printable(errorMessage(e), { lines: true, max: MESSAGE_MAX });
}

// The latest tree was asked for and did not come, or came and did not verify.
function latestFailed(e: unknown, trusted: SignedTree | undefined): LatestError {
  const code = e instanceof GosumdbError ? e.code : 'ERR_UNEXPECTED';
  const message = reportedMessage(e);
  const before =
    trusted === undefined ? 'no tree was trusted before' : `the answers were proved only against tree #${trusted.tree.n}, trusted before`;
  if (unverifiable.test(code)) {
    return {
      errorCode: code,
      unverified: true,
      diagnosis:
        `the database's latest signed tree did not verify (${message}): it served a tree, a signature ` +
        `or tiles that contradict what its key signed; ${before}`,
      remedy:
        'do not trust this database until you know why: audit again directly against it (GOPROXY=direct) or ' +
        'through another proxy, and report the server if it persists',
    };
  }
  return {
    errorCode: code,
    unverified: false,
    diagnosis:
      `the database's latest signed tree could not be read (${message}); ${before}, so a fork of the ` +
      `log since then would go unnoticed`,
    remedy: 'run the audit again; if it persists, check GOPROXY and GOSUMDB (gosumdb doctor) and your network',
  };
}

// The remedy for a server that could not be reached, by what failed. Never "turn verification off".
function unreachableRemedy(e: UnreachableError): string {
  const settings = 'gosumdb doctor shows which GOSUMDB and GOPROXY are used';
  switch (e.kind) {
    case 'dns':
      return `check the host name in ${e.origin} (GOSUMDB, GOPROXY) and that this machine can resolve it (DNS, HTTPS_PROXY); ${settings}`;
    case 'connect':
      return (
        `check that ${e.origin} is the right address (GOSUMDB, GOPROXY) and that this machine may connect ` +
        `to it (firewall, HTTPS_PROXY); ${settings}`
      );
    case 'tls':
      return (
        `the TLS connection to ${e.origin} failed: check the URL, the system clock and any TLS-intercepting ` +
        `proxy (its CA in NODE_EXTRA_CA_CERTS); ${settings}`
      );
  }
}

// The innermost error of e's cause chain that passes `test`: the one without a module's context prefix.
function innermost<T extends Error>(e: unknown, test: (c: Error) => c is T): T | undefined {
  let found: T | undefined;
  for (let c = e, depth = 0; c instanceof Error && depth < 5; c = c.cause, depth++) if (test(c)) found = c;
  return found;
}

function findUnreachable(e: unknown): UnreachableError | undefined {
  return innermost(e, (c): c is UnreachableError => c instanceof UnreachableError);
}

/**
 * notReachedReason says why the database was not reached, in words that name no module (a server
 * that could not be reached, the run's deadline), or is undefined for any other failure: such a
 * reason is the same for every module, so reports say it once.
 */
export function notReachedReason(e: unknown): string | undefined {
  const down = findUnreachable(e);
  if (down) return `${down.origin} could not be reached (${down.reason})`;
  const deadline = innermost(e, (c): c is GosumdbError => c instanceof GosumdbError && c.code === 'ERR_DEADLINE');
  return deadline ? reportedMessage(deadline) : undefined;
}

// A failure that says nothing about the line itself: the database was not reached (unreachable,
// offline, the run's deadline). Its diagnosis is the same for every line, so a report can say it once.
function notReached(e: unknown, noTree = false): Verdict | undefined {
  const code = e instanceof GosumdbError ? e.code : undefined;
  const down = findUnreachable(e);
  if (down) {
    return {
      status: 'error',
      errorCode: 'ERR_UNREACHABLE',
      diagnosis: `not verified: ${notReachedReason(down)!}`,
      remedy: unreachableRemedy(down),
    };
  }
  if (code === 'ERR_OFFLINE') {
    return {
      status: 'error',
      errorCode: code,
      diagnosis: noTree
        ? "not verified: offline, and the go command's checksum database cache is empty (it holds no signed tree of the database)"
        : "not verified: offline, and the go command's checksum database cache does not hold this answer",
      remedy: 'audit online, or let the go command fill its cache first (go mod download), then audit offline again',
    };
  }
  if (code === 'ERR_DEADLINE') {
    return {
      status: 'error',
      errorCode: code,
      diagnosis: `not verified: ${notReachedReason(e)!}`,
      remedy: 'run again with more time, or find out why the database or proxy answers slowly (gosumdb doctor)',
    };
  }
  return undefined;
}

function failed(l: GoSumLine, e: unknown): Verdict {
  const run = notReached(e);
  if (run) return run;
  const what = label(l);
  const code = e instanceof GosumdbError ? e.code : 'ERR_UNEXPECTED';
  if (code === 'ERR_NOT_FOUND') {
    const commit = pseudoCommit(l.version);
    const why = commit
      ? `${l.version} is a pseudo-version for ${commit}, which no public proxy has fetched (a private repository, ` +
        `or a commit that was never pushed or was rewritten)`
      : 'the version was never published through a public proxy (typo, deleted or never-pushed tag, or a private module)';
    return {
      status: 'not-found',
      diagnosis: `the checksum database does not know ${what}: ${why}`,
      remedy:
        `if ${l.path} is private, add it to GOPRIVATE; otherwise check that ${l.version} exists upstream ` +
        `and remove the line if it does not`,
    };
  }
  const message = reportedMessage(e);
  if (unverifiable.test(code)) {
    return {
      status: 'error',
      errorCode: code,
      diagnosis:
        `${what}: the database's answer did not verify (${message}); a proxy or the database served ` +
        `data that contradicts its signed tree, so nothing was learned about this line`,
      remedy:
        'do not trust this answer: audit again directly against the database (GOPROXY=direct) or through another ' +
        'proxy, and report the server if it persists',
    };
  }
  return {
    status: 'error',
    errorCode: code,
    diagnosis: `${what} could not be verified: ${message}`,
    remedy: 'run the audit again; if it persists, check GOPROXY and GOSUMDB (gosumdb doctor) and your network',
  };
}

/**
 * auditGoSum checks every line of one or more parsed go.sum files against the checksum database
 * through a verifying client (gosumdb/client's `Client`, or anything with its `lookup`, `latest`
 * and `signedTree`), and optionally against local copies and a go.mod's requirements. Each line
 * gets a status: `ok`; `mismatch` (the database has another hash, both shown); `not-found` (the
 * database answered 404/410); `skipped` (GONOSUMDB/GOPRIVATE with the pattern, GOSUMDB=off, an
 * unknown hash algorithm, or a line the go command ignores); `local-mismatch` (go.sum agrees with
 * the database, the local copy does not); or `error` (the answer could not be verified) — each
 * with a diagnosis and a remedy. Lookups run with bounded concurrency, one per module version
 * and kind; the report names the signed tree the answers were proved against. When the database's
 * latest tree cannot be fetched or does not verify, the lines are still answered (from trees
 * trusted before, e.g. through a cache) and the report's `latestError` says why: a verifier never
 * lets that failure pass unnoticed.
 *
 * @throws SecurityError (ERR_SECURITY) when the database is caught serving inconsistent trees:
 *   no answer from it can be trusted, so there is no per-line report; the abort reason when
 *   `signal` aborts; GosumdbError ERR_GOMOD_MALFORMED for a bad `goMod`.
 * @example
 * ```ts
 * import { auditGoSum, parseGoSum } from 'gosumdb/gosum';
 * // A stand-in for gosumdb/client's Client: a database that knows one module version.
 * const client = {
 *   lookup: async (path: string, version: string) => [`${path} ${version} h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=`],
 *   latest: async () => ({ tree: { n: 1, hash: new Uint8Array(32) }, note: new Uint8Array() }),
 *   signedTree: async () => undefined,
 * };
 * const sum = parseGoSum('rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n');
 * const report = await auditGoSum(sum, { client });
 * console.log(report.entries[0]!.status, report.summary.ok); // ok 1
 * ```
 */
export async function auditGoSum(gosum: GoSum | readonly GoSum[], options: AuditOptions): Promise<AuditReport> {
  const files: readonly GoSum[] = Array.isArray(gosum) ? gosum : [gosum as GoSum];
  if (options === null || typeof options !== 'object' || !options.client) throw new TypeError('auditGoSum needs options.client');
  const concurrency = options.concurrency ?? 16;
  checkIndex(concurrency, 'concurrency');
  if (concurrency < 1) throw new RangeError('concurrency must be at least 1');
  const { client } = options;
  const deadline = options.deadline;
  // Every wait below ends on the caller's abort (which throws) or on the deadline (which reports).
  const signal = options.signal && deadline ? AbortSignal.any([options.signal, deadline]) : (options.signal ?? deadline);
  const aborted = (e: unknown) => options.signal?.aborted === true && e === options.signal.reason;
  const timedOut = (e: unknown) => deadline?.aborted === true && e === deadline.reason;
  const noSumDB = options.noSumDB ?? '';
  const goModRequirements = options.goMod === undefined ? undefined : parseGoModRequirements(options.goMod);
  const all = files.flatMap((f) => f.lines.map((l) => ({ file: f.filename, l })));
  const verdicts: (Verdict | undefined)[] = new Array(all.length);
  let done = 0;
  let noLocalCopy = 0;
  const settle = (i: number, v: Verdict) => {
    verdicts[i] = v;
    options.onProgress?.(++done, all.length);
  };

  // Lines that need the database, grouped so that each module version and kind is asked once.
  const queries = new Map<string, number[]>();
  all.forEach(({ l }, i) => {
    const pattern = firstPattern(noSumDB, l.path);
    if (options.sumdbOff) settle(i, skipped('gosumdb-off', l));
    else if (pattern !== undefined) settle(i, skipped('gonosumdb', l, pattern));
    else if (l.ignoredByGo) settle(i, skipped('ignored-by-go', l));
    else if (l.algorithm !== 'h1') settle(i, skipped('unknown-algorithm', l));
    else {
      const key = `${l.path} ${l.version}${l.kind === 'go.mod' ? '/go.mod' : ''}`;
      const same = queries.get(key);
      if (same) same.push(i);
      else queries.set(key, [i]);
    }
  });

  let latestError: LatestError | undefined;
  // Set when the database cannot be reached at all: the lines left are not verified, for this reason.
  let stop: Verdict | undefined;
  const begun = Date.now();
  let fatal: unknown;
  // One module version and kind: ask the database once, then settle each of its lines.
  const check = async (indexes: readonly number[]): Promise<void> => {
    const first = all[indexes[0]!]!.l;
    const version = first.kind === 'go.mod' ? `${first.version}/go.mod` : first.version;
    let dbLines: string[] | undefined;
    let err: unknown;
    try {
      dbLines = await client.lookup(first.path, version, signal);
    } catch (e) {
      if (isGosumdbError(e, 'ERR_SECURITY') || aborted(e)) {
        fatal ??= e;
        return;
      }
      if (timedOut(e)) {
        stop ??= notReached(e);
        return;
      }
      // Unreachable or offline without any trusted tree (an empty cache): no line can be proved, say so once.
      if (notReached(e) !== undefined && (await client.signedTree().catch(() => undefined)) === undefined) {
        stop ??= notReached(e, true);
        return;
      }
      err = e;
    }
    for (const i of indexes) {
      const l = all[i]!.l;
      if (dbLines === undefined) {
        settle(i, failed(l, err));
        continue;
      }
      let local: string | undefined;
      try {
        local = options.localHash ? await options.localHash(l.path, l.version, l.kind, signal) : undefined;
      } catch (e) {
        if (aborted(e)) {
          fatal ??= e;
          return;
        }
        if (timedOut(e)) {
          stop ??= notReached(e);
          return;
        }
        settle(i, failed(l, e));
        continue;
      }
      if (options.localHash && local === undefined) noLocalCopy++;
      settle(i, fromDatabase(l, dbLines, local));
    }
  };
  // At most `concurrency` checks at once, started in go.sum order; none after a fatal error or a stop.
  // Without a trusted tree the first answer goes alone: if the database cannot be reached, that
  // one attempt says so for every line, instead of `concurrency` attempts at once.
  let alone = queries.size > 0 && (await client.signedTree().catch(() => undefined)) === undefined;
  const acquire = semaphore(concurrency);
  for (const indexes of queries.values()) {
    const release = await acquire(undefined);
    if (fatal !== undefined || stop !== undefined) {
      release();
      break;
    }
    if (alone) {
      alone = false;
      await check(indexes).catch((e: unknown) => {
        fatal ??= e;
      });
      release();
      continue;
    }
    void check(indexes)
      .catch((e: unknown) => {
        fatal ??= e;
      })
      .finally(release);
  }
  // Taking every slot back waits for the checks still running.
  for (let k = 0; k < concurrency; k++) await acquire(undefined);
  if (fatal !== undefined) throw fatal;
  // Answers must be proved against the database's current tree. A lookup answered by the database
  // brought one (as in Go); when every answer came from a cache, /latest is asked for it.
  if (queries.size > 0 && stop === undefined && (options.refreshLatest ?? true)) {
    try {
      await client.latest(signal, { since: begun });
    } catch (e) {
      // A fork or an abort ends the audit. Any other failure is kept for the report: the lines
      // answered (from a cache, against an older tree) must not hide it.
      if (isGosumdbError(e, 'ERR_SECURITY') || aborted(e)) throw e;
      // Every line is settled by now (no check was stopped), so the deadline too is kept here:
      // lines answered from a cache were proved only against an older tree.
      latestError = latestFailed(e, await client.signedTree().catch(() => undefined));
    }
  }
  if (stop !== undefined) for (let i = 0; i < all.length; i++) if (verdicts[i] === undefined) settle(i, stop);
  // A client that could not start (its remembered tree did not verify) trusts no tree; every
  // line that needed one already says why.
  const tree = queries.size > 0 ? await client.signedTree().catch(() => undefined) : undefined;

  const entries: AuditEntry[] = all.map(({ file, l }, i) => ({
    file,
    line: l.line,
    path: l.path,
    version: l.version,
    kind: l.kind,
    hash: l.hash,
    ...verdicts[i]!,
  }));
  const counts = Object.fromEntries(AUDIT_STATUSES.map((s) => [s, entries.filter((e) => e.status === s).length])) as Record<
    AuditStatus,
    number
  >;
  return {
    files: files.map((f) => f.filename),
    entries,
    summary: { total: entries.length, ...(options.localHash ? { noLocalCopy } : {}), ...counts },
    tree,
    ...(latestError ? { latestError } : {}),
    findings: files.flatMap((f) => f.findings),
    goMod: goModRequirements === undefined ? [] : checkGoModSums(goModRequirements, files),
  };
}
