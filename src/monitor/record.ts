import { errorMessage } from '../internal/errors.js';
import { goQuote } from '../internal/quote.js';
import { parseGoSum } from '../gosum/parse.js';
import type { RecordLineKind } from './findings.js';

/** RecordLine is one go.sum line of a well-formed record. */
export type RecordLine = { readonly path: string; readonly version: string; readonly kind: RecordLineKind };

/** ParsedRecord is a record read as go.sum lines, or why it cannot be. */
export type ParsedRecord =
  | { readonly ok: true; readonly path: string; readonly version: string; readonly lines: readonly RecordLine[] }
  | { readonly ok: false; readonly reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * parseRecordText reads a log record as the checksum database writes them: go.sum lines
 * `<path> <version>[/go.mod] h1:<hash>`, single spaces, for one valid module version, each line
 * once. go.sum syntax is checked by the go.sum parser (module path, canonical version, hash).
 */
export function parseRecordText(text: Uint8Array): ParsedRecord {
  let s: string;
  try {
    s = decoder.decode(text);
  } catch {
    return { ok: false, reason: 'invalid UTF-8' };
  }
  let sum;
  try {
    sum = parseGoSum(text, { filename: 'record' });
  } catch (e) {
    return { ok: false, reason: errorMessage(e).replace(/^malformed go.sum:\nrecord:/, 'line ') };
  }
  const first = sum.lines[0];
  if (first === undefined) return { ok: false, reason: 'no go.sum lines' };
  const rows = s.split('\n');
  for (const l of sum.lines) {
    if (l.path !== first.path || l.version !== first.version) {
      return { ok: false, reason: `line ${l.line}: ${l.path}@${l.version} in a record for ${first.path}@${first.version}` };
    }
    if (rows[l.line - 1] !== `${l.path} ${l.version}${l.kind === 'go.mod' ? '/go.mod' : ''} ${l.hash}`) {
      return { ok: false, reason: `line ${l.line}: not in go.sum line format` };
    }
  }
  if (rows.length !== sum.lines.length + 1) return { ok: false, reason: 'blank line' };
  const repeated = sum.findings.find((f) => f.code === 'duplicate' || f.code === 'conflict');
  if (repeated) return { ok: false, reason: `line ${repeated.line}: repeats line ${repeated.firstLine ?? 0}` };
  return { ok: true, path: first.path, version: first.version, lines: sum.lines.map((l) => ({ path: l.path, version: l.version, kind: l.kind })) };
}

/** quoteRecord returns a record's text Go-quoted (printable), cut to its first 300 bytes. */
export function quoteRecord(text: Uint8Array): string {
  const cut = text.length > 300;
  const s = new TextDecoder().decode(cut ? text.subarray(0, 300) : text);
  return goQuote(s) + (cut ? '...' : '');
}
