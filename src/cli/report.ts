// Rendering of audit, mirror and security results for people (a compact table) and for programs
// (JSON, extending gosumdb/gosum's versioned audit document). No verdicts are made here; they come
// from the library.
import { decodeUtf8 } from '../internal/bytes.js';
import { MESSAGE_MAX, printable } from '../internal/quote.js';
import { formatSecurityError, type MirrorReport, type SecurityError, type SignedTree } from '../client/index.js';
import { AUDIT_JSON_VERSION, auditReportJSON, type AuditEntry, type AuditReport, type AuditStatus } from '../gosum/index.js';
import { formatHash } from '../tlog/index.js';
import { VERSION } from '../version.js';
import { isSecurityCode } from './errors.js';
import { EXIT, type ExitCode } from './exit.js';
import type { Paint } from './flags.js';

const statuses: readonly AuditStatus[] = ['ok', 'mismatch', 'not-found', 'skipped', 'local-mismatch', 'error'];

/**
 * nothingVerified says why an audit of some lines verified none of them (every line skipped, or
 * none could be checked), or is undefined when at least one line was verified or there was none.
 */
function nothingVerified(report: AuditReport): string | undefined {
  const s = report.summary;
  if (s.total === 0 || s.ok > 0) return undefined;
  if (s.skipped === s.total) {
    const reasons = [...new Set(report.entries.map((e) => (e.skipReason === 'gonosumdb' ? `GONOSUMDB/GOPRIVATE pattern "${e.pattern ?? ''}"` : (e.skipReason ?? ''))))];
    return `nothing was verified: every line was skipped (${reasons.slice(0, 5).join(', ')}${reasons.length > 5 ? ', ...' : ''})`;
  }
  return 'nothing was verified: no line could be checked against the checksum database';
}

/**
 * auditExitCode is 0 when every line was verified or deliberately skipped and at least one was
 * verified, 1 otherwise (GOSUMDB=off or every line skipped verifies nothing: 1; the latest tree
 * could not be read: 1), and 3 when a line's error or the latest tree's shows the server lied (a
 * tile, record or proof that contradicts the signed tree, a bad signature by the database key).
 */
export function auditExitCode(report: AuditReport): ExitCode {
  const latest = report.latestError?.errorCode;
  if (latest !== undefined && isSecurityCode(latest)) return EXIT.security;
  if (report.entries.some((e) => e.errorCode !== undefined && isSecurityCode(e.errorCode))) return EXIT.security;
  const bad = latest !== undefined || report.entries.some((e) => (e.status !== 'ok' && e.status !== 'skipped') || e.skipReason === 'gosumdb-off');
  return bad || nothingVerified(report) !== undefined ? EXIT.problems : EXIT.ok;
}

// Entries that are not ok, grouped by identical verdict: a database that could not be reached or
// a deadline gives every line the same diagnosis, said once with the lines it concerns.
function problemGroups(entries: readonly AuditEntry[]): AuditEntry[][] {
  const groups = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    if (e.status === 'ok') continue;
    const key = `${e.status}\n${e.diagnosis}\n${e.remedy}`;
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()];
}

