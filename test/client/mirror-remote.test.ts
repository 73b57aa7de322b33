// mirrorRemote shares sumdbRemote's reader: one probe for concurrent reads that no single caller's
// signal cancels, and read paths that cannot climb out of the endpoint's URL space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mirrorRemote, NotFoundError } from '../../src/client/index.js';

test('mirrorRemote refuses read paths that URL resolution would fold out of the endpoint', async () => {
  const seen: string[] = [];
  const read = mirrorRemote('https://mirror.example/db', 'sum.golang.org', async (url) => {
    seen.push(url);
    throw new NotFoundError(`reading ${url}: 404 Not Found`);
  });
  for (const p of ['/tile/../../secret', '/lookup/./x', 'latest']) await assert.rejects(read(p), RangeError);
  assert.deepEqual(seen, []);
});

test("one reader's abort does not fail another reader's concurrent read through the shared probe", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const read = mirrorRemote('https://mirror.example', 'sum.golang.org', async (url, signal) => {
    if (url.endsWith('/supported')) {
      await gate;
      signal?.throwIfAborted();
      return new Uint8Array();
    }
    return new TextEncoder().encode(url);
  });
  const ac = new AbortController();
  const a = read('/latest', ac.signal);
  const b = read('/latest');
  ac.abort(new Error('caller a gave up'));
  release();
  await assert.rejects(a, /caller a gave up/);
  assert.equal(new TextDecoder().decode(await b), 'https://mirror.example/sumdb/sum.golang.org/latest');
});
