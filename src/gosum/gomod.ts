// Just enough of go.mod to tell which module versions a go.sum must vouch for: the module line,
// the go directive, require and replace directives (single-line and blocks), with Go's comment
// and quoting rules.

import { GosumdbError } from '../internal/errors.js';
import { isSpace } from '../internal/bytes.js';

/** GoModRequire is one `require` of a go.mod file. */
export type GoModRequire = {
  readonly path: string;
  readonly version: string;
  /** Marked `// indirect`. */
  readonly indirect: boolean;
  /** 1-based line number. */
  readonly line: number;
};

/** GoModReplace is one `replace` directive: `old [version] => new [version]`; a new path without version is a directory. */
export type GoModReplace = {
  readonly oldPath: string;
  readonly oldVersion: string;
  readonly newPath: string;
  readonly newVersion: string;
  readonly line: number;
};

/** GoModRequirements is what {@link parseGoModRequirements} extracts from a go.mod file. */
export type GoModRequirements = {
  /** The module path of the `module` directive ("" if absent). */
  readonly module: string;
  /** The language version of the `go` directive ("1.21", "1.22.0", "1.23rc1"; "" if absent, which the go command reads as 1.16). */
  readonly go: string;
  readonly requires: readonly GoModRequire[];
  readonly replaces: readonly GoModReplace[];
};

// x/mod's modfile.GoVersionRE since the go 1.21 release format (1.21.0, 1.21rc1); older x/mod
// accepted only "1.N".
const goVersionRE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;

function malformed(file: string, line: number, reason: string): GosumdbError {
  return new GosumdbError('ERR_GOMOD_MALFORMED', `${file}:${line}: ${reason}`);
}

// Splits one line into tokens and its trailing comment: tokens are separated by white space,
// may be "double-quoted" (with \ escapes) or `back-quoted`, and "//" starts a comment.
function tokenize(s: string, file: string, line: number): { tokens: string[]; comment: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (isSpace(c.codePointAt(0)!)) {
      i++;
    } else if (s.startsWith('//', i)) {
      return { tokens, comment: s.slice(i + 2).trim() };
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      let out = '';
      while (j < s.length && s[j] !== c) {
        if (c === '"' && s[j] === '\\' && j + 1 < s.length) j++;
        out += s[j]!;
        j++;
      }
      if (j >= s.length) throw malformed(file, line, 'unterminated quoted string');
      tokens.push(out);
      i = j + 1;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < s.length && !isSpace(s.codePointAt(j)!) && !s.startsWith('//', j) && s[j] !== '(' && s[j] !== ')') j++;
      tokens.push(s.slice(i, j));
      i = j;
    }
  }
  return { tokens, comment: '' };
}

/**
 * parseGoModRequirements reads the module path, the `go` directive and the `require` and
 * `replace` directives of a go.mod file (both single-line and parenthesised blocks, quoted paths,
 * `// indirect` markers) and ignores the other directives. It is a small reader for audits, not a
 * full go.mod parser. The `go` version is checked as the go command checks the main module's
 * (x/mod's modfile, strict mode).
 *
 * @throws GosumdbError `ERR_GOMOD_MALFORMED` ("go.mod:7: ...") for unbalanced blocks, unterminated
 *   quotes, require/replace lines of the wrong shape, and a repeated or invalid `go` directive.
 * @example
 * ```ts
 * import { parseGoModRequirements } from 'gosumdb/gosum';
 * const m = parseGoModRequirements(
 *   'module example.com/m\n\ngo 1.21\n\nrequire (\n\trsc.io/quote v1.5.2\n\tgolang.org/x/text v0.3.0 // indirect\n)\n',
 * );
 * console.log(m.module, m.go, m.requires.map((r) => `${r.path}@${r.version}${r.indirect ? ' indirect' : ''}`));
 * // example.com/m 1.21 [ 'rsc.io/quote@v1.5.2', 'golang.org/x/text@v0.3.0 indirect' ]
 * ```
 */
export function parseGoModRequirements(text: string, options: { readonly filename?: string } = {}): GoModRequirements {
  if (typeof text !== 'string') throw new TypeError('go.mod text must be a string');
  const file = options.filename ?? 'go.mod';
  let module = '';
  let go = '';
  let goLine = 0;
  const requires: GoModRequire[] = [];
  const replaces: GoModReplace[] = [];
  let block: string | undefined;
  let blockLine = 0;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const { tokens, comment } = tokenize(raw, file, line);
    if (tokens.length === 0) return;
    let verb: string;
    let args: string[];
    if (block !== undefined) {
      if (tokens[0] === ')') {
        if (tokens.length > 1) throw malformed(file, line, 'unexpected text after )');
        block = undefined;
        return;
      }
      verb = block;
      args = tokens;
    } else {
      verb = tokens[0]!;
      args = tokens.slice(1);
      if (args[0] === '(') {
        if (args.length > 1) throw malformed(file, line, `unexpected text after ${verb} (`);
        block = verb;
        blockLine = line;
        return;
      }
    }
    if (verb === 'module' && block === undefined) {
      if (args.length !== 1) throw malformed(file, line, 'usage: module module/path');
      module = args[0]!;
    } else if (verb === 'go' && block === undefined) {
      // modfile's wording.
      if (goLine !== 0) throw malformed(file, line, 'repeated go statement');
      if (args.length !== 1) throw malformed(file, line, 'go directive expects exactly one argument');
      if (!goVersionRE.test(args[0]!)) throw malformed(file, line, `invalid go version '${args[0]}': must match format 1.23.0`);
      go = args[0]!;
      goLine = line;
    } else if (verb === 'require') {
      if (args.length !== 2) throw malformed(file, line, 'usage: require module/path v1.2.3');
      requires.push({ path: args[0]!, version: args[1]!, indirect: /^indirect(;|$)/.test(comment), line });
    } else if (verb === 'replace') {
      const arrow = args.indexOf('=>');
      const before = args.slice(0, arrow);
      const after = args.slice(arrow + 1);
      if (arrow < 1 || before.length > 2 || after.length < 1 || after.length > 2) {
        throw malformed(
          file,
          line,
          'usage: replace module/path [v1.2.3] => other/module v1.4 or replace module/path [v1.2.3] => ../local/directory',
        );
      }
      replaces.push({ oldPath: before[0]!, oldVersion: before[1] ?? '', newPath: after[0]!, newVersion: after[1] ?? '', line });
    }
  });
  if (block !== undefined) throw malformed(file, blockLine, `${block} block is not closed`);
  return { module, go, requires, replaces };
}
