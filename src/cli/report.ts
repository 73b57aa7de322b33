// Exit statuses and JSON documents of audit, mirror and security results (extending gosumdb/gosum's
// versioned audit document), and the mirror check's text; the audit's text is gosumdb/gosum's
// formatAuditText. No verdicts are made here; they come from the library.
import { decodeUtf8 } from '../internal/bytes.js';
import { MESSAGE_MAX, printable } from '../internal/quote.js';
import { formatSecurityError, type MirrorReport, type SecurityError, type SignedTree } from '../client/index.js';
import { AUDIT_JSON_VERSION, auditReportJSON, type AuditReport } from '../gosum/index.js';
import { nothingVerified } from '../gosum/report.js';
import { formatHash } from '../tlog/index.js';
import { VERSION } from '../version.js';
import { isSecurityCode } from './errors.js';
import { EXIT, type ExitCode } from './exit.js';
import { stateOffNote, type Paint } from './flags.js';

/**
 * auditExitCode is 0 when every line was verified or deliberately skipped and at least one was
 * verified, 1 otherwise (GOSUMDB=off or every line skipped verifies nothing: 1; the latest tree
 * could not be read: 1; an error-level finding, such as a go.mod requirement without its go.sum
 * line: 1), and 3 when a line's error or the latest tree's shows the server lied (a
 * tile, record or proof that contradicts the signed tree, a bad signature by the database key).
 */
export function auditExitCode(report: AuditReport): ExitCode {
  const latest = report.latestError?.errorCode;
  if (latest !== undefined && isSecurityCode(latest)) return EXIT.security;
  if (report.entries.some((e) => e.errorCode !== undefined && isSecurityCode(e.errorCode))) return EXIT.security;
  const bad =
    latest !== undefined ||
    report.entries.some((e) => (e.status !== 'ok' && e.status !== 'skipped') || e.skipReason === 'gosumdb-off') ||
    [...report.findings, ...report.goMod].some((f) => f.level === 'error');
  return bad || nothingVerified(report) !== undefined ? EXIT.problems : EXIT.ok;
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

/**
 * mirrorsJson renders a mirror check as JSON: `consistent` when at least one endpoint served a
 * verified tree and all that did are consistent (a fork is exit 3, with `security` instead).
 */
export function mirrorsJson(m: MirrorReport) {
  return {
    schema: 'gosumdb/mirrors',
    version: 1,
    consistent: m.largest !== undefined,
    exitCode: mirrorsExitCode(m),
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
  if (m.largest)
    out.push(
      `${good} of ${m.endpoints.length} endpoints serve signed trees consistent with tree #${m.largest.tree.n} from ${m.largestFrom}`,
    );
  else out.push('no endpoint served a verifiable signed tree');
  return `${out.join('\n')}\n`;
}

/**
 * mirrorsExitCode is 0 when every endpoint served a verified, consistent tree, 3 when one served
 * what the key's signature or the proofs contradict (a bad signature by the key), 1 when some
 * could not be read.
 */
export function mirrorsExitCode(m: MirrorReport): ExitCode {
  if (m.endpoints.some((r) => r.error !== undefined && isSecurityCode(r.error.code))) return EXIT.security;
  return m.endpoints.every((r) => r.tree !== undefined) ? EXIT.ok : EXIT.problems;
}

/**
 * auditJson is the `gosumdb audit --json` document: gosumdb/gosum's `auditReportJSON` (schema
 * `gosumdb/audit`, its `version`), plus what only the command knows: the tool, the files, the exit
 * code, the database name, the mirror check, on exit 3 the fork evidence, and where the latest
 * tree is remembered between runs (`state`; `remembered: false` with --no-state).
 */
export function auditJson(
  report: AuditReport | undefined,
  extra: {
    dbName: string;
    files: readonly string[];
    exitCode: ExitCode;
    mirrors?: MirrorReport | undefined;
    security?: SecurityError | undefined;
    /** Where the latest tree is remembered between runs; undefined with --no-state. */
    stateDir: string | undefined;
  },
) {
  const base = report
    ? auditReportJSON(report)
    : {
        schema: 'gosumdb/audit',
        version: AUDIT_JSON_VERSION,
        summary: null,
        tree: null,
        latestError: null,
        entries: [],
        findings: [],
        goMod: [],
      };
  return {
    ...base,
    tool: `gosumdb ${VERSION}`,
    files: extra.files,
    exitCode: extra.exitCode,
    database: extra.dbName,
    mirrors: extra.mirrors ? mirrorsJson(extra.mirrors) : null,
    security: extra.security ? securityJson(extra.security) : null,
    state: extra.stateDir === undefined ? { remembered: false, dir: null, note: stateOffNote } : { remembered: true, dir: extra.stateDir },
  };
}

/**
 * writeJson writes `JSON.stringify(value, null, 2)` and a newline to `write` in pieces of about
 * 64 KiB: the members of the top-level object and the elements of its arrays are stringified one
 * by one, so that a report of 20 000 lines is never one string (with its copy for the pipe, that
 * was about 25 MB of the audit's peak memory). Same bytes as JSON.stringify for plain data.
 */
export function writeJson(write: (s: string) => void, value: unknown): void {
  let buf = '';
  const put = (s: string) => {
    buf += s;
    if (buf.length >= 1 << 16) {
      write(buf);
      buf = '';
    }
  };
  // A nested value's own lines, indented to its depth.
  const nested = (v: unknown, pad: string) => JSON.stringify(v, null, 2).replaceAll('\n', `\n${pad}`);
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
  if (!isObject(value)) {
    write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  // JSON.stringify leaves out members whose value is undefined, a function or a symbol.
  const members = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (members.length === 0) {
    write('{}\n');
    return;
  }
  put('{\n');
  members.forEach(([k, v], i) => {
    put(`  ${JSON.stringify(k)}: `);
    if (Array.isArray(v) && v.length > 0) {
      put('[\n');
      v.forEach((e, j) => {
        // In an array, JSON.stringify writes undefined, functions and symbols as null.
        const x = e === undefined || typeof e === 'function' || typeof e === 'symbol' ? null : e;
        put(`    ${nested(x, '    ')}${j < v.length - 1 ? ',' : ''}\n`);
      });
      put('  ]');
    } else put(nested(v, '  '));
    put(i < members.length - 1 ? ',\n' : '\n');
  });
  put('}\n');
  write(buf);
}
