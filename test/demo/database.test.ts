// startDemoDatabase: the go.sum's module versions with their own lines, spread through a log of
// synthetic records, served on 127.0.0.1; and the fork it can be told to start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoDatabase } from '../../src/cli/demo-database.js';

// Three module versions: zip and go.mod lines (written go.mod first, as sorted go.sum files are
// not), a go.mod line only, and a zip line only.
const gosum = [
  'golang.org/x/text v0.3.0/go.mod h1:NqM8EUOU14njkJ3fqMW+pc6Ldnwhi/IjpwHt7yyuwOQ=',
  'golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=',
  'github.com/BurntSushi/toml v0.3.1/go.mod h1:xHWCNGjB5oqiDr8zfno3MHue2Ht5sIBksp03qcyfWMU=',
  'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=',
  '',
].join('\n');

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

test('the database holds each go.sum module version with exactly its lines, zip line first, among synthetic records', async () => {
  const demo = await startDemoDatabase({ gosum, records: 3000 });
  try {
    assert.equal(demo.moduleVersions, 3);
    assert.equal(demo.db.log.size(), 3000);
    assert.match(demo.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/);
    assert.equal(demo.gosumdb, `${demo.db.vkey} ${demo.url}`);
    assert.match(demo.db.vkey, /^sum\.demo\.test\+[0-9a-f]{8}\+/);

    const latest = await get(`${demo.url}/latest`);
    assert.equal(latest.text.split('\n')[1], '3000');
    const ids: number[] = [];
    const want: Record<string, string> = {
      'golang.org/x/text@v0.3.0': `${gosum.split('\n')[1]}\n${gosum.split('\n')[0]}\n`,
      'github.com/!burnt!sushi/toml@v0.3.1': `${gosum.split('\n')[2]}\n`,
      'rsc.io/quote@v1.5.2': `${gosum.split('\n')[3]}\n`,
    };
    for (const [path, record] of Object.entries(want)) {
      const res = await get(`${demo.url}/lookup/${path}`);
      assert.equal(res.status, 200, path);
      const id = Number(res.text.slice(0, res.text.indexOf('\n')));
      ids.push(id);
      assert.equal(res.text.slice(res.text.indexOf('\n') + 1, res.text.indexOf('\n\ngo.sum database tree\n') + 1), record, path);
    }
    // Spread through the log, not bunched at one end: proofs for them reach into different tiles.
    assert.deepEqual(
      [...ids].sort((a, b) => a - b),
      ids,
    );
    assert.ok(ids[0]! > 256 && ids[2]! < 3000 - 256 && ids[1]! - ids[0]! > 256 && ids[2]! - ids[1]! > 256, String(ids));
    assert.equal((await get(`${demo.url}/lookup/example.com/acme/unknown@v1.0.0`)).status, 404);
  } finally {
    await demo.close();
  }
  await assert.rejects(fetch(`${demo.url}/latest`));
});

test('forkAfter(2): the next two answers carry the honest tree, the ones after them a second history one record longer', async () => {
  const demo = await startDemoDatabase({ gosum, records: 1000 });
  try {
    const head = (text: string) => text.split('\n').slice(0, 3).join('\n');
    const honest = (await get(`${demo.url}/latest`)).text;
    demo.forkAfter(2);
    // A lookup answer ends with the signed tree it was served under.
    const lookup = (await get(`${demo.url}/lookup/example.com/acme/unknown@v1.0.0`)).status;
    assert.equal(lookup, 404, 'a 404 is no answer: it does not count');
    const record = (await get(`${demo.url}/lookup/golang.org/x/text@v0.3.0`)).text;
    assert.ok(record.endsWith(honest), 'the first answer is under the honest tree');
    assert.equal(demo.db.mode(), 'honest');
    assert.equal(head((await get(`${demo.url}/latest`)).text), head(honest));
    assert.equal(demo.db.mode(), 'fork');
    const forked = (await get(`${demo.url}/latest`)).text.split('\n');
    assert.equal(forked[1], '1001');
  } finally {
    await demo.close();
  }
});

test('bad options: a malformed go.sum, fewer records than module versions', async () => {
  await assert.rejects(startDemoDatabase({ gosum: 'rsc.io/quote v1.5.2\n' }), { code: 'ERR_GOSUM_MALFORMED' });
  await assert.rejects(startDemoDatabase({ gosum, records: 2 }), RangeError);
  await assert.rejects(startDemoDatabase({ gosum, records: 1.5 }), RangeError);
});
