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
  const end = usualRecordEnd(text);
  if (end < 0) return undefined;
  const sp1 = text.indexOf(0x20);
  return [latin1(text.subarray(0, sp1)), latin1(text.subarray(sp1 + 1, end))];
}

/**
 * usualRecordEnd returns the length of `"<path> <version>"` at the start of a record of the
 * usual shape (both lines of one valid module version), else -1; it makes no string for the
 * plainest module versions, nearly all of them.
 */
export function usualRecordEnd(text: Uint8Array): number {
  const sp1 = text.indexOf(0x20);
  const sp2 = sp1 < 0 ? -1 : text.indexOf(0x20, sp1 + 1);
  if (sp2 < 0) return -1;
  const line2 = sp2 + 1 + hashLen + 1;
  if (text.length !== line2 + sp2 + goMod.length - 3 + hashLen + 1 || text[line2 - 1] !== 0x0a || text[text.length - 1] !== 0x0a) return -1;
  for (let i = 0; i < sp2; i++) if (text[line2 + i] !== text[i]) return -1;
  for (let i = 0; i < goMod.length - 3; i++) if (text[line2 + sp2 + i] !== goMod[i]) return -1;
  if (!isH1(text, sp2 + 1) || !isH1(text, line2 + sp2 + goMod.length - 3)) return -1;
  if (plainModuleVersion(text, sp1, sp2)) return sp2;
  return validModuleVersion(latin1(text.subarray(0, sp1)), latin1(text.subarray(sp1 + 1, sp2))) ? sp2 : -1;
}

// Bytes allowed in a plain module path: lower-case letters, digits, '-', '.' anywhere; upper-case
// letters and '_' outside the first element. 1: first element and others, 2: others only.
const plainPathByte = new Uint8Array(256);
for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789-.') plainPathByte[c.charCodeAt(0)] = 1;
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_') plainPathByte[c.charCodeAt(0)] = 2;
const gopkgIn = utf8('gopkg.in/');

// plainModuleVersion reports whether text[0:sp1] and text[sp1+1:sp2] are a module path and
// version of the plainest kind, read bytewise: a path of ASCII elements (no '~', a lower-case
// host, no major-version suffix, not gopkg.in) and a canonical v0 or v1 version
// ("vX.Y.Z", optionally a pre-release). true means module.Check accepts them and the version is
// canonical; false means "not sure": validModuleVersion decides. Measured: the module path and
// semver checks were about 40% of the monitor's CPU time on paths seen once.
function plainModuleVersion(text: Uint8Array, sp1: number, sp2: number): boolean {
  if (sp1 === 0 || text[0] === 0x2d) return false;
  let g = 0;
  while (g < gopkgIn.length && text[g] === gopkgIn[g]) g++;
  if (g === gopkgIn.length) return false;
  let first = true;
  let start = 0;
  let dot = -1;
  for (let i = 0; i <= sp1; i++) {
    const c = i === sp1 ? 0x2f : text[i]!;
    if (c !== 0x2f) {
      const k = plainPathByte[c]!;
      if (k === 0 || (k === 2 && first)) return false;
      if (c === 0x2e && dot < 0) dot = i;
      continue;
    }
    // One element text[start:i]: not empty, no leading or trailing dot, not a Windows device name.
    if (i === start || text[start] === 0x2e || text[i - 1] === 0x2e) return false;
    if (first && dot < 0) return false;
    if (windowsDevice(text, start, dot < 0 ? i : dot)) return false;
    first = false;
    start = i + 1;
    dot = -1;
  }
  // A last element "v" followed by digits and dots is a major-version suffix (or a bad one).
  const last = text.lastIndexOf(0x2f, sp1 - 1) + 1;
  if (last > 0 && text[last] === 0x76) {
    let i = last + 1;
    while (i < sp1 && (text[i] === 0x2e || (text[i]! >= 0x30 && text[i]! <= 0x39))) i++;
    if (i === sp1) return false;
  }
  return plainVersion(text, sp1 + 1, sp2);
}

// windowsDevice reports whether text[a:b] is CON, PRN, AUX, NUL, COM1-9 or LPT1-9 in any case
// (| 0x20 lowers ASCII letters and keeps the digits and '-' of a plain path).
function windowsDevice(text: Uint8Array, a: number, b: number): boolean {
  const s3 = b - a >= 3 ? String.fromCharCode(text[a]! | 0x20, text[a + 1]! | 0x20, text[a + 2]! | 0x20) : '';
  if (b - a === 3) return s3 === 'con' || s3 === 'prn' || s3 === 'aux' || s3 === 'nul';
  return b - a === 4 && (s3 === 'com' || s3 === 'lpt') && text[a + 3]! >= 0x31 && text[a + 3]! <= 0x39;
}

// plainVersion reports whether text[a:b] is "v0.Y.Z" or "v1.Y.Z", optionally "-" and a semver
// pre-release, with no build suffix: valid, canonical, and admitted without a path suffix.
function plainVersion(text: Uint8Array, a: number, b: number): boolean {
  if (b - a < 6 || text[a] !== 0x76 || (text[a + 1] !== 0x30 && text[a + 1] !== 0x31) || text[a + 2] !== 0x2e) return false;
  let i = a + 3;
  for (let part = 0; part < 2; part++) {
    const s = i;
    while (i < b && text[i]! >= 0x30 && text[i]! <= 0x39) i++;
    if (i === s || (text[s] === 0x30 && i - s > 1)) return false;
    if (part === 0) {
      if (text[i] !== 0x2e) return false;
      i++;
    }
  }
  if (i === b) return true;
  if (text[i] !== 0x2d) return false;
  // Pre-release: dot-separated identifiers of [0-9A-Za-z-], not empty, numeric ones without leading zeros.
  for (let s = ++i; ; s = ++i) {
    let numeric = true;
    while (i < b && text[i] !== 0x2e) {
      const c = text[i]!;
      const digit = c >= 0x30 && c <= 0x39;
      if (!digit && c !== 0x2d && !((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) return false;
      if (!digit) numeric = false;
      i++;
    }
    if (i === s || (numeric && text[s] === 0x30 && i - s > 1)) return false;
    if (i === b) return true;
  }
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
  const control = text.findIndex((c) => (c < 0x20 && c !== 0x0a) || c === 0x7f);
  if (control >= 0) return { ok: false, reason: `control character 0x${text[control]!.toString(16).padStart(2, '0')} at byte ${control}` };
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
