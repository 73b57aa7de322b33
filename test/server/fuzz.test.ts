// Property tests: the handler answers any path with a status (never throws, never hangs), and
// every mode keeps that promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTestDatabase, type Mode } from '../../src/server/index.js';
import { generateKey } from '../../src/note/index.js';
import { lookupPath } from './reference.js';
import { rng } from '../helpers/rng.js';

const pieces = [
  '/',
  'tile',
  'lookup',
  'latest',
  'data',
  'sumdb',
  'fuzz.test',
  'supported',
  '@',
  'v1.0.0',
  '.p',
  '000',
  'x001',
  '8',
  '2',
  '-1',
  '0',
  '99999999999999999999',
  '!',
  'A',
  'é',
  '\u0000',
  '%',
  '+incompatible',
  '..',
  ' ',
  '\n',
];

function randomPath(r: () => number): string {
  let p = r() < 0.8 ? '/' : '';
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) p += pieces[Math.floor(r() * pieces.length)];
  return p;
}

const modes: Mode[] = ['honest', 'fork', 'bad-record', 'bad-tile', 'truncated', 'flaky', 'growing'];

test('any path gets a status in every mode, never an exception', async () => {
  const db = newTestDatabase({ key: generateKey('fuzz.test'), synthetic: 40, growBy: 1 });
  const r = rng(7);
  const seen = new Set<number>();
  for (const mode of modes) {
    db.setMode(mode);
    for (let i = 0; i < 400; i++) {
      const path = randomPath(r);
      const res = await db.handle(path);
      assert.ok([200, 400, 404, 429, 500, 503].includes(res.status), `${mode} ${JSON.stringify(path)}: ${res.status}`);
      assert.ok(res.body instanceof Uint8Array);
      seen.add(res.status);
    }
  }
  for (const path of ['/latest', lookupPath(3), '/tile/2/0/000', '/tile/2/data/000', '/sumdb/fuzz.test/supported']) {
    db.setMode('honest');
    assert.equal((await db.handle(path)).status, 200, path);
  }
  assert.ok(seen.has(404) && seen.has(400), 'the fuzzer reaches the error paths');
});
