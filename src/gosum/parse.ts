// go.sum and go.work.sum files: "<module path> <version>[/go.mod] <algorithm>:<hash>" lines, as
// the go command writes them (cmd/go/internal/modfetch). The go command itself only insists on
// three fields per line, and (Go 1.19) stops reading at the first line without them, silently
// ignoring the rest of the file. This parser refuses such a file and also checks each field,
// because an audit that silently skips a line it cannot read would pass a file it never verified.

import { decodeBase64, decodeUtf8, fields } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { canonicalVersion, check } from '../module/index.js';

/** GoSumKind says what a go.sum line hashes: the module zip, or only its go.mod file. */
export type GoSumKind = 'zip' | 'go.mod';

/** GoSumLine is one checksum line of a go.sum file. */
export type GoSumLine = {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly path: string;
  /** The module version, without the "/go.mod" suffix. */
  readonly version: string;
  readonly kind: GoSumKind;
  /** The hash field as written, such as "h1:" and 44 base64 characters. */
  readonly hash: string;
  /** The hash algorithm, the text before the first ":" ("h1"). */
  readonly algorithm: string;
  /** True for lines the go command drops when it reads go.sum (the bogus empty-go.mod hash). */
  readonly ignoredByGo: boolean;
};

/** GoSumFindingCode names something worth reporting in a well-formed go.sum. */
export type GoSumFindingCode = 'duplicate' | 'conflict' | 'unknown-algorithm' | 'empty-gomod-hash';

/** GoSumFinding is one remark about a go.sum file that parsed. */
export type GoSumFinding = {
  readonly level: 'error' | 'warning' | 'info';
  readonly code: GoSumFindingCode;
  /** The line the finding is about. */
  readonly line: number;
  /** For duplicates and conflicts: the earlier line with the same module version and kind. */
  readonly firstLine?: number;
  readonly message: string;
};

/** GoSum is a parsed go.sum (or go.work.sum) file. */
export type GoSum = {
  /** The name used in messages and findings. */
  readonly filename: string;
  /** Every checksum line, in file order (blank lines are not included). */
  readonly lines: readonly GoSumLine[];
  readonly findings: readonly GoSumFinding[];
};

/**
 * GoSumSyntaxError reports a go.sum line that cannot be read, with the file name and line number
 * (code `ERR_GOSUM_MALFORMED`). The message has the go command's shape:
 * "malformed go.sum:\ngo.sum:3: wrong number of fields 2".
 *
 * @example
 * ```ts
 * import { parseGoSum, GoSumSyntaxError } from 'gosumdb/gosum';
 * try { parseGoSum('rsc.io/quote v1.5.2\n'); } catch (e) {
 *   if (e instanceof GoSumSyntaxError) console.log(e.file, e.line, e.reason); // go.sum 1 wrong number of fields 2
 * }
 * ```
 */
export class GoSumSyntaxError extends GosumdbError {
  /** The file name given to the parser. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** What is wrong with the line. */
  readonly reason: string;

  constructor(file: string, line: number, reason: string, options?: { cause?: unknown }) {
    super('ERR_GOSUM_MALFORMED', `malformed go.sum:\n${file}:${line}: ${reason}`, options);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/**
 * EMPTY_GOMOD_HASH is the h1 hash of a tree holding one empty go.mod file. An old go command bug
 * wrote it into go.sum files for non-modules; the go command drops such lines when it reads go.sum.
 *
 * @example
 * ```ts
 * import { EMPTY_GOMOD_HASH } from 'gosumdb/gosum';
 * console.log(EMPTY_GOMOD_HASH.startsWith('h1:')); // true
 * ```
 */
export const EMPTY_GOMOD_HASH = 'h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=';

function splitLines(text: string | Uint8Array, file: string): string[] {
  if (typeof text === 'string') return text.split('\n');
  // A newline byte is never inside a UTF-8 sequence, so the file is valid UTF-8 exactly when every
  // line is; only an invalid file is decoded line by line, to name the line.
  const whole = decodeUtf8(text);
  if (whole !== undefined) return whole.split('\n');
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== 0x0a) continue;
    const s = decodeUtf8(text.subarray(start, i));
    if (s === undefined) throw new GoSumSyntaxError(file, out.length + 1, 'invalid UTF-8');
    out.push(s);
    start = i + 1;
  }
  return out;
}

function parseLine(f: readonly string[], file: string, line: number): GoSumLine {
  const [path, field2, hash] = f as [string, string, string];
  const kind: GoSumKind = field2.endsWith('/go.mod') ? 'go.mod' : 'zip';
  const version = kind === 'go.mod' ? field2.slice(0, -'/go.mod'.length) : field2;
  try {
    check(path, version);
  } catch (e) {
    throw new GoSumSyntaxError(file, line, (e as Error).message, { cause: e });
  }
  if (canonicalVersion(version) !== version) {
    throw new GoSumSyntaxError(file, line, `${path}@${version}: non-canonical version (want ${canonicalVersion(version)})`);
  }
  const colon = hash.indexOf(':');
  if (colon <= 0 || colon === hash.length - 1) throw new GoSumSyntaxError(file, line, `malformed hash ${hash}`);
  const algorithm = hash.slice(0, colon);
  if (algorithm === 'h1') {
    const sum = decodeBase64(hash.slice(3), { strict: true, skipNewlines: false });
    if (sum === undefined || sum.length !== 32) {
      throw new GoSumSyntaxError(file, line, `malformed h1 hash ${hash}: want base64 of 32 bytes`);
    }
  }
  return { line, path, version, kind, hash, algorithm, ignoredByGo: hash === EMPTY_GOMOD_HASH };
}

