// The HTTP transport against a real local server on 127.0.0.1 (undici underneath), plus undici's
// MockAgent and hand-made fetch functions for details a plain HTTP server cannot show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockAgent } from 'undici';
import { newTransport, NotFoundError, type FetchLike } from '../../src/client/index.js';
import { httpTransport } from '../../src/node/index.js';
import { closedPort, serve } from '../helpers/http.js';

const pkgVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const fast = { backoffMs: 1, maxBackoffMs: 50 };

test('a 200 answer is returned whole, with User-Agent gosumdb/<package version>', async () => {
  let ua: string | undefined;
  const s = await serve((req, res) => {
    ua = req.headers['user-agent'];
    res.end('hello world');
  });
  try {
    const get = httpTransport();
    assert.equal(text(await get(`${s.url}/latest`)), 'hello world');
    assert.equal(ua, `gosumdb/${pkgVersion}`);
  } finally {
    await s.close();
  }
});

test('404 and 410 are NotFoundError and are not retried', async () => {
  for (const status of [404, 410]) {
    const s = await serve((_req, res) => {
      res.statusCode = status;
      res.end('no');
    });
    try {
      await assert.rejects(
        httpTransport(fast)(`${s.url}/lookup/x@v1.0.0`),
        (e: unknown) => e instanceof NotFoundError && e.code === 'ERR_NOT_FOUND',
      );
      assert.equal(s.requests(), 1);
    } finally {
      await s.close();
    }
  }
});

test('a plain-text error body is summarized as the go command does ("server response:")', async () => {
  const bodies: Array<[string, string, string]> = [
    [
      'text/plain; charset=utf-8',
      'not found: example.com/x@v1.0.0: invalid version\n',
      ' not found: example.com/x@v1.0.0: invalid version',
    ],
    ['text/plain', 'line one\nline two\n\nafter blank\n', '\n\tline one\n\tline two'],
    [
      'text/plain',
      Array.from({ length: 10 }, (_, i) => `l${i}`).join('\n'),
      '\n\tl0\n\tl1\n\tl2\n\tl3\n\tl4\n\tl5\n\tl6\n\tl7\n\t[Truncated: too many lines.]',
    ],
    ['text/plain', `${'a'.repeat(600)}\n${'b'.repeat(100)}\n`, `\n\t${'a'.repeat(600)}\n\t[Truncated: too long.]`],
    ['text/plain', 'evil \u001b[31mred\n', ''],
    ['text/html', 'not found\n', ''],
    ['text/plain; charset=latin1', 'not found\n', ''],
  ];
  for (const [type, body, detail] of bodies) {
    const s = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': type });
      res.end(body);
    });
    try {
      const want = `reading ${s.url}/x: 404 Not Found${detail === '' ? '' : `\n\tserver response:${detail}`}`;
      await assert.rejects(httpTransport(fast)(`${s.url}/x`), { code: 'ERR_NOT_FOUND', message: want }, type + JSON.stringify(body));
    } finally {
      await s.close();
    }
  }
});

test('5xx and 429 are retried with backoff until success', async () => {
  const s = await serve((_req, res, n) => {
    res.statusCode = n === 1 ? 503 : n === 2 ? 429 : 200;
    res.end(n >= 3 ? 'ok' : 'busy');
  });
  try {
    assert.equal(text(await httpTransport({ ...fast, retries: 3 })(`${s.url}/x`)), 'ok');
    assert.equal(s.requests(), 3);
  } finally {
    await s.close();
  }
});

test('retries are bounded: retries+1 attempts, then ERR_HTTP_STATUS', async () => {
  const s = await serve((_req, res) => {
    res.statusCode = 500;
    res.end();
  });
  try {
    await assert.rejects(httpTransport({ ...fast, retries: 2 })(`${s.url}/x`), { code: 'ERR_HTTP_STATUS' });
    assert.equal(s.requests(), 3);
  } finally {
    await s.close();
  }
});

