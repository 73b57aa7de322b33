// bench/synthetic.ts serves a made-up log without holding it: its answers must be those of the
// project's test database holding the same records (built incrementally, the independent
// computation here), except the signatures (another key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSyntheticDatabase, syntheticRecord } from '../../bench/synthetic.js';
import { newTestDatabase } from '../../src/server/index.js';
import { nodeSha256 } from '../../src/node/index.js';

const dec = new TextDecoder();

test('bench synthetic database: the same tree, data tiles and hash tiles as a test database of its records', async () => {
  for (const n of [1, 255, 256, 1000, 65536 + 300]) {
    const synth = newSyntheticDatabase(n);
    const records = Array.from({ length: n }, (_, i) => ({
      path: `example.com/m${Math.floor(i / 4)}`,
      version: `v1.0.${i % 4}`,
      text: syntheticRecord(i),
    }));
    const db = newTestDatabase({ records, sha256: nodeSha256 });
    const tree = async (h: typeof db.handle) =>
      dec
        .decode((await h('/latest')).body)
        .split('\n')
        .slice(0, 3)
        .join('\n');
    assert.equal(await tree(synth.handle), await tree(db.handle), `n=${n}`);
    const paths: string[] = [];
    for (let t = 0; t * 256 < n; t++) {
      const w = Math.min(256, n - t * 256);
      const suffix = w === 256 ? '' : `.p/${w}`;
      paths.push(`/tile/8/data/${String(t).padStart(3, '0')}${suffix}`, `/tile/8/0/${String(t).padStart(3, '0')}${suffix}`);
    }
    if (n >= 256) paths.push(`/tile/8/1/000${Math.floor(n / 256) === 256 ? '' : `.p/${Math.floor(n / 256) % 256}`}`);
    if (n >= 65536) paths.push('/tile/8/1/000', '/tile/8/1/001.p/1', '/tile/8/2/000.p/1');
    for (const p of paths) {
      const [a, b] = [await synth.handle(p), await db.handle(p)];
      assert.equal(a.status, 200, `${p} n=${n}`);
      assert.deepEqual(a.body, b.body, `${p} n=${n}`);
    }
    assert.equal((await synth.handle(`/tile/8/data/${String(Math.ceil(n / 256)).padStart(3, '0')}`)).status, 404);
  }
});
