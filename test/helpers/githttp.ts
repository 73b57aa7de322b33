// A git smart-HTTP server for tests and the git vector generator: `git http-backend` run as a CGI
// program behind node:http on 127.0.0.1, plus the `?go-get=1` page with a go-import meta tag.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** GitServer is a running server; `url` is http://127.0.0.1:PORT (no slash). */
export type GitServer = { readonly url: string; readonly requests: string[]; close(): Promise<void> };

/** GitServerOptions: the directory whose subdirectories are the served repositories, and the go-import answer. */
export type GitServerOptions = {
  /** root holds the repositories, served as /<name> (bare or with a work tree). */
  readonly root: string;
  /** goImport returns the go-import meta content for a ?go-get=1 path, or undefined for 404. */
  readonly goImport?: (path: string, url: string) => string | undefined;
};

function cgi(req: IncomingMessage, res: ServerResponse, root: string, pathInfo: string, query: string): void {
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: '127.0.0.1',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(child.stdin);
  child.stdin.on('error', () => {});
  let head = Buffer.alloc(0);
  let started = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (started) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    started = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') status = parseInt(v, 10);
      else res.setHeader(k, v);
    }
    res.statusCode = status;
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => res.end());
  child.on('error', () => {
    res.statusCode = 500;
    res.end();
  });
}

/** startGitServer serves the repositories under `root` on 127.0.0.1 until closed. */
export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const requests: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${u.pathname}${u.search}`);
    if (u.searchParams.get('go-get') === '1') {
      const content = options.goImport?.(u.pathname.slice(1), base);
      if (content === undefined) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!DOCTYPE html><html><head><meta name="go-import" content="${content}"></head><body></body></html>\n`);
      return;
    }
    cgi(req, res, options.root, decodeURIComponent(u.pathname), u.search.slice(1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
