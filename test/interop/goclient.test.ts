// Go's reference client (x/mod sumdb.NewClient) against our server over HTTP on 127.0.0.1:
// it accepts what our honest server says and rejects what our misbehaving modes say.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeSha256, startServer, type RunningServer } from '../../src/node/index.js';
import { generateKey } from '../../src/note/index.js';
import { newTestDatabase, type Mode } from '../../src/server/index.js';
import { synthetic } from '../server/reference.js';
import { runGoClient } from './go.js';

const N = 70_000;
const db = newTestDatabase({ key: generateKey('ours.gosumdb.test'), synthetic: N, sha256: nodeSha256 });
let server: RunningServer;
const dirs: string[] = [];

before(async () => {
  server = await startServer(db.handle);
});
after(async () => {
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function configDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gosumdb-interop-'));
  dirs.push(d);
  return d;
}

const list = [0, 1, 5, 255, 256, 65536, N - 1].map((i) => synthetic(i));

test("Go's client verifies our honest server, directly and through the proxy paths", async () => {
  db.setMode('honest');
  for (const url of [server.url, `${server.url}/sumdb/ours.gosumdb.test`]) {
    const run = await runGoClient({ url, vkey: db.vkey, list, parallel: 4 });
    assert.deepEqual(
      run.results.map((r) => r.error ?? r.lines),
      list.map((m) => [m.text.split('\n')[0]]),
      url,
    );
    assert.equal(run.security, null);
  }
  const missing = await runGoClient({ url: server.url, vkey: db.vkey, list: [{ path: 'example.com/nope', version: 'v1.0.0' }] });
  assert.match(missing.results[0]!.error!, /404 Not Found/);
});

test("Go's client reports our fork as a security error", async () => {
  const config = configDir();
  db.setMode('honest');
  const first = await runGoClient({ url: server.url, vkey: db.vkey, list: list.slice(0, 2), config });
  assert.ok(
    first.results.every((r) => r.error === undefined),
    JSON.stringify(first.results),
  );
  db.setMode('fork');
  try {
    const second = await runGoClient({ url: server.url, vkey: db.vkey, list: list.slice(2, 3), config });
    assert.match(second.results[0]!.error!, /security error: misbehaving server/);
    assert.equal(second.security?.length, 1);
    assert.match(
      second.security![0]!,
      new RegExp(
        `^SECURITY ERROR\\ngo\\.sum database server misbehavior detected!\\n\\nold database:\\n\\tgo\\.sum database tree\\n\\t${N}\\n`,
      ),
    );
    assert.match(second.security![0]!, new RegExp(`new database:\\n\\tgo\\.sum database tree\\n\\t${N + 1}\\n`));
  } finally {
    db.setMode('honest');
  }
});

const rejected: [Mode, RegExp][] = [
  ['bad-record', /cannot authenticate record data in server response/],
  ['bad-tile', /downloaded inconsistent tile/],
  ['truncated', /malformed|unexpected end|invalid/],
  ['flaky', /503 Service Unavailable/],
];
for (const [mode, message] of rejected) {
  test(`Go's client rejects our ${mode} server`, async () => {
    db.setMode(mode);
    try {
      const run = await runGoClient({ url: server.url, vkey: db.vkey, list: list.slice(3, 4) });
      assert.match(run.results[0]!.error ?? 'accepted', message);
    } finally {
      db.setMode('honest');
    }
  });
}

test("Go's client follows our growing server", async () => {
  db.setMode('growing');
  try {
    const run = await runGoClient({ url: server.url, vkey: db.vkey, list, parallel: 1 });
    assert.deepEqual(
      run.results.map((r) => r.error ?? r.lines),
      list.map((m) => [m.text.split('\n')[0]]),
    );
    assert.equal(run.security, null);
  } finally {
    db.setMode('honest');
  }
});
