import { createServer, type IncomingMessage, type ServerResponse as HttpResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../internal/errors.js';
import type { Handler } from '../server/server.js';

/** RunningServer is a {@link startServer} listener: its base URL and how to stop it. */
export type RunningServer = {
  /** Base URL, `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** The TCP port bound on 127.0.0.1. */
  readonly port: number;
  /** close stops listening, drops open connections and aborts requests in progress. */
  close(): Promise<void>;
};

/**
 * startServer serves a `gosumdb/server` handler over HTTP on 127.0.0.1 only (never on a public
 * interface), on `port` or a free one. Only GET and HEAD are answered (405 otherwise); the URL
 * path is percent-decoded as Go's `r.URL.Path` and the query ignored; a request whose client goes
 * away has its handler's `signal` aborted.
 *
 * @throws RangeError for a port outside 0..65535; the listen error (such as EADDRINUSE).
 * @example
 * ```ts
 * import { startServer } from 'gosumdb/node';
 * import { newTestDatabase } from 'gosumdb/server';
 * const db = newTestDatabase({ synthetic: 10 });
 * const server = await startServer(db.handle);
 * const res = await fetch(`${server.url}/latest`);
 * console.log(res.status, (await res.text()).split('\n')[1]); // 200 10
 * await server.close();
 * ```
 */
export async function startServer(handler: Handler, options: { readonly port?: number } = {}): Promise<RunningServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer in 0..65535, got ${String(port)}`);
  const inFlight = new Set<AbortController>();

  const server = createServer((req, res) => {
    const abort = new AbortController();
    inFlight.add(abort);
    res.on('close', () => {
      inFlight.delete(abort);
      if (!res.writableFinished) abort.abort(new Error('client closed the connection'));
    });
    answer(handler, req, res, abort.signal).catch((e: unknown) => {
      if (abort.signal.aborted) return;
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8' });
        res.end(`${errorMessage(e)}\n`);
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const a of inFlight) a.abort(new Error('server closed'));
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function answer(handler: Handler, req: IncomingMessage, res: HttpResponse, signal: AbortSignal): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'Content-Type': 'text/plain; charset=UTF-8', Allow: 'GET, HEAD' });
    res.end('method not allowed\n');
    return;
  }
  const raw = (req.url ?? '/').split('?', 1)[0]!;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=UTF-8' });
    res.end('invalid URL escape\n');
    return;
  }
  const r = await handler(path, signal);
  res.writeHead(r.status, { ...r.headers, 'Content-Type': r.contentType, 'Content-Length': String(r.body.length) });
  res.end(req.method === 'HEAD' ? undefined : r.body);
}
