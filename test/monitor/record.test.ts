// parseRecordText's fast path (one regular expression for the usual two-line record) must give
// exactly the go.sum parser's verdict: checked on every single-character change of real-shaped
// records, against parseRecordSlowly (the parser alone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRecordSlowly, parseRecordText, usualRecord } from '../../src/monitor/record.js';
import { syntheticModule } from '../../src/server/index.js';

const enc = new TextEncoder();
const alphabet = [' ', '\n', 'A', 'B', 'a', 'w', '0', '/', '.', '=', '+', '-', 'v', 'é', '\t', 'G', '!', '~', '@'];

test('the fast path agrees with the go.sum parser on every one-character change', () => {
  const records = [
    syntheticModule(1).text,
    syntheticModule(5).text,
    enc.encode(
      'golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=\ngolang.org/x/text v0.3.0/go.mod ' +
        'h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=\n',
    ),
    enc.encode(
      'github.com/a/b/v2 v2.0.0 h1:D8xgwECY7CYvx+Y2n4sBz93Jn9JRvxdiyyo8CTfuKDY=\ngithub.com/a/b/v2 v2.0.0/go.mod ' +
        'h1:RDklbk79AGWmwhnvt/jBztapEOGDOx6ZbXqjP6csGnQ=\n',
    ),
    enc.encode(
      'example.com/x v2.0.0+incompatible h1:D8xgwECY7CYvx+Y2n4sBz93Jn9JRvxdiyyo8CTfuKDY=\nexample.com/x ' +
        'v2.0.0+incompatible/go.mod h1:RDklbk79AGWmwhnvt/jBztapEOGDOx6ZbXqjP6csGnQ=\n',
    ),
    enc.encode(
      'gopkg.in/yaml.v2 v2.4.0 h1:D8xgwECY7CYvx+Y2n4sBz93Jn9JRvxdiyyo8CTfuKDY=\ngopkg.in/yaml.v2 v2.4.0/go.mod ' +
        'h1:RDklbk79AGWmwhnvt/jBztapEOGDOx6ZbXqjP6csGnQ=\n',
    ),
  ];
  // The fast path is taken for each of them as it stands.
  for (const rec of records) assert.notEqual(usualRecord(rec), undefined, new TextDecoder().decode(rec));
  let checked = 0;
  let ok = 0;
  let fastOk = 0;
  for (const rec of records) {
    const s = new TextDecoder().decode(rec);
    for (let i = 0; i < s.length; i++) {
      for (const c of alphabet) {
        const text = enc.encode(s.slice(0, i) + c + s.slice(i + 1));
        const fast = parseRecordText(text);
        assert.deepEqual(fast, parseRecordSlowly(text), JSON.stringify(s.slice(0, i) + c + s.slice(i + 1)));
        checked++;
        if (fast.ok) ok++;
        if (usualRecord(text) !== undefined) fastOk++;
      }
    }
  }
  assert.ok(checked > 5000 && ok > 100 && ok < checked, `${ok} of ${checked} accepted`);
  assert.ok(fastOk > 0 && fastOk <= ok, `${fastOk} of ${ok} accepted by the fast path`);
});

test('the fast path agrees with the go.sum parser on every one-character change of a module version in both lines', () => {
  const record = (mv: string) =>
    enc.encode(`${mv} h1:D8xgwECY7CYvx+Y2n4sBz93Jn9JRvxdiyyo8CTfuKDY=\n${mv}/go.mod h1:RDklbk79AGWmwhnvt/jBztapEOGDOx6ZbXqjP6csGnQ=\n`);
  // Near the edges of the bytewise path and version checks: Windows device names one change
  // away (con, com9, lpt1, in any case), a major-version-like last element, pre-release identifiers, leading
  // zeros, '_' and upper case, gopkg.in.
  const versions = [
    'ex-ample.com/cox.y/lptz/comq.b/-x/a_b/vq v1.2.3-rc.1.0a-b',
    'e.c/aux1/v1x v0.0.0-20191109021931-daa7c04131f5',
    'golang.org/x/text v0.13.0',
    'github.com/Upper5/CoMq/LPTz/PRx/A_B v1.0.5',
    'github.com/a/b/v2 v2.0.0',
    'gopkg.in/yaml.v2 v2.4.0',
  ];
  const changes = [...new Set([...alphabet, '_', 'n', '1', '9', 'Z', 'x', '+', 'P'])].filter((c) => c !== ' ' && c !== '\n');
  let checked = 0;
  let ok = 0;
  for (const mv of versions) {
    assert.notEqual(usualRecord(record(mv)), undefined, mv);
    for (let i = 0; i < mv.length; i++) {
      for (const c of changes) {
        const text = record(mv.slice(0, i) + c + mv.slice(i + 1));
        const fast = parseRecordText(text);
        assert.deepEqual(fast, parseRecordSlowly(text), mv.slice(0, i) + c + mv.slice(i + 1));
        checked++;
        if (fast.ok) ok++;
      }
    }
  }
  assert.ok(checked > 3000 && ok > 500 && ok < checked - 500, `${ok} of ${checked} accepted`);
});
