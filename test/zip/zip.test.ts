// gosumdb/zip beyond the Go vectors: the zips it writes read back with an independent reader
// (fflate), the zip64 end records past 65535 entries, declared sizes, and caller mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync } from 'fflate';
import { hashZip } from '../../src/dirhash/index.js';
import { nodeZipOptions } from '../../src/node/index.js';
import { checkFiles, createZip, hashFiles, type ModuleFile } from '../../src/zip/index.js';
import { writeZip } from '../../src/zip/writer.js';
import { isGosumdbError } from '../../src/index.js';
import { h1, inModule } from '../helpers/modules.js';

const enc = new TextEncoder();
const file = (path: string, text: string): ModuleFile => ({
  path,
  kind: 'file',
  size: enc.encode(text).length,
  open: () => enc.encode(text),
});

test('createZip writes a zip that fflate reads back name for name and byte for byte', async () => {
  const texts: Record<string, string> = { 'go.mod': 'module example.com/m\n', 'données/é.go': 'package é\n', 'a b/c.go': '' };
  const zip = await createZip(
    'example.com/m',
    'v1.0.0',
    Object.entries(texts).map(([p, t]) => file(p, t)),
  );
  const got = Object.fromEntries(Object.entries(unzipSync(zip)).map(([k, v]) => [k, new TextDecoder().decode(v)]));
  assert.deepEqual(got, inModule('example.com/m', 'v1.0.0', texts));
  const want = h1(inModule('example.com/m', 'v1.0.0', texts));
  assert.equal(await hashZip(zip), want);
  assert.equal(
    await hashFiles(
      'example.com/m',
      'v1.0.0',
      Object.entries(texts).map(([p, t]) => file(p, t)),
    ),
    want,
  );
});

test('65535 entries or more: zip64 end records, read back by hashZip and fflate', async () => {
  const texts: Record<string, string> = {};
  for (let i = 0; i < 65536; i++) texts[`m@v1.0.0/${i}`] = `${i % 7}`;
  const zip = writeZip(Object.entries(texts).map(([name, t]) => ({ name, data: enc.encode(t) })));
  assert.equal(await hashZip(zip, nodeZipOptions), h1(texts));
  assert.equal(Object.keys(unzipSync(zip)).length, 65536);
});

test('a file holding more than its declared size fails; less is written as it is (Go copies what it reads)', async () => {
  const big: ModuleFile = { path: 'a.go', kind: 'file', size: 2, open: () => [enc.encode('ab'), enc.encode('c')] };
  await assert.rejects(createZip('example.com/m', 'v1.0.0', [big]), (e) => isGosumdbError(e, 'ERR_MODULE_FILE_SIZE'));
  const small: ModuleFile = { path: 'a.go', kind: 'file', size: 5, open: () => enc.encode('ab') };
  assert.equal(await hashFiles('example.com/m', 'v1.0.0', [small]), h1({ 'example.com/m@v1.0.0/a.go': 'ab' }));
});

test('only valid files are opened', async () => {
  const opened: string[] = [];
  const f = (path: string, kind: ModuleFile['kind'] = 'file'): ModuleFile => ({
    path,
    kind,
    size: 1,
    open: () => {
      opened.push(path);
      return enc.encode('x');
    },
  });
  await createZip('example.com/m', 'v1.0.0', [f('a.go'), f('vendor/x/y.go'), f('l', 'symlink'), f('sub/go.mod'), f('sub/s.go')]);
  assert.deepEqual(opened, ['a.go']);
});

test('caller mistakes are TypeErrors', () => {
  assert.throws(() => checkFiles([{ path: 'a', kind: 'socket' as 'file', size: 0, open: () => new Uint8Array() }]), TypeError);
  assert.throws(() => checkFiles([{ path: 'a', kind: 'file', size: 0.5, open: () => new Uint8Array() }]), TypeError);
  assert.throws(() => checkFiles('go.mod' as never), TypeError);
});