test('other 4xx answers fail at once', async () => {
  const s = await serve((_req, res) => {
    res.statusCode = 403;
    res.end();
  });
  try {
    await assert.rejects(httpTransport(fast)(`${s.url}/x`), { code: 'ERR_HTTP_STATUS' });
    assert.equal(s.requests(), 1);
  } finally {
    await s.close();
  }
});

test('Retry-After is honoured: never retried earlier, and a longer ask than allowed fails at once', async () => {
  const s = await serve((_req, res, n) => {
    if (n === 1) {
      res.statusCode = 429;
      res.setHeader('retry-after', '1');
      res.end();
    } else res.end('later');
  });
  try {
    const start = Date.now();
    assert.equal(text(await httpTransport({ backoffMs: 1, maxBackoffMs: 5000 })(`${s.url}/x`)), 'later');
    assert.ok(Date.now() - start >= 950, `waited ${Date.now() - start}ms`);
  } finally {
    await s.close();
  }
  const s2 = await serve((_req, res) => {
    res.statusCode = 503;
    res.setHeader('retry-after', '3600');
    res.end();
  });
  try {
    await assert.rejects(httpTransport({ backoffMs: 1, maxBackoffMs: 1000 })(`${s2.url}/x`), { code: 'ERR_HTTP_STATUS' });
    assert.equal(s2.requests(), 1);
  } finally {
    await s2.close();
  }
});

test('a server that never answers times out per attempt (ERR_TIMEOUT), bounded by retries', async () => {
  const s = await serve(() => {});
  try {
    const start = Date.now();
    // 1 s per attempt: long enough for a busy machine to deliver each request to the server.
    await assert.rejects(httpTransport({ ...fast, timeoutMs: 1000, retries: 1 })(`${s.url}/x`), { code: 'ERR_TIMEOUT' });
    assert.equal(s.requests(), 2);
    assert.ok(Date.now() - start < 15_000);
  } finally {
    await s.close();
  }
});

test('a body larger than maxBytes is refused, with or without Content-Length', async () => {
  const big = 'x'.repeat(5000);
  for (const chunked of [false, true]) {
    const s = await serve((_req, res) => {
      if (chunked) {
        res.write(big.slice(0, 2500));
        res.end(big.slice(2500));
      } else res.end(big);
    });
    try {
      await assert.rejects(httpTransport({ ...fast, maxBytes: 4096 })(`${s.url}/x`), { code: 'ERR_RESPONSE_TOO_LARGE' });
      assert.equal((await httpTransport({ ...fast, maxBytes: 5000 })(`${s.url}/x`)).length, 5000);
    } finally {
      await s.close();
    }
  }
});

test('no more than `concurrency` requests are in flight', async () => {
  let inFlight = 0;
  let most = 0;
  const s = await serve((_req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    setTimeout(() => {
      inFlight--;
      res.end('ok');
    }, 30);
  });
  try {
    const get = httpTransport({ ...fast, concurrency: 2 });
    const got = await Promise.all(Array.from({ length: 7 }, (_, i) => get(`${s.url}/x${i}`)));
    assert.equal(got.length, 7);
    assert.equal(most, 2);
  } finally {
    await s.close();
  }
});

test('redirects are followed, at most 10', async () => {
  const s = await serve((req, res) => {
    const m = /^\/r(\d+)$/.exec(req.url ?? '');
    if (m && Number(m[1]) > 0) {
      res.statusCode = 302;
      res.setHeader('location', `/r${Number(m[1]) - 1}`);
      res.end();
    } else res.end('landed');
  });
  try {
    assert.equal(text(await httpTransport(fast)(`${s.url}/r3`)), 'landed');
    await assert.rejects(httpTransport(fast)(`${s.url}/r20`), { code: 'ERR_REDIRECT' });
  } finally {
    await s.close();
  }
});

