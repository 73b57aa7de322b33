// Plain HTTP servers on 127.0.0.1 for transport and network tests: a handler per request, the
// requests counted, every socket destroyed on close (a handler that never ends its answer does
// not hold the test open).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Handler answers one request; `n` counts the requests from 1. */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** TestServer is a running {@link serve}: its base URL, what it has seen, and how to stop it. */
export type TestServer = {
  readonly url: string;
  /** requests is how many requests have arrived so far. */
  requests(): number;
  /** firstAt is the Date.now() of the first request (0 before it). */
  firstAt(): number;
  /** close destroys every open socket and stops listening. */
  close(): Promise<void>;
};

/** serve starts `handler` on 127.0.0.1 at a free port; the test closes it. */
export async function serve(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let requests = 0;
  let firstAt = 0;
  const server = createServer((req, res) => {
    if (requests++ === 0) firstAt = Date.now();
    handler(req, res, requests);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    firstAt: () => firstAt,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** dripServer answers 200 and then one byte every `everyMs`, never ending; close stops the drips. */
export async function dripServer(everyMs: number): Promise<TestServer> {
  const drips: NodeJS.Timeout[] = [];
  const s = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    drips.push(setInterval(() => res.write('x'), everyMs));
  });
  return {
    ...s,
    close: () => {
      for (const d of drips) clearInterval(d);
      return s.close();
    },
  };
}

/** closedPort is the URL of a 127.0.0.1 port that was just listened on and closed: connecting is refused. */
export async function closedPort(): Promise<string> {
  const s = await serve(() => {});
  await s.close();
  return s.url;
}
