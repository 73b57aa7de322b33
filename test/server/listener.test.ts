import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer } from '../../src/node/server.js';
import { newTestDatabase, type Handler } from '../../src/server/index.js';
import { generateKey } from '../../src/note/index.js';
import { lookupPath, synthetic } from './reference.js';

const db = newTestDatabase({ key: generateKey('listener.test'), synthetic: 7 });

function get(url: string, method = 'GET', path?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: path ?? u.pathname + u.search, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('startServer binds 127.0.0.1 and serves the handler over HTTP', async () => {
  const server = await startServer(db.handle);
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    const latest = await get(`${server.url}/latest`);
    assert.equal(latest.status, 200);
    assert.equal(latest.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(latest.body.split('\n')[1], '7');
    const lookup = await get(`${server.url}${lookupPath(5)}?ignored=1`);
    assert.equal(lookup.status, 200);
    assert.ok(lookup.body.startsWith(`5\n${synthetic(5).text}\n`));
    const tile = await get(`${server.url}/tile/2/0/000`);
    assert.equal(tile.headers['content-type'], 'application/octet-stream');
    assert.equal(tile.headers['content-length'], '128');
    assert.equal((await get(`${server.url}/lookup/example.com/nope@v1.0.0`)).status, 404);
  } finally {
    await server.close();
  }
});

test('the path is percent-decoded like Go r.URL.Path; bad escapes are 400', async () => {
  const server = await startServer(db.handle);
  try {
    assert.equal((await get(server.url, 'GET', '/%6catest')).status, 200);
    assert.equal((await get(server.url, 'GET', '/lookup/example.com/m1%40v1.1.1')).status, 200);
    assert.equal((await get(server.url, 'GET', '/%zz')).status, 400);
  } finally {
    await server.close();
  }
});

test('only GET and HEAD are answered', async () => {
  const server = await startServer(db.handle);
  try {
    const head = await get(`${server.url}/latest`, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.ok(Number(head.headers['content-length']) > 0);
    const post = await get(`${server.url}/latest`, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  } finally {
    await server.close();
  }
});

test('statuses and headers of the handler pass through (flaky 429 Retry-After)', async () => {
  const flaky = newTestDatabase({ key: generateKey('flaky.test'), synthetic: 1, mode: 'flaky' });
  const server = await startServer(flaky.handle);
  try {
    assert.equal((await get(`${server.url}/latest`)).status, 503);
    const second = await get(`${server.url}/latest`);
    assert.equal(second.status, 429);
    assert.equal(second.headers['retry-after'], '0');
    assert.equal((await get(`${server.url}/latest`)).status, 200);
  } finally {
    await server.close();
  }
});

test('a throwing handler is a 500; close aborts requests in flight', async () => {
  let seen: AbortSignal | undefined;
  const handler: Handler = async (path, signal) => {
    if (path === '/boom') throw new Error('boom');
    seen = signal;
    await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
    throw new Error('unreachable');
  };
  const server = await startServer(handler);
  const boom = await get(`${server.url}/boom`);
  assert.equal(boom.status, 500);
  assert.equal(boom.body, 'boom\n');
  const hanging = get(`${server.url}/hang`).catch((e: unknown) => e);
  while (seen === undefined) await new Promise((r) => setTimeout(r, 5));
  await server.close();
  assert.equal(seen.aborted, true);
  assert.ok((await hanging) instanceof Error, 'the connection was dropped');
  await assert.rejects(get(`${server.url}/latest`), { code: 'ECONNREFUSED' });
});

test('ports are validated', async () => {
  await assert.rejects(startServer(db.handle, { port: 70000 }), RangeError);
  await assert.rejects(startServer(db.handle, { port: -1 }), RangeError);
  const a = await startServer(db.handle);
  try {
    await assert.rejects(startServer(db.handle, { port: a.port }), { code: 'EADDRINUSE' });
  } finally {
    await a.close();
  }
});

test('a client that goes away aborts its request', async () => {
  let seen: AbortSignal | undefined;
  const handler: Handler = async (_path, signal) => {
    seen = signal;
    await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
    throw new Error('unreachable');
  };
  const server = await startServer(handler);
  try {
    const u = new URL(server.url);
    const req = request({ host: u.hostname, port: u.port, path: '/latest', agent: false });
    req.on('error', () => {});
    req.end();
    while (seen === undefined) await new Promise((r) => setTimeout(r, 5));
    req.destroy();
    for (let i = 0; i < 200 && !seen.aborted; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(seen.aborted, true);
  } finally {
    await server.close();
  }
});
