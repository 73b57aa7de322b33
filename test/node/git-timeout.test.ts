// A clone that outlasts its timeout is ended with all its processes: git's helper for http
// (git-remote-http) keeps downloading when only git itself is killed. The server here serves a
// real repository over dumb HTTP, but its pack never ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGosumdbError } from '../../src/internal/errors.js';
import { gitModule } from '../../src/node/git.js';
import { buildRepo, gitEnv } from '../../src/node/gitrepo.js';

// Processes whose command line names the URL (Linux /proc).
function processesFor(url: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
      if (cmd.includes(url) && state !== 'Z') out.push(`${pid} ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

test('a clone past its timeout is ERR_GIT, and no git process is left downloading', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-git-timeout-'));
  const work = join(dir, 'work');
  await buildRepo(work, [{ commit: { 'go.mod': 'module example.com/m\n' } }, { tag: 'v1.0.0' }]);
  const bare = join(dir, 'bare.git');
  execFileSync('git', ['clone', '-q', '--bare', work, bare], { env: gitEnv(dir) });
  execFileSync('git', ['repack', '-a', '-d', '-q'], { cwd: bare, env: gitEnv(dir) });
  execFileSync('git', ['update-server-info'], { cwd: bare, env: gitEnv(dir) });
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const file = join(bare, new URL(req.url ?? '/', 'http://x').pathname);
    if (file.endsWith('.pack')) {
      res.writeHead(200);
      res.write(readFileSync(file).subarray(0, 12));
      const t = setInterval(() => res.write(Buffer.alloc(64 * 1024, 7)), 20);
      timers.add(t);
      res.on('close', () => clearInterval(t));
      return;
    }
    try {
      if (statSync(file).isFile()) return res.end(readFileSync(file));
    } catch {
      // not found
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    await assert.rejects(gitModule({ repo: url, timeoutMs: 2000 }, 'example.com/m', 'v1.0.0'), (e: unknown) =>
      isGosumdbError(e, 'ERR_GIT'),
    );
    // Killed processes can take a moment to be reaped.
    let left = processesFor(url);
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await new Promise((done) => setTimeout(done, 100));
      left = processesFor(url);
    }
    assert.deepEqual(left, []);
  } finally {
    for (const t of timers) clearInterval(t);
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    rmSync(dir, { recursive: true, force: true });
  }
});
