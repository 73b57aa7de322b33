// How the client finds the database through GOPROXY, following the go command's documented
// protocol (golang.org/design/25530-sumdb#proxying-a-checksum-database and cmd/go's TryProxies):
// the first proxy answering <proxy>/sumdb/<name>/supported serves everything; 404/410 fall
// through; other errors fall through only after '|'; "direct"/"off"/end of list go direct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GosumdbError } from '../../src/internal/errors.js';
import { NotFoundError, sumdbRemote, type ProxySpec, type SumDBConfig } from '../../src/client/index.js';

function config(proxies: ProxySpec[], url?: string): SumDBConfig {
  return { off: false, name: 'sum.example.com', key: 'unused', url, direct: 'https://sum.example.com', proxies, noSumDB: '' };
}

// A fake network: status per URL prefix (200 if absent); records every URL asked.
function network(statuses: Record<string, number>) {
  const asked: string[] = [];
  const get = async (url: string) => {
    asked.push(url);
    const hit = Object.keys(statuses).find((p) => url.startsWith(p));
    const status = hit === undefined ? 200 : statuses[hit]!;
    if (status === 404 || status === 410) throw new NotFoundError(`reading ${url}: ${status}`);
    if (status !== 200) throw new GosumdbError('ERR_HTTP_STATUS', `reading ${url}: ${status}`);
    return new TextEncoder().encode(url);
  };
  return { asked, get };
}

const p = (url: string, fallBackOnError = false): ProxySpec => ({ url, fallBackOnError });
const text = (b: Uint8Array) => new TextDecoder().decode(b);

test('a proxy that supports the database serves every request, probed once', async () => {
  const net = network({});
  const read = sumdbRemote(config([p('https://proxy.example'), p('direct')]), net.get);
  assert.equal(text(await read('/latest')), 'https://proxy.example/sumdb/sum.example.com/latest');
  assert.equal(text(await read('/tile/8/0/000')), 'https://proxy.example/sumdb/sum.example.com/tile/8/0/000');
  assert.deepEqual(net.asked, [
    'https://proxy.example/sumdb/sum.example.com/supported',
    'https://proxy.example/sumdb/sum.example.com/latest',
    'https://proxy.example/sumdb/sum.example.com/tile/8/0/000',
  ]);
});

test('proxy paths join with exactly one slash, keeping the proxy path', async () => {
  const net = network({});
  const read = sumdbRemote(config([p('https://proxy.example/base/')]), net.get);
  assert.equal(
    text(await read('/lookup/golang.org/x/text@v0.3.0')),
    'https://proxy.example/base/sumdb/sum.example.com/lookup/golang.org/x/text@v0.3.0',
  );
});

test('comma: 404/410 fall through to the next proxy and then direct', async () => {
  const net = network({ 'https://a.example': 404, 'https://b.example': 410 });
  const read = sumdbRemote(config([p('https://a.example'), p('https://b.example'), p('direct')]), net.get);
  assert.equal(text(await read('/latest')), 'https://sum.example.com/latest');
});

test('comma: any other proxy error stops the search and is reported', async () => {
  const net = network({ 'https://a.example': 500 });
  const read = sumdbRemote(config([p('https://a.example'), p('direct')]), net.get);
  await assert.rejects(read('/latest'), { code: 'ERR_HTTP_STATUS', message: /a\.example/ });
  assert.equal(net.asked.length, 1);
});

test('pipe: any error falls through', async () => {
  const net = network({ 'https://a.example': 500 });
  const read = sumdbRemote(config([p('https://a.example', true), p('https://b.example')]), net.get);
  assert.equal(text(await read('/latest')), 'https://b.example/sumdb/sum.example.com/latest');
});

test('a real proxy error outranks a later 404 when the list ends without direct', async () => {
  const net = network({ 'https://a.example': 500, 'https://b.example': 404 });
  const read = sumdbRemote(config([p('https://a.example', true), p('https://b.example')]), net.get);
  await assert.rejects(read('/latest'), { code: 'ERR_HTTP_STATUS', message: /a\.example/ });
});

test('reaching direct after a pipe fallback goes to the database', async () => {
  const net = network({ 'https://a.example': 500 });
  const read = sumdbRemote(config([p('https://a.example', true), p('direct')]), net.get);
  assert.equal(text(await read('/latest')), 'https://sum.example.com/latest');
});

test('GOPROXY=off still reaches the database directly', async () => {
  const net = network({});
  const read = sumdbRemote(config([p('off')]), net.get);
  assert.equal(text(await read('/latest')), 'https://sum.example.com/latest');
  assert.deepEqual(net.asked, ['https://sum.example.com/latest']);
});

test('an explicit GOSUMDB URL bypasses the proxies', async () => {
  const net = network({});
  const read = sumdbRemote(config([p('https://proxy.example')], 'https://mirror.example/sumdb'), net.get);
  assert.equal(text(await read('/latest')), 'https://mirror.example/sumdb/latest');
  assert.deepEqual(net.asked, ['https://mirror.example/sumdb/latest']);
});

test('a failed discovery is tried again on the next read', async () => {
  let fail = true;
  const asked: string[] = [];
  const read = sumdbRemote(config([p('https://a.example')]), async (url) => {
    asked.push(url);
    if (fail) throw new GosumdbError('ERR_NETWORK', 'down');
    return new Uint8Array();
  });
  await assert.rejects(read('/latest'), { code: 'ERR_NETWORK' });
  fail = false;
  await read('/latest');
  assert.deepEqual(asked, [
    'https://a.example/sumdb/sum.example.com/supported',
    'https://a.example/sumdb/sum.example.com/supported',
    'https://a.example/sumdb/sum.example.com/latest',
  ]);
});

test('one reader aborting does not cancel the discovery others wait for', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const read = sumdbRemote(config([p('https://a.example')]), async (url) => {
    if (url.endsWith('/supported')) await gate;
    return new TextEncoder().encode(url);
  });
  const ac = new AbortController();
  const first = read('/latest', ac.signal);
  const second = read('/tile/8/0/000');
  ac.abort(new Error('gone'));
  await assert.rejects(first, { message: 'gone' });
  release();
  assert.equal(text(await second), 'https://a.example/sumdb/sum.example.com/tile/8/0/000');
});

test('paths cannot climb out of the database URL space', async () => {
  const net = network({});
  const read = sumdbRemote(config([p('off')]), net.get);
  for (const bad of ['/../etc/passwd', '/lookup/../../x', '/./latest', 'latest']) await assert.rejects(read(bad), RangeError, bad);
  assert.deepEqual(net.asked, []);
});

test('GOSUMDB=off has no remote', () => {
  assert.throws(() => sumdbRemote({ ...config([]), off: true }, async () => new Uint8Array()), RangeError);
});
