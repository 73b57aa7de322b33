// ClientOptions.witnesses: other keepers of the latest tree are read at start, proved consistent
// with the client's own, and moved forward with it; a witness that saw another history is a fork.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, memoryOps, SecurityError } from '../../src/client/index.js';
import { newTestDatabase, serverRemote, syntheticModule } from '../../src/server/index.js';

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

test('a witness is read at start, moved forward with the latest tree; a fork between it and the own tree is a SecurityError', async () => {
  const db = newTestDatabase({ synthetic: 100 });
  const first = (await db.handle('/latest')).body;
  for (let i = 100; i < 120; i++) db.log.add(syntheticModule(i).path, syntheticModule(i).version, syntheticModule(i).text);
  const ops = memoryOps({ key: db.vkey, remote: serverRemote(db.handle), config: { [`${db.name}/go-latest`]: first } });
  const client = new Client(ops, { witnesses: ['go-latest'] });
  // Only the witness knew a tree: the client starts from it and writes it to its own file too.
  assert.equal((await client.signedTree())?.tree.n, 100);
  assert.equal(text(ops.config.get(`${db.name}/latest`)), text(first));
  await client.latest();
  assert.equal(text(ops.config.get(`${db.name}/latest`)).split('\n')[1], '120');
  assert.equal(text(ops.config.get(`${db.name}/go-latest`)).split('\n')[1], '120');

  // The own file holds the honest tree; the witness saw a forked one (same key, other history).
  const honest = (await db.handle('/latest')).body;
  db.setMode('fork');
  const forked = (await db.handle('/latest')).body;
  const split = memoryOps({
    key: db.vkey,
    remote: serverRemote(db.handle),
    config: { [`${db.name}/latest`]: honest, [`${db.name}/go-latest`]: forked },
  });
  // The tiles that proved the honest tree, as a cache keeps them.
  for (const [k, v] of ops.cache) split.cache.set(k, v);
  await assert.rejects(new Client(split, { witnesses: ['go-latest'] }).signedTree(), (e: unknown) => e instanceof SecurityError);
  assert.throws(() => new Client(split, { witnesses: ['a/b'] }), TypeError);
  assert.throws(() => new Client(split, { witnesses: ['latest'] }), TypeError);
});
