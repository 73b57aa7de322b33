// A real-sized go.sum end to end: hugo's 1141-line go.sum (test/fixtures/gosum/SOURCES.md) audited
// through HTTP against a test database that holds its 998 records after 70 000 synthetic ones, so
// every proof climbs through three tile levels. Counts are the fixture's documented facts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, records, world } from './world.js';

const fixture = join(import.meta.dirname, '../fixtures/gosum/hugo.go.sum');
const hugo = readFileSync(fixture, 'utf8');
const synthetic = 70_000;

test('1141 lines of a real go.sum verify against 998 records deep in a 70 998-record log', async () => {
  assert.equal(records(hugo).length, 998);
  const w = await world({ synthetic, gosum: hugo });
  try {
    copyFileSync(fixture, join(w.tmp, 'go.sum'));
    const r = await cli(['audit', '--json'], w.env, w.tmp);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.summary.total, 1141);
    assert.equal(doc.summary.ok, 1141);
    assert.equal(doc.entries.filter((e: { kind: string }) => e.kind === 'go.mod').length, 998);
    assert.equal(doc.tree.n, synthetic + 998);
    // Each module version and kind is looked up once; tiles are shared between lookups.
    const stats = w.db.stats();
    assert.equal(stats.lookup, 998);
    assert.ok(stats.tile < 998, `tiles fetched: ${stats.tile}`);

    // The same file with one hash changed near the end: exactly that line is a mismatch.
    const lines = hugo.trimEnd().split('\n');
    const [path, version] = lines[1100]!.split(' ') as [string, string];
    lines[1100] = `${path} ${version} h1:${'A'.repeat(43)}=`;
    writeFileSync(join(w.tmp, 'go.sum'), lines.join('\n') + '\n');
    const bad = await cli(['audit'], w.env, w.tmp);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^1141 go\.sum lines in go\.sum: 1140 ok, 1 mismatch$/m);
    assert.match(bad.stdout, /^go\.sum:1101: mismatch: /m);
  } finally {
    await w.close();
  }
});
