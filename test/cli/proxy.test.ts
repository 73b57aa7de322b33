// HTTP_PROXY / HTTPS_PROXY / NO_PROXY, as the go command's net/http reads them: behind a proxy the
// database is reached through it (here a CONNECT proxy on 127.0.0.1 that sends every tunnel to the
// test database, so a host name that resolves nowhere is reached only through it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { proxyFromEnv } from '../../src/node/index.js';
import { cli, world } from './world.js';

test('proxyFromEnv: upper case first, lower case too, a scheme assumed, undefined without a proxy', () => {
  assert.deepEqual(proxyFromEnv({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', no_proxy: '.corp' }), {
    https: 'http://a:1',
    noProxy: '.corp',
  });
  assert.deepEqual(proxyFromEnv({ http_proxy: 'proxy:3128' }), { http: 'http://proxy:3128' });
  assert.equal(proxyFromEnv({ NO_PROXY: '*' }), undefined);
  assert.equal(proxyFromEnv({ HTTP_PROXY: '' }), undefined);
});

test('lookup through HTTP_PROXY reaches a database whose host resolves nowhere; NO_PROXY and no proxy do not', async () => {
  const w = await world({ synthetic: 20 });
  const target = Number(new URL(w.server.url).port);
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    sockets.add(client);
    client.once('data', (head) => {
      const line = head.toString('latin1').split('\r\n')[0]!;
      const m = /^CONNECT (\S+) HTTP\/1\.[01]$/.exec(line);
      if (!m) return client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
      tunnels.push(m[1]!);
      const upstream = connect(target, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  try {
    const env = {
      ...w.env,
      GOSUMDB: `${w.db.vkey} http://sumdb.proxy-test.invalid`,
      HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    };
    const m = 'example.com/m3';
    const ok = await cli(['lookup', '--no-state', `${m}@v1.0.3`], env, w.tmp);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^example\.com\/m3 v1\.0\.3 h1:/m);
    assert.ok(tunnels.length > 0 && tunnels.every((t) => t === 'sumdb.proxy-test.invalid:80'), tunnels.join(' '));
    const bypassed = await cli(['lookup', '--no-state', `${m}@v1.0.3`], { ...env, NO_PROXY: '.proxy-test.invalid' }, w.tmp);
    assert.equal(bypassed.code, 1, bypassed.stderr);
    // As in Go, an https URL goes through HTTPS_PROXY only (undici alone would use HTTP_PROXY for
    // it), and an http URL through HTTP_PROXY only: neither reaches the proxy here.
    const before = tunnels.length;
    const https = await cli(
      ['lookup', '--no-state', `${m}@v1.0.3`],
      { ...env, GOSUMDB: `${w.db.vkey} https://sumdb.proxy-test.invalid` },
      w.tmp,
    );
    assert.equal(https.code, 1, https.stderr);
    const { HTTP_PROXY, ...rest } = env;
    const httpsOnly = await cli(['lookup', '--no-state', `${m}@v1.0.3`], { ...rest, HTTPS_PROXY: HTTP_PROXY }, w.tmp);
    assert.equal(httpsOnly.code, 1, httpsOnly.stderr);
    assert.deepEqual(tunnels.slice(before), []);
    const direct = await cli(['lookup', '--no-state', `${m}@v1.0.3`], w.env, w.tmp);
    assert.equal(direct.code, 0, direct.stderr);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((done) => proxy.close(done));
    await w.close();
  }
});
