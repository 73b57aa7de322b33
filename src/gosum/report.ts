// Renderings of an audit report: a stable JSON document (the CLI's --json) and the one text report
// for people (what `gosumdb audit` prints).

import type { SignedTree } from '../client/index.js';
import { encodeBase64, decodeUtf8 } from '../internal/bytes.js';
import { MESSAGE_MAX, printable } from '../internal/quote.js';
import { formatHash } from '../tlog/index.js';
import { AUDIT_STATUSES, skipDiagnosis, type AuditEntry, type AuditReport, type AuditStatus } from './audit.js';

/**
 * AUDIT_JSON_VERSION is the schema version of {@link auditReportJSON}; it changes only when a
 * field changes meaning or goes away, so consumers can refuse documents they do not understand.
 *
 * @example
 * ```ts
 * import { AUDIT_JSON_VERSION } from 'gosumdb/gosum';
 * console.log(AUDIT_JSON_VERSION); // 1
 * ```
 */
export const AUDIT_JSON_VERSION = 1;

/** AuditJSON is the stable JSON form of an {@link AuditReport} (schema version {@link AUDIT_JSON_VERSION}). */
export type AuditJSON = {
  readonly schema: 'gosumdb/audit';
  readonly version: number;
  readonly summary: AuditReport['summary'];
  /**
   * The signed tree the answers were proved against: size, hash (base64) and the signed note's text; null if the
   * database was not consulted.
   */
  readonly tree: { readonly n: number; readonly hash: string; readonly note: string } | null;
  /** Why the database's latest tree could not be fetched or verified; null when it was (or was not asked for). */
  readonly latestError: NonNullable<AuditReport['latestError']> | null;
  readonly entries: readonly AuditEntry[];
  readonly findings: AuditReport['findings'];
  readonly goMod: AuditReport['goMod'];
};

/**
 * auditReportJSON returns the report as plain JSON data with a schema name and version: byte
 * fields become text (the tree hash in base64, the signed note as its UTF-8 text), entries keep
 * their fields (absent optional fields are left out). This is what `gosumdb audit --json` prints.
 *
 * @example
 * ```ts
 * import { auditReportJSON, auditGoSum, parseGoSum } from 'gosumdb/gosum';
 * const client = {
 *   lookup: async (p: string, v: string) => [`${p} ${v} h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=`],
 *   latest: async () => ({ tree: { n: 1, hash: new Uint8Array(32) }, note: new Uint8Array() }),
 *   signedTree: async () => ({ tree: { n: 1, hash: new Uint8Array(32) }, note: new TextEncoder().encode('go.sum database tree\n1\n...') }),
 * };
 * const report = await auditGoSum(parseGoSum('rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n'), { client });
 * console.log(JSON.stringify(auditReportJSON(report).tree));
 * // {"n":1,"hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","note":"go.sum database tree\n1\n..."}
 * ```
 */
export function auditReportJSON(report: AuditReport): AuditJSON {
  const t = report.tree;
  return {
    schema: 'gosumdb/audit',
    version: AUDIT_JSON_VERSION,
    summary: report.summary,
    tree: t === undefined ? null : { n: t.tree.n, hash: encodeBase64(t.tree.hash), note: decodeUtf8(t.note) ?? encodeBase64(t.note) },
    latestError: report.latestError ?? null,
    entries: report.entries,
    findings: report.findings,
    goMod: report.goMod,
  };
}

/**
 * nothingVerified says why an audit of some lines verified none of them (every line skipped, or
 * none could be checked), or is undefined when at least one line was verified or there was none.
 */
export function nothingVerified(report: AuditReport): string | undefined {
  const s = report.summary;
  if (s.total === 0 || s.ok > 0) return undefined;
  if (s.skipped === s.total) {
    const reasons = [
      ...new Set(
        report.entries.map((e) =>
          e.skipReason === 'gonosumdb' ? `GONOSUMDB/GOPRIVATE pattern "${e.pattern ?? ''}"` : (e.skipReason ?? ''),
        ),
      ),
    ];
    return `nothing was verified: every line was skipped (${reasons.slice(0, 5).join(', ')}${reasons.length > 5 ? ', ...' : ''})`;
  }
  return 'nothing was verified: no line could be checked against the checksum database';
}

