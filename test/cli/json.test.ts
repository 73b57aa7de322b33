// writeJson: the audit's --json document written in pieces, byte for byte what JSON.stringify
// (2-space indentation) and a newline give, whatever the members, arrays and text inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeJson } from '../../src/cli/report.js';

function written(value: unknown): { text: string; pieces: number } {
  const pieces: string[] = [];
  writeJson((s) => pieces.push(s), value);
  return { text: pieces.join(''), pieces: pieces.length };
}

test('writeJson writes the bytes of JSON.stringify(value, null, 2) and a newline', () => {
  const entry = (i: number) => ({
    line: i,
    path: `example.com/m${i}`,
    hash: 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=',
    status: i % 7 === 0 ? 'mismatch' : 'ok',
    errorCode: i % 7 === 0 ? 'ERR_X' : undefined,
    nested: { list: [1, 'two', null, [], {}, [{ deep: ['a\nb', '\u2028', '"q"'] }]], empty: {} },
  });
  const values: unknown[] = [
    {
      schema: 'gosumdb/audit',
      version: 1,
      summary: { total: 3, ok: 2 },
      tree: null,
      skipped: undefined,
      fn: () => 1,
      entries: Array.from({ length: 3000 }, (_, i) => entry(i)),
      sparse: [undefined, () => 2, 'x'],
      findings: [],
      goMod: {},
      text: 'line one\nline two\ttab "quoted" \\ back',
      '10': 'integer-like keys come first',
    },
    {},
    [],
    [1, { a: [2] }],
    'a string',
    42,
    null,
    { only: undefined },
    { when: new Date(0) },
  ];
  for (const v of values) assert.equal(written(v).text, `${JSON.stringify(v, null, 2)}\n`);
  // A large document leaves in several pieces, never one string.
  assert.ok(written(values[0]).pieces > 5);
});
