// Go's strings.TrimSpace trims Unicode White_Space only: U+0085 goes, U+FEFF (a BOM) stays.
// JavaScript's trim does the opposite for both, so a .ziphash or key written with a BOM would
// pass here where Go reports it (go mod verify: "zip has been modified").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trimSpace } from '../../src/internal/bytes.js';
import { verifyModCache, type ModCacheFS } from '../../src/gosum/index.js';

test('trimSpace trims as Go strings.TrimSpace', () => {
  assert.equal(trimSpace(' \t\n\r\v\f\u0085\u00a0\u2028\u3000h1:x \n'), 'h1:x');
  assert.equal(trimSpace('\ufeffh1:x\n'), '\ufeffh1:x');
  assert.equal(trimSpace('h1:x\ufeff'), 'h1:x\ufeff');
  assert.equal(trimSpace(' \n '), '');
  assert.equal(trimSpace(''), '');
});

test('a .ziphash with a byte-order mark does not match the zip (go mod verify: zip has been modified)', async () => {
  const hash = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
  const dl = '/c/cache/download/example.com/m/@v';
  const files = new Map([[`${dl}/v1.0.0.ziphash`, new TextEncoder().encode(`\ufeff${hash}\n`)]]);
  const fs: ModCacheFS = {
    list: async () => undefined,
    read: async (f) => files.get(f),
    exists: async (p) => p === `${dl}/v1.0.0.zip`,
    hashZip: async () => hash,
    hashDir: async () => assert.fail('no directory in this cache'),
  };
  const [entry] = await verifyModCache('/c', { fs, modules: [{ path: 'example.com/m', version: 'v1.0.0' }] });
  assert.equal(entry!.status, 'modified');
  assert.match(entry!.problems[0]!, /zip has been modified/);
});

test('GOPROXY entries are trimmed as the go command trims them (strings.TrimSpace)', async () => {
  const { resolveSumDB } = await import('../../src/client/index.js');
  assert.deepEqual(
    resolveSumDB({ GOPROXY: '\u0085https://proxy.example\u0085,direct' }).proxies.map((p) => p.url),
    ['https://proxy.example', 'direct'],
  );
  assert.throws(() => resolveSumDB({ GOPROXY: '\ufeffdirect' }), { code: 'ERR_GOPROXY_MALFORMED' });
});