// "go.sum:1-3,7, go.work.sum:2": line numbers as ranges per file, at most 8 ranges each.
function locations(entries: readonly AuditEntry[]): string {
  const byFile = new Map<string, number[]>();
  for (const e of entries) {
    const lines = byFile.get(e.file);
    if (lines) lines.push(e.line);
    else byFile.set(e.file, [e.line]);
  }
  const out: string[] = [];
  for (const [file, lines] of byFile) {
    lines.sort((a, b) => a - b);
    const ranges: string[] = [];
    for (let i = 0; i < lines.length; ) {
      let j = i;
      while (j + 1 < lines.length && lines[j + 1]! <= lines[j]! + 1) j++;
      ranges.push(lines[i] === lines[j] ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
      i = j + 1;
    }
    out.push(`${file}:${ranges.slice(0, 8).join(',')}${ranges.length > 8 ? `,... (${ranges.length - 8} more ranges)` : ''}`);
  }
  return out.join(', ');
}

function label(e: AuditEntry): string {
  return `${e.path}@${e.version}`;
}

function note(e: AuditEntry): string {
  switch (e.status) {
    case 'ok':
      return '';
    case 'mismatch':
      return `database has ${e.dbHash ?? `no ${e.hash.split(':')[0]} hash`}`;
    case 'not-found':
      return 'not in the checksum database';
    case 'skipped':
      return e.skipReason === 'gonosumdb' ? `GONOSUMDB/GOPRIVATE pattern ${e.pattern ?? ''}` : (e.skipReason ?? '');
    case 'local-mismatch':
      return `local copy hashes to ${e.localHash ?? '?'}`;
    case 'error':
      return e.errorCode ?? '';
  }
}

function paintStatus(paint: Paint, s: AuditStatus): string {
  const padded = s.padEnd(14);
  if (s === 'ok') return paint('green', padded);
  if (s === 'skipped') return paint('yellow', padded);
  return paint('red', padded);
}

/** treeLine names the signed tree answers were proved against: database, size and hash. */
export function treeLine(name: string, tree: SignedTree | undefined): string {
  if (tree === undefined) return `no signed tree of ${name || 'a checksum database'} was consulted`;
  return `proved against ${name} tree #${tree.tree.n} (hash ${formatHash(tree.tree.hash)})`;
}

/** AuditTextOptions select what {@link renderAuditText} shows. */
export type AuditTextOptions = {
  /** List every line in the table, not only the ones that are not ok. */
  readonly all: boolean;
  readonly paint: Paint;
  /** The database name, for the tree line. */
  readonly dbName: string;
};

/** renderAuditText renders an audit as a compact table, a summary, the signed tree and a diagnosis and remedy per line that is not ok. */
export function renderAuditText(report: AuditReport, o: AuditTextOptions): string {
  const { paint } = o;
  const groups = problemGroups(report.entries);
  // Without --all, a group's lines are one row of the table, not one row each.
  const grouped = new Set(o.all ? [] : groups.filter((g) => g.length > 1).flat());
  const shown = report.entries.filter((e) => (o.all || e.status !== 'ok') && !grouped.has(e));
  const rows = [
    ...shown.map((e) => ({ status: e.status, module: label(e), kind: e.kind, note: note(e) })),
    ...groups.filter((g) => g.length > 1 && !o.all).map((g) => ({ status: g[0]!.status, module: `(${g.length} lines)`, kind: '', note: note(g[0]!) })),
  ];
  const out: string[] = [];
  if (rows.length > 0) {
    let width = 16;
    for (const r of rows) width = Math.max(width, r.module.length);
    width = Math.min(100, width);
    out.push(paint('bold', `${'STATUS'.padEnd(14)}  ${'MODULE'.padEnd(width)}  ${'KIND'.padEnd(6)}  NOTE`));
    for (const r of rows) out.push(`${paintStatus(paint, r.status)}  ${r.module.padEnd(width)}  ${r.kind.padEnd(6)}  ${r.note}`.trimEnd());
    out.push('');
  }
  const s = report.summary;
  const parts = statuses.filter((st) => s[st] > 0).map((st) => `${s[st]} ${st}`);
  const files = [...new Set(report.entries.map((e) => e.file))];
  const local = s.noLocalCopy ? `; ${s.noLocalCopy} had no local copy to compare` : '';
  out.push(`${s.total} go.sum line${s.total === 1 ? '' : 's'} in ${files.length === 0 ? 'no file' : files.join(', ')}: ${parts.join(', ') || 'nothing to check'}${local}`);
  out.push(treeLine(o.dbName, report.tree));
  const latest = report.latestError;
  if (latest) {
    out.push(`${paint('red', `the latest signed tree of ${o.dbName} ${latest.unverified ? 'did not verify' : 'could not be read'}`)}: ${latest.errorCode}`);
    out.push(`    ${printable(latest.diagnosis, { lines: true, max: MESSAGE_MAX })}`, `    remedy: ${latest.remedy}`);
  }
  const why = nothingVerified(report);
  if (why !== undefined) out.push(paint('red', why));
  if (groups.length > 0) {
    out.push('');
    for (const g of groups) {
      const e = g[0]!;
      const where = g.length === 1 ? `${e.file}:${e.line}` : `${locations(g)} (${g.length} lines)`;
      out.push(`${where}: ${paint(e.status === 'skipped' ? 'yellow' : 'red', e.status)}: ${printable(e.diagnosis, { lines: true, max: MESSAGE_MAX })}`);
      if (e.remedy !== '') out.push(`    remedy: ${e.remedy}`);
    }
  }
  const findings = [...report.findings.map((f) => ({ level: f.level, message: f.message })), ...report.goMod.map((f) => ({ level: f.level, message: `${f.message} (${f.remedy})` }))];
  if (findings.length > 0) {
    out.push('');
    for (const f of findings) out.push(`${f.level}: ${printable(f.message, { lines: true, max: MESSAGE_MAX })}`);
  }
  return `${out.join('\n')}\n`;
}

// The shape of auditReportJSON's tree: size, base64 hash, the signed note's text.
function signedTreeJson(t: SignedTree | undefined) {
  if (t === undefined) return null;
  return { n: t.tree.n, hash: formatHash(t.tree.hash), note: decodeUtf8(t.note) ?? '' };
}

/** securityJson is the evidence of a fork as JSON: both signed notes, the disputed hash, the proof and the go command's report. */
export function securityJson(e: SecurityError) {
  const ev = e.evidence;
  return {
    message: e.message,
    older: signedTreeJson(ev.older),
    newer: signedTreeJson(ev.newer),
    olderHashInNewer: formatHash(ev.olderHashInNewer),
    proof: ev.proof.map(formatHash),
    ...(ev.proofError === undefined ? {} : { proofError: ev.proofError }),
    report: formatSecurityError(ev),
  };
}

/** mirrorsJson renders a mirror check as JSON. */
export function mirrorsJson(m: MirrorReport) {
  return {
    schema: 'gosumdb/mirrors',
    version: 1,
    consistent: true,
    largest: signedTreeJson(m.largest),
    largestFrom: m.largestFrom ?? null,
    endpoints: m.endpoints.map((r) => ({
      name: r.name,
      tree: signedTreeJson(r.tree),
      ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
    })),
  };
}

/** renderMirrorsText renders a mirror check: one line per endpoint, then the verdict. */
export function renderMirrorsText(m: MirrorReport, paint: Paint): string {
  const out: string[] = [];
  for (const r of m.endpoints) {
    if (r.tree) out.push(`${paint('green', 'ok   ')}  ${r.name}: tree #${r.tree.tree.n} (hash ${formatHash(r.tree.tree.hash)})`);
    else out.push(`${paint('red', 'error')}  ${printable(r.error?.message ?? `${r.name}: no tree`, { lines: true, max: MESSAGE_MAX })}`);
  }
  const good = m.endpoints.filter((r) => r.tree).length;
  if (m.largest) out.push(`${good} of ${m.endpoints.length} endpoints serve signed trees consistent with tree #${m.largest.tree.n} from ${m.largestFrom}`);
  else out.push('no endpoint served a verifiable signed tree');
  return `${out.join('\n')}\n`;
}

/** mirrorsExitCode is 0 when every endpoint served a verified, consistent tree, 1 when some could not be read. */
export function mirrorsExitCode(m: MirrorReport): ExitCode {
  return m.endpoints.every((r) => r.tree !== undefined) ? EXIT.ok : EXIT.problems;
}

/**
 * auditJson is the `gosumdb audit --json` document: gosumdb/gosum's `auditReportJSON` (schema
 * `gosumdb/audit`, its `version`), plus what only the command knows: the tool, the files, the exit
 * code, the database name, the mirror check and, on exit 3, the fork evidence.
 */
export function auditJson(
  report: AuditReport | undefined,
  extra: { dbName: string; files: readonly string[]; exitCode: ExitCode; mirrors?: MirrorReport | undefined; security?: SecurityError | undefined },
) {
  const base = report
    ? auditReportJSON(report)
    : { schema: 'gosumdb/audit', version: AUDIT_JSON_VERSION, summary: null, tree: null, latestError: null, entries: [], findings: [], goMod: [] };
  return {
    ...base,
    tool: `gosumdb ${VERSION}`,
    files: extra.files,
    exitCode: extra.exitCode,
    database: extra.dbName,
    mirrors: extra.mirrors ? mirrorsJson(extra.mirrors) : null,
    security: extra.security ? securityJson(extra.security) : null,
  };
}
