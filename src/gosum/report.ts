// Renderings of an audit report: a stable JSON document (the CLI's --json) and plain text for people.

import { encodeBase64, decodeUtf8 } from '../internal/bytes.js';
import { MESSAGE_MAX, printable } from '../internal/quote.js';
import type { AuditEntry, AuditReport, AuditStatus } from './audit.js';

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
  /** The signed tree the answers were proved against: size, hash (base64) and the signed note's text; null if the database was not consulted. */
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
 * console.log(JSON.stringify(auditReportJSON(report).tree)); // {"n":1,"hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","note":"go.sum database tree\n1\n..."}
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

const order: readonly AuditStatus[] = ['mismatch', 'local-mismatch', 'not-found', 'error', 'skipped', 'ok'];

/**
 * formatAuditText renders a report for a terminal: one line per problem (status, module version,
 * file:line) with its diagnosis and remedy, then the go.sum and go.mod findings, then a summary
 * line and the tree the answers were proved against. `ok` lines are listed only with `verbose`.
 *
 * @example
 * ```ts
 * import { formatAuditText } from 'gosumdb/gosum';
 * console.log(formatAuditText({
 *   entries: [], findings: [], goMod: [], tree: undefined,
 *   summary: { total: 0, ok: 0, mismatch: 0, 'not-found': 0, skipped: 0, 'local-mismatch': 0, error: 0 },
 * }));
 * // 0 lines: 0 ok
 * ```
 */
export function formatAuditText(report: AuditReport, options: { readonly verbose?: boolean } = {}): string {
  const out: string[] = [];
  const shown = report.entries
    .filter((e) => options.verbose || e.status !== 'ok')
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  for (const e of shown) {
    out.push(`${e.status.toUpperCase().padEnd(14)} ${e.path}@${e.version}${e.kind === 'go.mod' ? '/go.mod' : ''}  (${e.file}:${e.line})`);
    if (e.status === 'ok') continue;
    out.push(`    ${printable(e.diagnosis, { lines: true, max: MESSAGE_MAX })}`);
    if (e.remedy !== '') out.push(`    fix: ${e.remedy}`);
  }
  for (const f of report.findings) out.push(`${f.level.toUpperCase().padEnd(14)} ${printable(f.message, { lines: true, max: MESSAGE_MAX })}`);
  for (const f of report.goMod) out.push(`${f.level.toUpperCase().padEnd(14)} ${f.message}`, `    fix: ${f.remedy}`);
  const s = report.summary;
  const parts = [`${s.ok} ok`, ...order.filter((k) => k !== 'ok' && s[k] > 0).map((k) => `${s[k]} ${k}`)];
  out.push(`${s.total} line${s.total === 1 ? '' : 's'}: ${parts.join(', ')}`);
  if (report.tree) out.push(`proved against tree size ${report.tree.tree.n}, hash ${encodeBase64(report.tree.tree.hash)}`);
  if (report.latestError) out.push(`LATEST TREE    ${report.latestError.diagnosis}`, `    fix: ${report.latestError.remedy}`);
  return out.join('\n');
}
