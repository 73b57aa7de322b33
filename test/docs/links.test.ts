// The README and the reference pages (docs/*.md) link to each other: every relative link names a
// file that exists and, with a #fragment into a Markdown file, a heading it has (GitHub's anchors,
// which typedoc's pages use too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const pages = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f)),
];

/** anchor is GitHub's id for a heading: lower case, punctuation dropped, spaces as dashes. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** prose is a page without its fenced code blocks, where a ](x) is code, not a link. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

function anchors(file: string): Set<string> {
  const headings = prose(readFileSync(file, 'utf8')).match(/^#+ .*$/gm) ?? [];
  return new Set(headings.map((h) => anchor(h.replace(/^#+ /, ''))));
}

test('anchors are GitHub heading ids', () => {
  assert.equal(anchor('Audit a go.sum'), 'audit-a-gosum');
  assert.equal(anchor('gosumdb/dirhash'), 'gosumdbdirhash');
  assert.equal(anchor('The --json document'), 'the---json-document');
});

for (const page of pages) {
  test(`the relative links of ${relative(root, page)} resolve`, () => {
    const broken: string[] = [];
    let count = 0;
    for (const m of prose(readFileSync(page, 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      count++;
      const [path, fragment] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : resolve(dirname(page), path);
      if (!existsSync(file)) broken.push(`${target}: no file ${relative(root, file)}`);
      else if (fragment !== undefined && file.endsWith('.md') && !anchors(file).has(fragment)) {
        broken.push(`${target}: no heading #${fragment} in ${relative(root, file)}`);
      }
    }
    assert.deepEqual(broken, []);
    if (page.endsWith('README.md')) assert.ok(count >= 10, `README.md has ${count} relative links`);
  });
}
