// The layering DEVELOPERS.md promises, checked on every import in src/: one-way dependencies
// between areas, and node:* / undici only in the Node adapters and the CLI, so the core runs in
// browsers and Deno.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { tsFiles } from '../helpers/files.js';

const src = resolve(import.meta.dirname, '../../src');

// area -> areas it may import ('.' is the top-level files: index.ts, version.ts).
const allowed: Record<string, readonly string[]> = {
  '.': ['internal'],
  internal: [],
  module: ['internal'],
  note: ['internal'],
  tlog: ['internal'],
  dirhash: ['internal', 'module'],
  zip: ['internal', 'module', 'dirhash'],
  client: ['.', 'internal', 'module', 'note', 'tlog'],
  server: ['internal', 'module', 'note', 'tlog', 'client'],
  gosum: ['internal', 'module', 'dirhash', 'zip', 'note', 'tlog', 'client'],
  conformance: ['internal', 'module', 'dirhash', 'zip', 'note', 'tlog', 'client', 'server', 'gosum'],
  monitor: ['internal', 'module', 'note', 'tlog', 'client', 'gosum'],
  node: ['.', 'internal', 'module', 'dirhash', 'zip', 'note', 'tlog', 'client', 'server', 'gosum', 'monitor'],
  cli: ['.', 'internal', 'module', 'dirhash', 'zip', 'note', 'tlog', 'client', 'server', 'gosum', 'conformance', 'node', 'monitor'],
};
const platformAreas = new Set(['node', 'cli']);

function areaOf(file: string): string {
  const rel = relative(src, file).split(sep);
  return rel.length === 1 ? '.' : rel[0]!;
}

test('every area of src/ is in the layering table', () => {
  const areas = new Set(tsFiles(src).map(areaOf));
  assert.deepEqual(
    [...areas].filter((a) => !(a in allowed)),
    [],
  );
});

test('imports between areas go one way only, and only node/cli touch the platform', () => {
  const problems: string[] = [];
  for (const file of tsFiles(src)) {
    const from = areaOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      const where = `${relative(src, file)}: ${spec}`;
      if (spec.startsWith('.')) {
        const to = areaOf(resolve(dirname(file), spec));
        if (to !== from && !allowed[from]!.includes(to)) problems.push(`${where} (${from} -> ${to})`);
      } else if (spec.startsWith('node:') || spec === 'undici' || spec.startsWith('undici/')) {
        if (!platformAreas.has(from)) problems.push(`${where} (platform import outside node/cli)`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('only src/note/ed25519.ts imports @noble/ed25519', () => {
  const importers = tsFiles(src).filter((f) => /from '@noble\/ed25519'/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(
    importers.map((f) => relative(src, f)),
    [join('note', 'ed25519.ts')],
  );
});
