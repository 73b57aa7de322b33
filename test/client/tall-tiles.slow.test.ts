// A client reading tiles of height 19 (a database may serve any height up to 30): the tile hasher's
// memo keys a range of a 16 MB hash tile exactly. With a key that lost precision past 2^22 bytes, a
// leaf's range and its parent's shared a key, and an honest log that grew by one record was
// reported as a fork. The expected verdict is the one the same client gives at height 8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, memoryOps } from '../../src/client/index.js';
import { utf8 } from '../../src/internal/bytes.js';
import { nodeSha256 } from '../../src/node/sha256.js';
import { generateKey } from '../../src/note/index.js';
import { newServer, newTestServer, serverRemote } from '../../src/server/index.js';

test('tile height 19: an honest log that grew past 2^18 records is proved consistent, as at height 8', async () => {
  const { skey, vkey } = generateKey('example.com/sumdb');
  const log = newTestServer(skey, undefined, { sha256: nodeSha256 });
  const line = (m: string) => utf8(`${m} v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`);
  for (let i = 0; i <= 2 ** 18 + 8; i++) log.add(`example.com/m${i}`, 'v1.0.0', line(`example.com/m${i}`));
  const older = await log.signed();
  log.add('example.com/last', 'v1.0.0', line('example.com/last'));
  const remote = serverRemote(newServer(log, { name: 'example.com/sumdb' }));
  for (const tileHeight of [8, 19]) {
    const ops = memoryOps({ key: vkey, remote, config: { 'example.com/sumdb/latest': older }, sha256: nodeSha256 });
    const latest = await new Client(ops, { tileHeight }).latest();
    assert.equal(latest.tree.n, 2 ** 18 + 10, `tile height ${tileHeight}`);
  }
});