/**
 * parseGoSum reads a go.sum or go.work.sum file. Lines are split on "\n" and their fields on
 * Unicode white space, as the go command does; blank lines are skipped. Beyond the go command's
 * three-field rule, every line must name a valid module path and canonical version (with an
 * optional "/go.mod" suffix) whose major version fits the path, and an `h1:` hash must be the
 * base64 of 32 bytes. Hashes of other algorithms are kept and reported (the go command ignores
 * them), as are duplicate lines, conflicting lines (same module version, kind and algorithm,
 * different hash: one of them cannot verify) and the bogus empty-go.mod hash the go command drops.
 *
 * Where the go command meets a line without three fields it stops reading and ignores the rest of
 * the file without a word (Go 1.19; checked by the interop suite); parseGoSum throws instead.
 *
 * @param text - The file contents; bytes must be UTF-8.
 * @param options.filename - The name used in messages (default "go.sum").
 * @throws GoSumSyntaxError (code `ERR_GOSUM_MALFORMED`, with `file` and `line`) for the first bad line.
 * @example
 * ```ts
 * import { parseGoSum } from 'gosumdb/gosum';
 * const sum = parseGoSum(
 *   'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n' +
 *   'rsc.io/quote v1.5.2/go.mod h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=\n',
 * );
 * console.log(sum.lines.map((l) => `${l.path}@${l.version} ${l.kind}`)); // [ 'rsc.io/quote@v1.5.2 zip', 'rsc.io/quote@v1.5.2 go.mod' ]
 * ```
 */
export function parseGoSum(text: string | Uint8Array, options: { readonly filename?: string } = {}): GoSum {
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) throw new TypeError('go.sum text must be a string or Uint8Array');
  const file = options.filename ?? 'go.sum';
  const lines: GoSumLine[] = [];
  const findings: GoSumFinding[] = [];
  const seen = new Map<string, GoSumLine>();
  splitLines(text, file).forEach((s, i) => {
    const f = fields(s);
    if (f.length === 0) return;
    if (f.length !== 3) throw new GoSumSyntaxError(file, i + 1, `wrong number of fields ${f.length}`);
    const l = parseLine(f, file, i + 1);
    lines.push(l);
    const at = `${file}:${l.line}`;
    const what = `${l.path}@${l.version}${l.kind === 'go.mod' ? '/go.mod' : ''}`;
    if (l.ignoredByGo) {
      findings.push({
        level: 'warning',
        code: 'empty-gomod-hash',
        line: l.line,
        message: `${at}: ${what} has the hash of an empty go.mod, written by an old go command bug; the go command ignores this line`,
      });
    }
    if (l.algorithm !== 'h1') {
      findings.push({
        level: 'warning',
        code: 'unknown-algorithm',
        line: l.line,
        message: `${at}: ${what} uses unknown hash algorithm ${JSON.stringify(l.algorithm)}; the go command ignores it`,
      });
    }
    // A line the go command drops (the empty-go.mod hash) conflicts with nothing: it is not read.
    if (l.ignoredByGo) return;
    const key = `${l.path} ${l.version} ${l.kind} ${l.algorithm}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, l);
    } else if (first.hash === l.hash) {
      findings.push({
        level: 'info',
        code: 'duplicate',
        line: l.line,
        firstLine: first.line,
        message: `${at}: ${what} repeats line ${first.line}`,
      });
    } else {
      findings.push({
        level: 'error',
        code: 'conflict',
        line: l.line,
        firstLine: first.line,
        message: `${at}: ${what} has hash ${l.hash} but line ${first.line} has ${first.hash}; at most one of them can verify`,
      });
    }
  });
  return { filename: file, lines, findings };
}

// readByGo reports whether the go command uses the line: an h1 hash it does not drop (the bogus
// empty-go.mod hash) and whose algorithm it knows.
export function readByGo(l: GoSumLine): boolean {
  return l.algorithm === 'h1' && !l.ignoredByGo;
}

// distinctLines returns the lines the go command reads for path@version, one per distinct hash
// of each kind, in file order: a conflicting second line is there to be compared, not hidden
// behind the first.
export function distinctLines(sums: readonly GoSum[], path: string, version: string): { zip: GoSumLine[]; mod: GoSumLine[] } {
  const out = { zip: [] as GoSumLine[], mod: [] as GoSumLine[] };
  for (const s of sums) {
    for (const l of s.lines) {
      if (l.path !== path || l.version !== version || !readByGo(l)) continue;
      const list = l.kind === 'zip' ? out.zip : out.mod;
      if (!list.some((o) => o.hash === l.hash)) list.push(l);
    }
  }
  return out;
}
