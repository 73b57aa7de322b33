import { latin1, utf8 } from '../internal/bytes.js';
import { errorMessage } from '../internal/errors.js';
import { goQuote } from '../internal/quote.js';
import { canonicalVersion, checkPath, checkPathMajor, semver, splitPathVersion } from '../module/index.js';
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
  const mv = usualRecord(text);
  if (mv !== undefined) {
    const [path, version] = mv;
    return {
      ok: true,
      path,
      version,
      lines: [
        { path, version, kind: 'zip' },
        { path, version, kind: 'go.mod' },
      ],
    };
  }
  return parseRecordSlowly(text);
}

// Nearly every record is the zip and go.mod lines of one module version, single spaces, strict
// base64 h1 hashes: "P V h1:H\nP V/go.mod h1:H\n", H 43 characters and '=' (the last character
// carries two zero bits). Measured: reading that shape bytewise, with each module path checked
// once, took record parsing from about half of the monitor's CPU time to a small part; anything
// else goes through the go.sum parser.
const b64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') b64[c.charCodeAt(0)] = 1;
const lastB64 = new Uint8Array(256);
for (const c of 'AEIMQUYcgkosw048') lastB64[c.charCodeAt(0)] = 1;
const goMod = utf8(' /go.mod h1:').subarray(1);
const hashLen = 47; // "h1:" + 44

function isH1(text: Uint8Array, at: number): boolean {
  if (text[at] !== 0x68 || text[at + 1] !== 0x31 || text[at + 2] !== 0x3a || text[at + 46] !== 0x3d) return false;
  for (let i = at + 3; i < at + 45; i++) if (b64[text[i]!] !== 1) return false;
  return lastB64[text[at + 45]!] === 1;
}

/** usualRecord returns the module version of a record of the usual shape, else undefined. */
export function usualRecord(text: Uint8Array): [string, string] | undefined {
  const sp1 = text.indexOf(0x20);
  const sp2 = sp1 < 0 ? -1 : text.indexOf(0x20, sp1 + 1);
  if (sp2 < 0) return undefined;
  const line2 = sp2 + 1 + hashLen + 1;
  if (text.length !== line2 + sp2 + goMod.length - 3 + hashLen + 1 || text[line2 - 1] !== 0x0a || text[text.length - 1] !== 0x0a)
    return undefined;
  for (let i = 0; i < sp2; i++) if (text[line2 + i] !== text[i]) return undefined;
  for (let i = 0; i < goMod.length - 3; i++) if (text[line2 + sp2 + i] !== goMod[i]) return undefined;
  if (!isH1(text, sp2 + 1) || !isH1(text, line2 + sp2 + goMod.length - 3)) return undefined;
  const path = latin1(text.subarray(0, sp1));
  const version = latin1(text.subarray(sp1 + 1, sp2));
  return validModuleVersion(path, version) ? [path, version] : undefined;
}

// Module paths already checked, with their major-version suffix (a path has many versions).
const checkedPaths = new Map<string, string>();

function validModuleVersion(path: string, version: string): boolean {
  try {
    let pathMajor = checkedPaths.get(path);
    if (pathMajor === undefined) {
      checkPath(path);
      pathMajor = splitPathVersion(path).pathMajor;
      if (checkedPaths.size >= 65536) checkedPaths.clear();
      checkedPaths.set(path, pathMajor);
    }
    if (!semver.isValid(version)) return false;
    checkPathMajor(version, pathMajor);
  } catch {
    return false;
  }
  return canonicalVersion(version) === version;
}

/** parseRecordSlowly is {@link parseRecordText} through the go.sum parser alone, for any record. */
export function parseRecordSlowly(text: Uint8Array): ParsedRecord {
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
  return {
    ok: true,
    path: first.path,
    version: first.version,
    lines: sum.lines.map((l) => ({ path: l.path, version: l.version, kind: l.kind })),
  };
}

/** quoteRecord returns a record's text Go-quoted (printable), cut to its first 300 bytes. */
export function quoteRecord(text: Uint8Array): string {
  const cut = text.length > 300;
  const s = new TextDecoder().decode(cut ? text.subarray(0, 300) : text);
  return goQuote(s) + (cut ? '...' : '');
}
