// The test server (also the demo's) answers tiles a client names; a tile path is attacker-
// controlled, and /tile/30/0/000 names 2^30 hashes. It must be refused (404, as a missing tile)
// without listing them, and the server must keep serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/node/index.js';
import { newTestDatabase } from '../../src/server/index.js';

test('GET of tiles far past the log (height 30, level 5) is 404 and the server keeps answering', async () => {
  const db = newTestDatabase({ synthetic: 20 });
  const server = await startServer(db.handle);
  try {
    for (const path of ['/tile/30/0/000', '/tile/30/1/000', '/tile/8/5/000', '/tile/30/0/x001/000', '/tile/2/0/005']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
    // Tiles inside the log are still served: 20 records, height 2: tile 4 holds records 16..19.
    const inside = await fetch(`${server.url}/tile/2/0/004`);
    assert.equal(inside.status, 200);
    assert.equal((await inside.arrayBuffer()).byteLength, 4 * 32);
    const partial = await fetch(`${server.url}/tile/30/0/000.p/20`);
    assert.equal(partial.status, 200);
    assert.equal((await partial.arrayBuffer()).byteLength, 20 * 32);
    assert.equal((await fetch(`${server.url}/latest`)).status, 200);
  } finally {
    await server.close();
  }
});
