// No source line is longer than 140 characters. Biome's lineWidth (biome.json) wraps the code it
// formats, but leaves long strings, comments and TSDoc examples alone: those are split by hand
// (strings with +, comments rewrapped), and this test keeps them so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const MAX = 140;

/** sources lists the script files under dir, leaving out fixtures, caches and build output. */
function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    if (e.startsWith('.') || e === 'fixtures' || e === 'node_modules' || e === 'bin') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|mts|mjs|js|cjs)$/.test(e)) out.push(p);
  }
  return out;
}

test(`no line in src/, test/, bench/, scripts/, examples/ or vectors/gen/ is longer than ${MAX} characters`, () => {
  const files = ['src', 'test', 'bench', 'scripts', 'examples', 'vectors/gen'].flatMap((d) => sources(join(root, d)));
  assert.ok(files.length > 100, `${files.length} files`);
  const long: string[] = [];
  for (const f of files) {
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length > MAX) long.push(`${relative(root, f)}:${i + 1}: ${line.length} characters`);
      });
  }
  assert.deepEqual(long, []);
});
