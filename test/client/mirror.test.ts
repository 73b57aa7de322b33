// file:// static mirrors laid out like the database's URL space, used as the GOSUMDB URL or as a
// GOPROXY entry (with sumdb/<name>/supported), as the go command accepts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, memoryOps, resolveSumDB } from '../../src/client/index.js';
import { httpOps } from '../../src/node/index.js';
import { newTestDatabase, serverRemote, syntheticModule } from '../../src/server/index.js';

test('a file:// mirror serves lookups directly and through a file:// GOPROXY', async () => {
  const db = newTestDatabase({ synthetic: 30 });
  const root = mkdtempSync(join(tmpdir(), 'gosumdb-file-mirror-'));
  try {
    // Mirror every file an honest client reads for these lookups.
    const files = new Map<string, Uint8Array>();
    const honest = serverRemote(db.handle);
    const recorder = new Client(
      memoryOps({
        key: db.vkey,
        remote: async (p) => {
          const body = await honest(p);
          files.set(p, body);
          return body;
        },
      }),
    );
    const mods = [2, 5, 29].map((i) => syntheticModule(i));
    const want = await Promise.all(mods.map((m) => recorder.lookup(m.path, m.version)));
    const mirror = join(root, 'mirror');
    const proxy = join(root, 'proxy');
    for (const [p, body] of files) {
      for (const base of [mirror, join(proxy, 'sumdb', db.name)]) {
        mkdirSync(dirname(join(base, p)), { recursive: true });
        writeFileSync(join(base, p), body);
      }
    }
    writeFileSync(join(proxy, 'sumdb', db.name, 'supported'), '');

    for (const env of [
      { GOSUMDB: `${db.vkey} ${pathToFileURL(mirror).href}` },
      { GOSUMDB: db.vkey, GOPROXY: `${pathToFileURL(proxy).href},off` },
    ]) {
      const client = new Client(httpOps(resolveSumDB(env), { retries: 0 }));
      assert.deepEqual(await Promise.all(mods.map((m) => client.lookup(m.path, m.version))), want, JSON.stringify(env));
      await assert.rejects(client.lookup(syntheticModule(7).path, syntheticModule(7).version), { code: 'ERR_NOT_FOUND' });
    }

    // httpOps with a writable disk cache leaves the verified files in the go command's layout.
    const gopath = join(root, 'gopath');
    const cached = new Client(
      httpOps(resolveSumDB({ GOSUMDB: `${db.vkey} ${pathToFileURL(mirror).href}` }), { disk: { gopath, writable: true } }),
    );
    assert.deepEqual(await cached.lookup(mods[0]!.path, mods[0]!.version), want[0]);
    assert.ok(existsSync(join(gopath, 'pkg/sumdb', db.name, 'latest')));
    assert.ok(existsSync(join(gopath, 'pkg/mod/cache/download/sumdb', db.name, 'lookup', `${mods[0]!.path}@${mods[0]!.version}`)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
