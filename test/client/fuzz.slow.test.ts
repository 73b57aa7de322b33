// Property: whatever bytes the server sends, a lookup returns the honest lines or throws a
// GosumdbError; it never crashes with another error and never returns unverified lines.
// Each run flips, truncates or extends one server answer (record, signed note or tile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GosumdbError } from '../../src/internal/errors.js';
import { Client, memoryOps } from '../../src/client/index.js';
import { newTestDatabase, serverRemote, syntheticModule } from '../../src/server/index.js';
import { rng } from '../helpers/rng.js';

function mutate(data: Uint8Array, r: () => number): Uint8Array {
  const kind = Math.floor(r() * 4);
  const at = Math.floor(r() * Math.max(1, data.length));
  if (kind === 0 && data.length > 0) {
    const out = data.slice();
    out[at] = out[at]! ^ (1 + Math.floor(r() * 255));
    return out;
  }
  if (kind === 1) return data.slice(0, at);
  if (kind === 2) return new Uint8Array([...data, ...Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256))]);
  return new Uint8Array(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
}

test('hostile answers: honest lines or a GosumdbError, never anything else', async () => {
  const db = newTestDatabase({ synthetic: 40 });
  const honest = serverRemote(db.handle);
  const modules = [3, 17, 39].map((i) => syntheticModule(i));
  const truth = new Map<string, string[]>();
  {
    const c = new Client(memoryOps({ key: db.vkey, remote: honest }));
    for (const m of modules) truth.set(m.path, await c.lookup(m.path, m.version));
  }
  let rejected = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    // Which answer to spoil: the n-th remote read of this run.
    const target = Math.floor(r() * 6);
    let reads = 0;
    const remote = async (path: string) => {
      const data = await honest(path);
      return reads++ === target ? mutate(data, r) : data;
    };
    const c = new Client(memoryOps({ key: db.vkey, remote }));
    for (const m of modules) {
      try {
        const lines = await c.lookup(m.path, m.version);
        assert.deepEqual(lines, truth.get(m.path), `seed ${seed}: unverified lines`);
      } catch (e) {
        assert.ok(e instanceof GosumdbError, `seed ${seed}: ${String(e)}`);
        assert.notEqual(e.code, 'ERR_SECURITY', `seed ${seed}: a single spoiled answer is not a fork`);
        rejected++;
      }
    }
  }
  assert.ok(rejected > 100, `only ${rejected} rejections: mutations are not reaching the client`);
});
