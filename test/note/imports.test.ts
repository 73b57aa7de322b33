// Layering: src/note imports only src/internal and @noble/*, and src/note/ed25519.ts is the only
// importer of @noble/ed25519 in the whole source tree (DEVELOPERS.md, STYLE.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tsFiles } from '../helpers/files.js';

const root = resolve(import.meta.dirname, '../..');

// Doc comments hold example imports of 'gosumdb/...'; only real import statements count.
const importsOf = (file: string) =>
  [
    ...readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .matchAll(/^(?:import|export)[^'";]*from\s+'([^']+)'/gm),
  ].map((m) => m[1]!);

test('only src/note/ed25519.ts imports @noble/ed25519', () => {
  const importers = tsFiles(join(root, 'src'))
    .filter((f) => importsOf(f).some((s) => s.startsWith('@noble/ed25519')))
    .map((f) => relative(root, f));
  assert.deepEqual(importers, ['src/note/ed25519.ts']);
});

test('src/note depends only on src/internal and @noble/*', () => {
  const bad: string[] = [];
  for (const f of tsFiles(join(root, 'src/note'))) {
    for (const s of importsOf(f)) {
      const ok = s.startsWith('@noble/') || (s.startsWith('./') && !s.includes('/', 2)) || s.startsWith('../internal/');
      if (!ok) bad.push(`${relative(root, f)}: ${s}`);
    }
  }
  assert.deepEqual(bad, []);
});