// Entries that are not ok, grouped by identical verdict: a database that could not be reached or
// a deadline gives every line the same diagnosis, said once with the lines it concerns.
function problemGroups(entries: readonly AuditEntry[]): AuditEntry[][] {
  const groups = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    if (e.status === 'ok') continue;
    // Skipped lines share a diagnosis when they share the reason, whatever the module.
    const why =
      e.status === 'skipped'
        ? `${e.skipReason}\n${e.pattern ?? ''}\n${e.skipReason === 'unknown-algorithm' ? algorithm(e) : ''}`
        : e.diagnosis;
    const key = `${e.status}\n${why}\n${e.remedy}`;
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

function algorithm(e: AuditEntry): string {
  return e.hash.slice(0, Math.max(0, e.hash.indexOf(':')));
}

// What a group of lines has in common: the diagnosis of its one line, or its skip reason said once.
function groupDiagnosis(g: readonly AuditEntry[]): string {
  const e = g[0]!;
  if (g.length === 1 || e.status !== 'skipped' || e.skipReason === undefined) return e.diagnosis;
  return skipDiagnosis(e.skipReason, undefined, e.pattern, algorithm(e));
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

function paintStatus(paint: AuditPaint, s: AuditStatus): string {
  const padded = s.padEnd(14);
  if (s === 'ok') return paint('green', padded);
  if (s === 'skipped') return paint('yellow', padded);
  return paint('red', padded);
}

/** treeLine names the signed tree answers were proved against: database, size and hash (also for `gosumdb lookup`). */
export function treeLine(name: string, tree: SignedTree | undefined): string {
  if (tree === undefined) return `no signed tree of ${name || 'a checksum database'} was consulted`;
  return `proved against ${name || 'the checksum database'} tree #${tree.tree.n} (hash ${formatHash(tree.tree.hash)})`;
}

/** AuditPaint colours a word for a terminal (the CLI honours NO_COLOR); the default paints nothing. */
export type AuditPaint = (color: 'red' | 'green' | 'yellow' | 'bold', s: string) => string;

/** AuditTextOptions select what {@link formatAuditText} shows. */
export type AuditTextOptions = {
  /** List every line in the table, not only the ones that are not ok (default false). */
  readonly all?: boolean;
  /** Colours words for a terminal (default: no colour). */
  readonly paint?: AuditPaint;
  /** The database's name, for the tree line (default: "the checksum database"). */
  readonly dbName?: string;
  /** What this run did not check, one line each after the tree line (e.g. that cross-run fork detection is off). */
  readonly caveats?: readonly string[];
};

/**
 * formatAuditText renders a report for people, as `gosumdb audit` prints it: a table of the lines
 * that are not ok (all lines with `all`; lines sharing one verdict, such as an unreachable
 * database, as one row), a summary per status, the signed tree the answers were proved against,
 * then each problem's file:line, diagnosis and remedy, then the go.sum and go.mod findings. The
 * text ends with a newline; text from outside (diagnoses quoting a server) is made printable.
 *
 * @example
 * ```ts
 * import { formatAuditText } from 'gosumdb/gosum';
 * console.log(formatAuditText({
 *   entries: [], findings: [], goMod: [], tree: undefined,
 *   summary: { total: 0, ok: 0, mismatch: 0, 'not-found': 0, skipped: 0, 'local-mismatch': 0, error: 0 },
 * }));
 * // 0 go.sum lines in no file: nothing to check
 * // no signed tree of a checksum database was consulted
 * ```
 */
export function formatAuditText(report: AuditReport, options: AuditTextOptions = {}): string {
  const paint: AuditPaint = options.paint ?? ((_c, s) => s);
  const o = { all: options.all ?? false, dbName: options.dbName ?? '' };
  const groups = problemGroups(report.entries);
  // Without --all, a group's lines are one row of the table, not one row each.
  const grouped = new Set(o.all ? [] : groups.filter((g) => g.length > 1).flat());
  const shown = report.entries.filter((e) => (o.all || e.status !== 'ok') && !grouped.has(e));
  const rows = [
    ...shown.map((e) => ({ status: e.status, module: label(e), kind: e.kind, note: note(e) })),
    ...groups
      .filter((g) => g.length > 1 && !o.all)
      .map((g) => ({ status: g[0]!.status, module: `(${g.length} lines)`, kind: '', note: note(g[0]!) })),
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
  const parts = AUDIT_STATUSES.filter((st) => s[st] > 0).map((st) => `${s[st]} ${st}`);
  const files = report.files ?? [...new Set(report.entries.map((e) => e.file))];
  const local = s.noLocalCopy ? `; ${s.noLocalCopy} had no local copy to compare` : '';
  out.push(
    `${s.total} go.sum line${s.total === 1 ? '' : 's'} in ${files.length === 0 ? 'no file' : files.join(', ')}: ` +
      `${parts.join(', ') || 'nothing to check'}${local}`,
  );
  out.push(treeLine(o.dbName, report.tree));
  for (const c of options.caveats ?? []) out.push(paint('yellow', c));
  const latest = report.latestError;
  if (latest) {
    out.push(
      `${paint('red', `the latest signed tree of ${o.dbName} ${latest.unverified ? 'did not verify' : 'could not be read'}`)}: ` +
        `${latest.errorCode}`,
    );
    out.push(`    ${printable(latest.diagnosis, { lines: true, max: MESSAGE_MAX })}`, `    remedy: ${latest.remedy}`);
  }
  const why = nothingVerified(report);
  if (why !== undefined) out.push(paint('red', why));
  if (groups.length > 0) {
    out.push('');
    for (const g of groups) {
      const e = g[0]!;
      const where = g.length === 1 ? `${e.file}:${e.line}` : `${locations(g)} (${g.length} lines)`;
      out.push(
        `${where}: ${paint(e.status === 'skipped' ? 'yellow' : 'red', e.status)}: ` +
          `${printable(groupDiagnosis(g), { lines: true, max: MESSAGE_MAX })}`,
      );
      if (e.remedy !== '') out.push(`    remedy: ${e.remedy}`);
    }
  }
  const findings = [
    ...report.findings.map((f) => ({ level: f.level, message: f.message })),
    ...report.goMod.map((f) => ({ level: f.level, message: `${f.message} (${f.remedy})` })),
  ];
  if (findings.length > 0) {
    out.push('');
    for (const f of findings) out.push(`${f.level}: ${printable(f.message, { lines: true, max: MESSAGE_MAX })}`);
  }
  return `${out.join('\n')}\n`;
}
