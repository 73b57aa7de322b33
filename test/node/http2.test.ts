// HTTP/2 over TLS, as sum.golang.org and proxy.golang.org serve it: the client negotiates h2 when
// the server offers it, still speaks HTTP/1.1 to a server that offers only that, and trusts a
// private certificate only through httpOps' `ca` (verification stays on). The certificate is made
// by openssl for 127.0.0.1 in a temporary directory; the servers bind 127.0.0.1 only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, resolveSumDB } from '../../src/client/index.js';
import { httpOps } from '../../src/node/index.js';
import { newTestDatabase, syntheticModule } from '../../src/server/index.js';

const n = 300;
const db = newTestDatabase({ synthetic: n });

// A self-signed certificate for 127.0.0.1, made at test time.
function certificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-h2-'));
  try {
    execFileSync(
      '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = certificate();

type Served = { url: string; versions: string[]; close: () => Promise<void> };

// Answers the test database's paths and records each request's HTTP version.
function serveDatabase(kind: 'h2' | 'https1'): Promise<Served> {
  const versions: string[] = [];
  const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    versions.push(req.httpVersion);
    void db.handle(req.url ?? '/', new AbortController().signal).then((r) => {
      res.writeHead(r.status, { ...r.headers, 'content-type': r.contentType });
      res.end(r.body);
    });
  };
  const server: Server = kind === 'h2' ? createSecureServer({ ...tls, allowHTTP1: false }, handle) : createHttpsServer({ ...tls }, handle);
  const sessions = new Set<{ destroy(): void }>();
  server.on(kind === 'h2' ? 'session' : 'connection', (s: { destroy(): void; once(e: string, f: () => void): void }) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        versions,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sessions) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

// Verified lookups of three records through httpOps, trusting the test certificate by `ca`.
async function lookups(url: string, options: { ca?: string } = {}): Promise<string[][]> {
  const client = new Client(httpOps(resolveSumDB({ GOSUMDB: `${db.vkey} ${url}` }), { ...options, retries: 0 }));
  return Promise.all([0, 150, n - 1].map((i) => client.lookup(syntheticModule(i).path, syntheticModule(i).version)));
}

const want = [0, 150, n - 1].map((i) => new TextDecoder().decode(syntheticModule(i).text).trimEnd().split('\n').slice(0, 1));

test('a server that offers HTTP/2 is spoken to in HTTP/2, and answers verify', async () => {
  const s = await serveDatabase('h2');
  try {
    assert.deepEqual(await lookups(s.url, { ca: tls.cert }), want);
    assert.ok(s.versions.length >= 4, `${s.versions.length} requests`);
    assert.deepEqual(new Set(s.versions), new Set(['2.0']));
  } finally {
    await s.close();
  }
});

test('a server that offers only HTTP/1.1 over TLS still works', async () => {
  const s = await serveDatabase('https1');
  try {
    assert.deepEqual(await lookups(s.url, { ca: tls.cert }), want);
    assert.deepEqual(new Set(s.versions), new Set(['1.1']));
  } finally {
    await s.close();
  }
});

test('without `ca` the private certificate is not trusted: verification was never turned off', async () => {
  const s = await serveDatabase('h2');
  try {
    await assert.rejects(lookups(s.url), (e: unknown) => (e as { code?: string }).code === 'ERR_UNREACHABLE');
    assert.deepEqual(s.versions, []);
  } finally {
    await s.close();
  }
});
