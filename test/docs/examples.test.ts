// Runs every TypeScript example the docs show: ```ts blocks in README.md and in the TSDoc
// `@example` blocks of src/. Imports of 'gosumdb' and 'gosumdb/<area>' are pointed at src/ so the
// examples run against the code under test, offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
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

function examples(): Example[] {
  const out = fenced(readFileSync(join(root, 'README.md'), 'utf8'), (l) => `README.md:${l}`);
  for (const file of tsFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const c of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      if (!c[0].includes('@example')) continue;
      const body = c[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '')).join('\n');
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

const all = examples();
const dir = mkdtempSync(join(tmpdir(), 'gosumdb-examples-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('the docs have examples', () => {
  assert.ok(all.length > 0);
});

all.forEach((ex, i) => {
  test(`example at ${ex.where} runs`, async () => {
    const file = join(dir, `example-${i}.mts`); // .mts: ESM, so examples may use top-level await
    writeFileSync(file, `${pointAtSources(ex.code)}\nexport {};\n`);
    const log = console.log;
    console.log = () => {};
    try {
      await import(pathToFileURL(file).href);
    } finally {
      console.log = log;
    }
  });
});
