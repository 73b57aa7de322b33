// A server that cannot be reached (DNS failure, refused connection, TLS failure) fails fast and
// once: a short bounded retry, then every request to it fails at once with the same
// UnreachableError; and a transport-wide signal (a run's deadline) aborts everything in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { newTransport, UnreachableError, type FetchLike } from '../../src/client/index.js';
import { GosumdbError } from '../../src/internal/errors.js';
import { httpTransport } from '../../src/node/index.js';
import { closedPort, serve } from '../helpers/http.js';

const fast = { backoffMs: 1, maxBackoffMs: 5 };

// What undici's fetch throws: "fetch failed" around the socket or resolver error.
function netError(code: string, message: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

function failing(e: () => Error): { fetch: FetchLike; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (url) => {
      calls.push(url);
      throw e();
    },
  };
}

test('DNS, refused and TLS failures are UnreachableError with kind, origin and the network reason', async () => {
  const cases: [string, string, 'dns' | 'connect' | 'tls'][] = [
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND sum.example', 'dns'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN sum.example', 'dns'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443', 'connect'],
    ['UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error', 'connect'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'tls'],
  ];
  for (const [code, message, kind] of cases) {
    const { fetch } = failing(() => netError(code, message));
    const err = await newTransport({ fetch, ...fast, retries: 0 })('https://sum.example:8443/lookup/x@v1').catch((e: unknown) => e);
    assert.ok(err instanceof UnreachableError, `${code}: ${String(err)}`);
    assert.equal(err.code, 'ERR_UNREACHABLE');
    assert.equal(err.kind, kind, code);
    assert.equal(err.origin, 'https://sum.example:8443');
    assert.equal(err.reason, message);
    assert.equal(err.message, `reading https://sum.example:8443/lookup/x@v1: ${message}`);
  }
  // A connection that broke after it was made is not "unreachable".
  const { fetch } = failing(() => netError('ECONNRESET', 'read ECONNRESET'));
  await assert.rejects(newTransport({ fetch, ...fast, retries: 0 })('https://sum.example/x'), { code: 'ERR_NETWORK' });
});

