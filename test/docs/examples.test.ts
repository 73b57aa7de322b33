// Runs every TypeScript example the docs show: ```ts blocks in README.md, in the reference pages
// docs/*.md and in the TSDoc `@example` blocks of src/. Imports of 'gosumdb' and 'gosumdb/<area>' are pointed at src/ so the
// examples run against the code under test, offline.
//
// Examples are tests of their output, as Go's `// Output:` comments are. The comment that follows a
// `console.log(...)` call states what the call prints: a `// text` on the line where the call ends,
// or, if that line has none, the whole-line `//` comments directly below it (one per printed line;
// a remark goes above the call). Every call must state its output and print exactly that, however
// often it runs (all its runs' lines, in order; a call that never runs prints nothing).
// Runs of white space compare equal, so an object util.inspect wraps over several lines may be
// stated on one. The marker `…` in a stated output matches any text (for a timing, a temporary
// path); use it only where the output really varies. Any other console.log output fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import ts from 'typescript';
import { tsFiles } from '../helpers/files.js';

const root = resolve(import.meta.dirname, '../..');

type Example = { where: string; code: string };

function fenced(text: string, where: (line: number) => string): Example[] {
  const out: Example[] = [];
  const re = /```(?:ts|typescript)\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ where: where(line), code: m[1]! });
  }
  return out;
}

/** docPages lists the reference pages (typedoc.json's projectDocuments). */
function docPages(): string[] {
  return readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
}

function examples(): Example[] {
  const pages = ['README.md', ...docPages().map((f) => `docs/${f}`)];
  const out = pages.flatMap((p) => fenced(readFileSync(join(root, p), 'utf8'), (l) => `${p}:${l}`));
  for (const file of tsFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const c of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      if (!c[0].includes('@example')) continue;
      const body = c[0]
        .split('\n')
        .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ''))
        .join('\n');
      const base = text.slice(0, c.index).split('\n').length;
      out.push(...fenced(body, (l) => `${relative(root, file)}:${base + l - 1}`));
    }
  }
  return out;
}

function pointAtSources(code: string): string {
  return code.replace(/from '(gosumdb(?:\/[a-z]+)?)'/g, (_, spec: string) => {
    const sub = spec === 'gosumdb' ? 'index.ts' : `${spec.slice('gosumdb/'.length)}/index.ts`;
    return `from '${pathToFileURL(join(root, 'src', sub)).href}'`;
  });
}

/** A console.log call in an example: where its callee is and what its comment says it prints. */
type LogCall = { start: number; end: number; line: number; stated: string[] | undefined };

/** logCalls finds the example's console.log calls and the output each one states. */
function logCalls(code: string): LogCall[] {
  const sf = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const comments = new Map<number, { line: number; text: string; whole: boolean }>();
  const collect = (n: ts.Node): void => {
    const kids = n.getChildren(sf);
    if (kids.length > 0) {
      kids.forEach(collect);
      return;
    }
    for (const r of [...(ts.getLeadingCommentRanges(code, n.pos) ?? []), ...(ts.getTrailingCommentRanges(code, n.end) ?? [])]) {
      if (r.kind !== ts.SyntaxKind.SingleLineCommentTrivia || comments.has(r.pos)) continue;
      const { line, character } = sf.getLineAndCharacterOfPosition(r.pos);
      const whole = code.slice(r.pos - character, r.pos).trim() === '';
      comments.set(r.pos, { line, text: code.slice(r.pos + 2, r.end).replace(/^ /, ''), whole });
    }
  };
  collect(sf);
  const calls: LogCall[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.getText(sf) === 'console.log') {
      const line = sf.getLineAndCharacterOfPosition(n.end).line;
      const trailing = [...comments].find(([pos, c]) => c.line === line && pos >= n.end)?.[1];
      const stated = trailing ? [trailing.text] : [];
      for (let l = line + 1; !trailing; l++) {
        const c = [...comments.values()].find((x) => x.line === l && x.whole);
        if (!c) break;
        stated.push(c.text);
      }
      calls.push({ start: n.expression.getStart(sf), end: n.expression.end, line: line + 1, stated: stated.length ? stated : undefined });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return calls;
}

/** instrument points each console.log call at the recorder slot of its index. */
function instrument(code: string, calls: readonly LogCall[]): string {
  let out = code;
  for (let i = calls.length - 1; i >= 0; i--) {
    const c = calls[i]!;
    out = `${out.slice(0, c.start)}__exampleLog[${i}]${out.slice(c.end)}`;
  }
  return out;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** matches compares printed output with the stated one: white space runs equal, `…` any text. */
function matches(printed: string, stated: string): boolean {
  const want = squash(stated)
    .split('…')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${want.join('.*')}$`, 's').test(squash(printed));
}

const all = examples();
const dir = mkdtempSync(join(tmpdir(), 'gosumdb-examples-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const slots = globalThis as unknown as { __exampleLog?: ((...args: unknown[]) => void)[] };

test('the docs have examples', () => {
  assert.ok(all.length > 0);
  for (const page of ['README.md', 'docs/dirhash.md', 'docs/client.md', 'docs/monitor.md']) {
    assert.ok(
      all.some((e) => e.where.startsWith(`${page}:`)),
      `${page} has examples`,
    );
  }
});

test('every reference page is in the API docs and linked from the README', () => {
  const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { projectDocuments?: string[] };
  assert.deepEqual(config.projectDocuments, ['docs/*.md']);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const page of docPages()) assert.ok(readme.includes(`(docs/${page}`), `README.md links docs/${page}`);
});

test('stated outputs: trailing and following comments, white space and … compare loosely', () => {
  const code = "console.log(1); // 1\n// remark\nconsole.log('a\\nb');\n// a\n// b\nconsole.log(2);\n\n// remark\nx(); // remark\n";
  assert.deepEqual(
    logCalls(code).map((c) => c.stated),
    [['1'], ['a', 'b'], undefined],
  );
  assert.ok(matches("[\n  'a',\n  'b'\n]", "[ 'a', 'b' ]"));
  assert.ok(matches('took 12 ms', 'took … ms'));
  assert.ok(!matches('took 12 ms', 'took 13 ms'));
  assert.ok(!matches('', 'true PeterNeumann'));
  assert.ok(!matches('a.c', 'abc'));
});

all.forEach((ex, i) => {
  test(`example at ${ex.where} prints what it states`, async () => {
    const calls = logCalls(ex.code);
    const printed = calls.map((): string[] => []);
    const file = join(dir, `example-${i}.mts`); // .mts: ESM, so examples may use top-level await
    writeFileSync(file, `${pointAtSources(instrument(ex.code, calls))}\nexport {};\n`);
    const stray: string[] = [];
    const log = console.log;
    slots.__exampleLog = calls.map(
      (_, k) =>
        (...args: unknown[]) =>
          printed[k]!.push(format(...args)),
    );
    console.log = (...args: unknown[]) => stray.push(format(...args));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      console.log = log;
      delete slots.__exampleLog;
    }
    assert.deepEqual(stray, [], `${ex.where}: prints through something other than a console.log call it states`);
    calls.forEach((c, k) => {
      const got = printed[k]!.join('\n');
      const at = `${ex.where} (example line ${c.line})`;
      if (c.stated === undefined) assert.fail(`${at}: console.log states no output; it printed:\n${got}`);
      assert.ok(
        matches(got, c.stated.join('\n')),
        `${at}:\nstated:  ${c.stated.join('\n         ')}\nprinted: ${got.split('\n').join('\n         ')}`,
      );
    });
  });
});
