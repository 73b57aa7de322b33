import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, memoryOps } from '../../src/client/index.js';
import { newTestDatabase, serverRemote } from '../../src/server/index.js';
import { auditGoSum, auditReportJSON, formatAuditText, parseGoSum, AUDIT_JSON_VERSION } from '../../src/gosum/index.js';

const good = 'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
const goodMod = 'rsc.io/quote v1.5.2/go.mod h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=';
const forged = 'rsc.io/quote v1.5.2 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

async function report() {
  const db = newTestDatabase({ records: [{ path: 'rsc.io/quote', version: 'v1.5.2', text: `${good}\n${goodMod}\n` }] });
  const client = new Client(memoryOps({ key: db.vkey, remote: serverRemote(db.handle) }));
  const sum = parseGoSum([goodMod, forged, 'example.com/gone v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'corp.example.com/x v1.0.0/go.mod h2:x'].join('\n'), { filename: 'a/go.sum' });
  const latest = new TextDecoder().decode((await db.handle('/latest')).body);
  return { r: await auditGoSum(sum, { client }), latest };
}

test('the JSON form is plain data with the tree as text, and survives a JSON round trip', async () => {
  const { r, latest } = await report();
  const json = auditReportJSON(r);
  assert.equal(json.schema, 'gosumdb/audit');
  assert.equal(json.version, AUDIT_JSON_VERSION);
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
  // A tree note is "go.sum database tree\n<N>\n<base64 hash>\n" plus signatures.
  const [, n, hash] = latest.split('\n');
  assert.deepEqual(json.tree, { n: Number(n), hash, note: latest });
  assert.deepEqual(
    json.entries.map((e) => [e.line, e.status]),
    [
      [1, 'ok'],
      [2, 'mismatch'],
      [3, 'not-found'],
      [4, 'skipped'],
    ],
  );
  assert.equal(json.entries[1]!.dbHash, good.split(' ')[2]);
});

test('the text form lists problems worst first, with their fixes, then a summary and the tree', async () => {
  const { r, latest } = await report();
  const lines = formatAuditText(r).split('\n');
  assert.match(lines[0]!, /^MISMATCH\s+rsc\.io\/quote@v1\.5\.2  \(a\/go\.sum:2\)$/);
  assert.match(lines[1]!, /^    go\.sum has h1:AAAA.* but the checksum database has h1:w5fc/);
  assert.match(lines[2]!, /^    fix: /);
  assert.match(lines[3]!, /^NOT-FOUND\s+example\.com\/gone@v1\.0\.0/);
  assert.match(lines[6]!, /^SKIPPED\s+corp\.example\.com\/x@v1\.0\.0\/go\.mod/);
  assert.ok(!lines.some((l) => l.startsWith('OK')), 'ok lines only with verbose');
  assert.ok(lines.includes('WARNING        a/go.sum:4: corp.example.com/x@v1.0.0/go.mod uses unknown hash algorithm "h2"; the go command ignores it'));
  assert.equal(lines.at(-2), '4 lines: 1 ok, 1 mismatch, 1 not-found, 1 skipped');
  assert.equal(lines.at(-1), `proved against tree size ${latest.split('\n')[1]}, hash ${latest.split('\n')[2]}`);
  assert.ok(formatAuditText(r, { verbose: true }).split('\n').some((l) => /^OK\s+rsc\.io\/quote@v1\.5\.2\/go\.mod/.test(l)));
});
