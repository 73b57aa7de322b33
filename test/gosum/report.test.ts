import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, memoryOps } from '../../src/client/index.js';
import { newTestDatabase, serverRemote } from '../../src/server/index.js';
import { auditGoSum, auditReportJSON, formatAuditText, parseGoSum, AUDIT_JSON_VERSION, AUDIT_STATUSES } from '../../src/gosum/index.js';

const good = 'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
const goodMod = 'rsc.io/quote v1.5.2/go.mod h1:LzX7hefJvL54yjefDEDHNONDjII0t9xZLPXsUe+TKr0=';
const forged = 'rsc.io/quote v1.5.2 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

async function report() {
  const db = newTestDatabase({ records: [{ path: 'rsc.io/quote', version: 'v1.5.2', text: `${good}\n${goodMod}\n` }] });
  const client = new Client(memoryOps({ key: db.vkey, remote: serverRemote(db.handle) }));
  const sum = parseGoSum(
    [
      goodMod,
      forged,
      'example.com/gone v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      'corp.example.com/x v1.0.0/go.mod h2:x',
    ].join('\n'),
    { filename: 'a/go.sum' },
  );
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

test('the text form (what gosumdb audit prints): a table of problems, the summary, the tree, then diagnoses and remedies', async () => {
  const { r, latest } = await report();
  const [, n, hash] = latest.split('\n');
  const lines = formatAuditText(r, { dbName: 'sumdb.test' }).split('\n');
  assert.match(lines[0]!, /^STATUS\s+MODULE\s+KIND\s+NOTE$/);
  assert.match(lines[1]!, /^mismatch\s+rsc\.io\/quote@v1\.5\.2\s+zip\s+database has h1:w5fcysjrx7yqtD/);
  assert.match(lines[2]!, /^not-found\s+example\.com\/gone@v1\.0\.0\s+zip\s+not in the checksum database$/);
  assert.match(lines[3]!, /^skipped\s+corp\.example\.com\/x@v1\.0\.0\s+go\.mod\s+unknown-algorithm$/);
  assert.ok(!lines.some((l) => l.startsWith('ok ')), 'ok lines only with all');
  assert.ok(lines.includes('4 go.sum lines in a/go.sum: 1 ok, 1 mismatch, 1 not-found, 1 skipped'));
  assert.ok(lines.includes(`proved against sumdb.test tree #${n} (hash ${hash})`));
  const at = lines.findIndex((l) => l.startsWith('a/go.sum:2: mismatch: go.sum has h1:AAAA'));
  assert.ok(at > 0);
  assert.match(lines[at + 1]!, /^ {4}remedy: /);
  assert.ok(
    lines.includes('warning: a/go.sum:4: corp.example.com/x@v1.0.0/go.mod uses unknown hash algorithm "h2"; the go command ignores it'),
  );
  assert.equal(lines.at(-1), '', 'ends with a newline');
  assert.ok(
    formatAuditText(r, { all: true })
      .split('\n')
      .some((l) => /^ok\s+rsc\.io\/quote@v1\.5\.2\s+go\.mod$/.test(l)),
  );
  // Colour goes through the paint option only.
  const painted = formatAuditText(r, { paint: (c, w) => `<${c}>${w}</${c}>` });
  assert.match(painted, /<red>mismatch {6}<\/red>/);
  assert.ok(!formatAuditText(r).includes('\u001b'));
});

test('one status list: the summary counts and the text summary follow AUDIT_STATUSES', async () => {
  const { r } = await report();
  assert.deepEqual(AUDIT_STATUSES, ['ok', 'mismatch', 'not-found', 'skipped', 'local-mismatch', 'error']);
  assert.deepEqual(
    Object.keys(r.summary).filter((k) => k !== 'total' && k !== 'noLocalCopy'),
    [...AUDIT_STATUSES],
  );
});

test('lines skipped for one reason are said once (GONOSUMDB=* skips every line): one diagnosis, not one per line', async () => {
  const db = newTestDatabase({ records: [] });
  const client = new Client(memoryOps({ key: db.vkey, remote: serverRemote(db.handle) }));
  const sum = parseGoSum(
    [
      good,
      goodMod,
      'example.com/b v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      'corp.example.com/x v1.0.0/go.mod h2:x',
    ].join('\n'),
    { filename: 'go.sum' },
  );
  const text = formatAuditText(await auditGoSum(sum, { client, noSumDB: '*' }));
  const said = text.split('\n').filter((l) => / skipped: /.test(l));
  // Three h1 lines share the reason and the pattern; the h2 line is skipped for its pattern too.
  assert.deepEqual(said, [
    'go.sum:1-4 (4 lines): skipped: these modules match GONOSUMDB/GOPRIVATE pattern "*", so the go command ' +
      'never checks them against the checksum database',
  ]);
  assert.equal(text.split('\n').filter((l) => l.startsWith('    remedy:')).length, 1);
  // One line alone keeps its own sentence, naming the module.
  const one = formatAuditText(await auditGoSum(parseGoSum(good, { filename: 'go.sum' }), { client, noSumDB: 'rsc.io' }));
  assert.ok(
    one.includes(
      'go.sum:1: skipped: rsc.io/quote@v1.5.2 matches GONOSUMDB/GOPRIVATE pattern "rsc.io", so the go command ' +
        'never checks it against the checksum database',
    ),
    one,
  );
});
