// Every public export is documented: each symbol reachable from a package entry point has a doc
// comment, and every function, class and constant has a runnable @example (run by examples.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };

// package.json "./x": dist/x/index.js  ->  src/x/index.ts
const entries = Object.entries(pkg.exports)
  .filter(([k]) => k !== './package.json')
  .map(([k]) => join(root, 'src', k === '.' ? 'index.ts' : `${k.slice(2)}/index.ts`));

const program = ts.createProgram(entries, {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
});
const checker = program.getTypeChecker();

for (const entry of entries) {
  test(`every export of ${entry.slice(root.length + 1)} is documented`, () => {
    const sf = program.getSourceFile(entry);
    assert.ok(sf, `${entry} exists`);
    const mod = checker.getSymbolAtLocation(sf);
    assert.ok(mod, `${entry} is a module`);
    const problems: string[] = [];
    for (const exp of checker.getExportsOfModule(mod)) {
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const docs = ts.displayPartsToString(sym.getDocumentationComment(checker)).trim();
      if (docs === '') {
        problems.push(`${exp.name}: no doc comment`);
        continue;
      }
      const needsExample = sym.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable);
      if (needsExample && !sym.getJsDocTags(checker).some((t) => t.name === 'example')) problems.push(`${exp.name}: no @example`);
    }
    assert.deepEqual(problems, []);
  });
}