test('a redirect from https to http is refused, as the go command does', async () => {
  const fetch: FetchLike = async () => new Response(null, { status: 302, headers: { location: 'http://evil.example/x' } });
  await assert.rejects(newTransport({ fetch })('https://sum.example/latest'), { code: 'ERR_REDIRECT' });
});

test('a redirect to a file:// URL is refused, so a server cannot read local files through us', async () => {
  const s = await serve((_req, res) => {
    res.statusCode = 302;
    res.setHeader('location', 'file:///etc/passwd');
    res.end();
  });
  try {
    await assert.rejects(httpTransport(fast)(`${s.url}/latest`), { code: 'ERR_REDIRECT' });
  } finally {
    await s.close();
  }
});

test('connection failures are retried, then ERR_UNREACHABLE', async () => {
  const url = await closedPort();
  await assert.rejects(httpTransport({ ...fast, retries: 1 })(`${url}/x`), { code: 'ERR_UNREACHABLE' });
});

test('the caller can abort a request', async () => {
  const s = await serve(() => {});
  try {
    const ac = new AbortController();
    const p = httpTransport(fast)(`${s.url}/x`, ac.signal);
    setTimeout(() => ac.abort(new Error('stop')), 20);
    await assert.rejects(p, { message: 'stop' });
  } finally {
    await s.close();
  }
});

test('file:// URLs read a static mirror; a missing file is NotFoundError', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-mirror-'));
  try {
    writeFileSync(join(dir, 'latest'), 'tree');
    const get = httpTransport();
    assert.equal(text(await get(pathToFileURL(join(dir, 'latest')).href)), 'tree');
    await assert.rejects(get(pathToFileURL(join(dir, 'lookup', 'x@v1')).href), { code: 'ERR_NOT_FOUND' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('undici MockAgent: requests go through the given dispatcher with the User-Agent header', async () => {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get('https://sum.example')
    .intercept({ path: '/tile/8/0/000', method: 'GET', headers: { 'user-agent': `gosumdb/${pkgVersion}` } })
    .reply(200, 'tile-bytes');
  try {
    const get = httpTransport({ dispatcher: agent });
    assert.equal(text(await get('https://sum.example/tile/8/0/000')), 'tile-bytes');
    agent.assertNoPendingInterceptors();
  } finally {
    await agent.close();
  }
});

test('a fetch that throws is a network error', async () => {
  const fetch: FetchLike = async () => {
    throw new TypeError('fetch failed');
  };
  await assert.rejects(newTransport({ fetch, retries: 0 })('https://x.example/'), { code: 'ERR_NETWORK' });
});

test('bad options are RangeErrors', () => {
  assert.throws(() => newTransport({ fetch: async () => new Response(), concurrency: 0 }), RangeError);
  assert.throws(() => newTransport({ fetch: async () => new Response(), timeoutMs: -1 }), RangeError);
  assert.throws(() => newTransport({ fetch: async () => new Response(), maxBytes: Number.NaN }), RangeError);
});

test('each attempt times out on its own clock: answers and earlier timeouts do not move the others', async () => {
  // A fetch that answers /fast at once and never answers anything else until aborted.
  const fetch: FetchLike = (url, init) =>
    url.endsWith('/fast')
      ? Promise.resolve(new Response('ok'))
      : new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }));
  const get = newTransport({ fetch, timeoutMs: 1000, retries: 0 });
  const settled: string[] = [];
  const track = (name: string, p: Promise<Uint8Array>) =>
    p.then(
      () => settled.push(`${name} ok`),
      (e: { code?: string }) => settled.push(`${name} ${e.code}`),
    );
  const first = track('first', get('https://example.invalid/slow1'));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const second = track('second', get('https://example.invalid/slow2'));
  assert.equal(text(await get('https://example.invalid/fast')), 'ok');
  await first;
  // The first timed out after its own second; the second, begun 500 ms later, is still waiting.
  assert.deepEqual(settled, ['first ERR_TIMEOUT']);
  await second;
  assert.deepEqual(settled, ['first ERR_TIMEOUT', 'second ERR_TIMEOUT']);
});