test('after its bounded retries, an unreachable server fails every later request at once, for unreachableMs', async () => {
  const { fetch, calls } = failing(() => netError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'));
  // Long enough for a busy machine to run the 100 requests below inside it.
  const get = newTransport({ fetch, ...fast, retries: 2, unreachableMs: 60_000 });
  await assert.rejects(get('https://sum.example/latest'), UnreachableError);
  assert.equal(calls.length, 3, 'one try and two retries');
  // 100 more lookups: no connection attempt, the same diagnosis.
  const errors = await Promise.all(
    Array.from({ length: 100 }, (_, i) => get(`https://sum.example/lookup/m${i}@v1`).catch((e: unknown) => e)),
  );
  assert.equal(calls.length, 3);
  for (const e of errors) {
    assert.ok(e instanceof UnreachableError);
    assert.equal(e.reason, 'connect ECONNREFUSED 10.0.0.1:443');
    assert.equal(e.origin, 'https://sum.example');
  }
  // Another server is not affected.
  await assert.rejects(get('https://other.example/latest'), UnreachableError);
  assert.equal(calls.length, 6);
  // After unreachableMs, the server is tried again.
  const short = failing(() => netError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'));
  const again = newTransport({ fetch: short.fetch, ...fast, retries: 0, unreachableMs: 1 });
  await assert.rejects(again('https://sum.example/latest'), UnreachableError);
  await new Promise((r) => setTimeout(r, 10));
  await assert.rejects(again('https://sum.example/latest'), UnreachableError);
  assert.equal(short.calls.length, 2);
});

test('a server that comes back is used again: a success clears the failure', async () => {
  let up = false;
  const calls: string[] = [];
  const fetch: FetchLike = async (url) => {
    calls.push(url);
    if (!up) throw netError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1');
    return new Response('ok');
  };
  const get = newTransport({ fetch, ...fast, retries: 0, unreachableMs: 30 });
  await assert.rejects(get('http://127.0.0.1:1/a'), UnreachableError);
  up = true;
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(new TextDecoder().decode(await get('http://127.0.0.1:1/a')), 'ok');
  assert.equal(new TextDecoder().decode(await get('http://127.0.0.1:1/b')), 'ok');
});

test('a closed 127.0.0.1 port: ERR_UNREACHABLE (connect), then fail-fast without connecting', async () => {
  const url = await closedPort();
  const get = httpTransport({ ...fast, retries: 1 });
  const first = await get(`${url}/latest`).catch((e: unknown) => e);
  assert.ok(first instanceof UnreachableError, String(first));
  assert.equal(first.kind, 'connect');
  assert.match(first.reason, /ECONNREFUSED/);
  const started = Date.now();
  await assert.rejects(get(`${url}/lookup/x@v1`), UnreachableError);
  assert.ok(Date.now() - started < 1000);
});

test('options.signal aborts every request, in flight and waiting for a slot, with its reason', async () => {
  const server = await serve((_req, res) => {
    res.writeHead(200);
    res.write('x'); // an answer that never ends
  });
  try {
    const run = new AbortController();
    const get = httpTransport({ concurrency: 2, timeoutMs: 60_000, signal: run.signal });
    const started = Date.now();
    const pending = Array.from({ length: 5 }, (_, i) => get(`${server.url}/lookup/m${i}@v1`).catch((e: unknown) => e));
    // Abort once both slots are taken (bounded wait: a busy machine may be slow to connect).
    for (let i = 0; i < 2000 && server.requests() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    run.abort(new GosumdbError('ERR_DEADLINE', 'deadline passed'));
    const errors = await Promise.all(pending);
    assert.ok(Date.now() - started < 30_000); // a 60 s timeout per request otherwise
    for (const e of errors) assert.ok(e instanceof GosumdbError && e.code === 'ERR_DEADLINE', String(e));
    assert.equal(server.requests(), 2, 'the three waiting for a slot never started');
    // Once aborted, nothing starts again.
    await assert.rejects(get(`${server.url}/latest`), { code: 'ERR_DEADLINE' });
    assert.equal(server.requests(), 2);
  } finally {
    await server.close();
  }
});

test('a name that does not resolve, a TLS failure and a slow connect failure are not retried', async () => {
  for (const [code, message] of [
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND sum.example'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN sum.example'],
    ['CERT_HAS_EXPIRED', 'certificate has expired'],
  ]) {
    const { fetch, calls } = failing(() => netError(code!, message!));
    await assert.rejects(newTransport({ fetch, ...fast, retries: 3 })('https://sum.example/latest'), UnreachableError);
    assert.equal(calls.length, 1, code);
  }
  // A connect timeout after more than a second: waiting again would only double it.
  let calls = 0;
  const slow: FetchLike = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 1100));
    throw netError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error');
  };
  await assert.rejects(newTransport({ fetch: slow, ...fast, retries: 3 })('https://sum.example/latest'), UnreachableError);
  assert.equal(calls, 1);
});

test('options.signal holds one listener however many requests wait on it', async () => {
  const run = new AbortController();
  const fetch: FetchLike = (_url, init) =>
    new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }));
  const get = newTransport({ fetch, concurrency: 4, signal: run.signal });
  const pending = Array.from({ length: 50 }, (_, i) => get(`https://sum.example/lookup/m${i}@v1`).catch((e: unknown) => e));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(getEventListeners(run.signal, 'abort').length, 1);
  run.abort(new GosumdbError('ERR_DEADLINE', 'deadline passed'));
  for (const e of await Promise.all(pending)) assert.ok(e instanceof GosumdbError && e.code === 'ERR_DEADLINE', String(e));
});
