// Real signed notes published by sum.golang.org (test/note/fixtures/sum-golang-org.json, each
// with its public source) verify against the key built into the go command; corrupted copies fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GosumdbError } from '../../src/internal/errors.js';
import { newVerifier, openNote, SUM_GOLANG_ORG_KEY, verifierList } from '../../src/note/index.js';

type Fixture = {
  name: string;
  kind: 'latest' | 'lookup';
  size: number;
  source: { repo: string; path: string; commit: string | null; where: string };
  body: string;
};
const { fixtures } = JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures/sum-golang-org.json'), 'utf8')) as {
  fixtures: Fixture[];
};
const known = verifierList(newVerifier(SUM_GOLANG_ORG_KEY));
const enc = (s: string) => new TextEncoder().encode(s);

// A /lookup response is "<id>\n<go.sum lines>\n\n<signed tree note>".
function signedTree(f: Fixture): string {
  return f.kind === 'lookup' ? f.body.slice(f.body.indexOf('\n\n') + 2) : f.body;
}

function code(msg: string): string {
  try {
    openNote(enc(msg), known);
  } catch (e) {
    return e instanceof GosumdbError ? e.code : String(e);
  }
  return 'verified';
}

test('there are real sum.golang.org notes with sources', () => {
  assert.ok(fixtures.length >= 4);
  for (const f of fixtures) assert.match(f.source.repo, /^[\w.-]+\/[\w.-]+$/);
});

for (const f of fixtures) {
  test(`${f.name} (${f.source.repo}/${f.source.path}) verifies against SUM_GOLANG_ORG_KEY`, () => {
    const n = openNote(enc(signedTree(f)), known);
    assert.equal(n.sigs.length, 1);
    assert.equal(n.sigs[0]!.name, 'sum.golang.org');
    assert.equal(n.sigs[0]!.hash, 0x033de0ae);
    assert.ok(n.text.startsWith(`go.sum database tree\n${f.size}\n`));
  });

  test(`${f.name}: corrupted copies are rejected`, () => {
    const msg = signedTree(f);
    const size = String(f.size);
    assert.equal(
      code(msg.replace(`\n${size}\n`, `\n${size.slice(0, -1)}${(Number(size.at(-1)) + 1) % 10}\n`)),
      'ERR_NOTE_INVALID_SIGNATURE',
    );
    const hashLine = msg.split('\n')[2]!;
    const flipped = (hashLine[0] === 'A' ? 'B' : 'A') + hashLine.slice(1);
    assert.equal(code(msg.replace(hashLine, flipped)), 'ERR_NOTE_INVALID_SIGNATURE');
    const sigAt = msg.indexOf('— sum.golang.org Az3gr') + '— sum.golang.org Az3gr'.length + 10;
    const c = msg[sigAt]!;
    assert.equal(code(msg.slice(0, sigAt) + (c === 'A' ? 'B' : 'A') + msg.slice(sigAt + 1)), 'ERR_NOTE_INVALID_SIGNATURE');
    assert.equal(code(msg.replace('— sum.golang.org Az3gr', '— sum.golang.org Az3gq')), 'ERR_NOTE_UNVERIFIED');
    assert.equal(code(msg.replace('— sum.golang.org ', '— sum.golang.com ')), 'ERR_NOTE_UNVERIFIED');
    assert.equal(code(msg.slice(0, -1)), 'ERR_NOTE_MALFORMED');
    assert.equal(code(msg.replace('go.sum database tree\n', 'go.sum database tree\r\n')), 'ERR_NOTE_MALFORMED');
    assert.equal(code(`${msg}\n`), 'ERR_NOTE_MALFORMED');
  });
}
