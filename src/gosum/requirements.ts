// The go.mod <-> go.sum checks of an audit: requirements that go.sum does not cover (the go command
// stops with "missing go.sum entry") and content lines a go 1.18+ go.mod does not need.

import type { GoModReplace, GoModRequire, GoModRequirements } from './gomod.js';
import { readByGo, type GoSum, type GoSumLine } from './parse.js';

/**
 * GoModFinding is a disagreement between go.mod and the go.sum files: a requirement that go.sum
 * does not cover (`missing-gomod-sum`, `missing-zip-sum`, located at the go.mod line), or a go.sum
 * content line that the go.mod does not need (`unneeded-zip-sum`, located at the go.sum line).
 */
export type GoModFinding = {
  readonly level: 'error' | 'info';
  readonly code: 'missing-gomod-sum' | 'missing-zip-sum' | 'unneeded-zip-sum';
  /** The file `line` is in: "go.mod", or the go.sum's filename for `unneeded-zip-sum`. */
  readonly file: string;
  /** 1-based line number in `file`. */
  readonly line: number;
  readonly path: string;
  readonly version: string;
  readonly message: string;
  readonly remedy: string;
};

// The replace directive that applies to a requirement: one for its exact version wins over one
// for every version (cmd/go's Replacement; it refuses conflicting duplicates).
function replacementOf(req: GoModRequirements, r: GoModRequire): GoModReplace | undefined {
  return (
    req.replaces.find((x) => x.oldPath === r.path && x.oldVersion === r.version) ??
    req.replaces.find((x) => x.oldPath === r.path && x.oldVersion === '')
  );
}

// The module version whose checksums a requirement needs; undefined for a directory replacement.
function needed(req: GoModRequirements, r: GoModRequire): { path: string; version: string } | undefined {
  const rep = replacementOf(req, r);
  if (!rep) return { path: r.path, version: r.version };
  // A replacement by a directory needs no checksum.
  return rep.newVersion === '' ? undefined : { path: rep.newPath, version: rep.newVersion };
}

// The pruned module graph (go 1.17) keeps go.mod complete: it lists every module that provides a
// package to the build, and go mod tidy keeps content hashes only for those (cmd/go's keepSums)
// plus, with go 1.17's default -compat=1.16, what go 1.16's unpruned graph needs. So from 1.18 on
// a content line for a module version that go.mod does not require (after replace) is one that
// go mod tidy removes.
function prunedWithoutCompat(go: string): boolean {
  const m = /^([0-9]+)\.([0-9]+)/.exec(go);
  if (!m) return false;
  const major = Number(m[1]);
  return major > 1 || (major === 1 && Number(m[2]) >= 18);
}

function isGoWorkSum(filename: string): boolean {
  return /(^|[/\\])go\.work\.sum$/.test(filename);
}

function checkUnneeded(req: GoModRequirements, sum: GoSum): GoModFinding[] {
  if (!prunedWithoutCompat(req.go) || isGoWorkSum(sum.filename)) return [];
  const keep = new Set<string>();
  for (const r of req.requires) {
    const m = needed(req, r);
    if (m) keep.add(`${m.path} ${m.version}`);
  }
  const out: GoModFinding[] = [];
  for (const l of sum.lines) {
    if (l.kind !== 'zip' || keep.has(`${l.path} ${l.version}`)) continue;
    const what = `${l.path}@${l.version}`;
    const same = req.requires.filter((r) => r.path === l.path);
    const exact = same.find((r) => r.version === l.version);
    let why: string;
    if (exact) {
      const rep = replacementOf(req, exact)!;
      why =
        rep.newVersion === ''
          ? `go.mod:${rep.line} replaces it with the directory ${rep.newPath}, which needs no checksum`
          : `go.mod:${rep.line} replaces it with ${rep.newPath}@${rep.newVersion}, whose content hash is the one builds check`;
    } else if (same.length > 0) {
      why = `go.mod (go ${req.go}) requires ${same.map((r) => `${r.path}@${r.version} (go.mod:${r.line})`).join(', ')}, not this version`;
    } else {
      why =
        `go.mod (go ${req.go}) does not require ${l.path}, and from go 1.17 on go.mod lists every module ` +
        `that provides a package to the build`;
    }
    out.push({
      level: 'info',
      code: 'unneeded-zip-sum',
      file: sum.filename,
      line: l.line,
      path: l.path,
      version: l.version,
      message: `${sum.filename}:${l.line}: the content hash of ${what} is not needed: ${why}`,
      remedy: 'go mod tidy drops the line; a leftover line is harmless to builds but widens what go.sum vouches for',
    });
  }
  return out;
}

function checkGoMod(req: GoModRequirements, lines: readonly GoSumLine[]): GoModFinding[] {
  // Only the lines the go command uses count.
  const have = new Set(lines.filter(readByGo).map((l) => `${l.path} ${l.version} ${l.kind}`));
  const out: GoModFinding[] = [];
  for (const r of req.requires) {
    const m = needed(req, r);
    if (!m) continue;
    const what = `${m.path}@${m.version}`;
    if (!have.has(`${m.path} ${m.version} go.mod`)) {
      out.push({
        level: 'error',
        code: 'missing-gomod-sum',
        file: 'go.mod',
        line: r.line,
        path: m.path,
        version: m.version,
        message:
          `go.mod:${r.line} requires ${what} but go.sum has no ${what}/go.mod line: the go command will ` +
          `stop with "missing go.sum entry"`,
        remedy: 'run go mod tidy (its new lines are checked against the checksum database) and audit again',
      });
    }
    if (!r.indirect && !have.has(`${m.path} ${m.version} zip`)) {
      const needed = 'building a package from it will need one';
      out.push({
        level: 'info',
        code: 'missing-zip-sum',
        file: 'go.mod',
        line: r.line,
        path: m.path,
        version: m.version,
        message: `go.mod:${r.line} requires ${what} directly but go.sum has no hash of its content; ${needed}`,
        remedy: 'run go mod tidy if builds report a missing go.sum entry',
      });
    }
  }
  return out;
}

/**
 * checkGoModSums compares a go.mod's requirements with the go.sum files audited with it: every
 * requirement's `/go.mod` line, direct requirements' content lines, and (go 1.18+, the first file
 * unless it is a go.work.sum) content lines the go.mod does not need.
 */
export function checkGoModSums(req: GoModRequirements, files: readonly GoSum[]): GoModFinding[] {
  const first = files[0];
  return [
    ...checkGoMod(
      req,
      files.flatMap((f) => f.lines),
    ),
    ...(first ? checkUnneeded(req, first) : []),
  ];
}
