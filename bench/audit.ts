// Audit benchmark (issue #12): `gosumdb audit --json` as a user runs it, at its DEFAULT settings,
// from cold caches, against Go's reference server (test/interop/go/sumdbserver, 50 ms latency on
// every response), compared with Go's sumdb.Client looking up the same module versions with every
// lookup in flight. The go.sum has 2000 lines (1500 module versions spread over a 100 000-record
// log: go.mod lines for all, zip lines for a third). The CLI also runs at other --concurrency
// values, and every run's --json output must be identical to the default run's.
// Targets: default audit wall time <= 0.8x Go's, with no more requests than Go. benchAuditLarge
// (`npm run bench -- audit-20k`) is the 20 000-line go.sum: no slower than Go, under 200 MB peak RSS.
// Run alone: node --import tsx bench/audit.ts [versions] [latencyMs]   (needs Go and x/mod)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildGoInterop } from '../scripts/go-interop.mjs';
import { syntheticModule } from '../src/server/index.js';
import { buildCli } from '../scripts/build-cli.mjs';
import { runGoClient, startGoServer } from '../test/interop/go.js';

/** AuditBenchOptions size the audit benchmark. */
export type AuditBenchOptions = {
  /** Module versions in the go.sum (default 1500; go.sum lines are 4/3 of it). */
  readonly versions?: number;
  /** Milliseconds the server waits before every response (default 50). */
  readonly latencyMs?: number;
  /** Records in the server's log (default 100 000). */
  readonly treeSize?: number;
  /** Other --concurrency values to run (default 16 and 64), checked for identical output. */
  readonly concurrencies?: readonly number[];
  /** Largest passing ratio of the default run's wall time to Go's (default 0.8). */
  readonly targetRatio?: number;
  /** Largest passing peak RSS of the default run, in MB (default: none). */
  readonly maxRssMB?: number;
};

/** AuditRun is one audit process: its flags, wall time, peak RSS and the server's request count. */
export type AuditRun = { readonly label: string; readonly seconds: number; readonly requests: number; readonly rssMB: number };

/** AuditBenchResult is the outcome of {@link benchAudit}. */
export type AuditBenchResult = {
  readonly versions: number;
  readonly targetRatio: number;
  readonly maxRssMB: number | undefined;
  /** The 1-minute load average when the runs began (2 cores: above 2, the machine was shared). */
  readonly load: number;
  readonly lines: number;
  readonly latencyMs: number;
  readonly go: { readonly seconds: number; readonly requests: number };
  /** Go's client with an on-disk cache, as the go command runs it (not a target). */
  readonly goDisk: { readonly seconds: number };
  readonly runs: readonly AuditRun[];
};

/** AuditBenchSkipped says why {@link benchAudit} compared nothing (Go is missing). */
export type AuditBenchSkipped = { readonly note: string };

// Wall time and peak RSS of one CLI process (RSS read by the child itself at exit).
async function runAudit(
  cli: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ seconds: number; rssMB: number; stdout: string; code: number | null }> {
  const rss = join(cwd, 'rss.mjs');
  writeFileSync(
    rss,
    `import { peakRssKiB } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'peak-rss.mjs')).href)};\n` +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder belongs to the child's script.
      "process.on('exit', () => process.stderr.write(`maxRSS ${peakRssKiB()}\\n`));\n",
  );
  const start = performance.now();
  const child = spawn(process.execPath, ['--import', rss, cli, 'audit', '--json', ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const code = await new Promise<number | null>((done) => child.once('close', (c) => done(c)));
  const seconds = (performance.now() - start) / 1000;
  const m = /maxRSS (\d+)/.exec(stderr);
  if (code !== 0) throw new Error(`audit ${args.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`);
  return { seconds, rssMB: m ? Number(m[1]) / 1024 : NaN, stdout, code };
}

/** benchAudit builds dist/ and Go's programs, then times Go's client and the CLI at each concurrency. */
export async function benchAudit(options: AuditBenchOptions = {}): Promise<AuditBenchResult | AuditBenchSkipped> {
  const versions = options.versions ?? 1500;
  const latencyMs = options.latencyMs ?? 50;
  const treeSize = options.treeSize ?? 100_000;
  const concurrencies = options.concurrencies ?? [16, 64];
  try {
    process.env.GOSUMDB_INTEROP_BIN ??= buildGoInterop();
  } catch (e) {
    return { note: `audit: skipped, nothing to compare against: ${e instanceof Error ? e.message : String(e)}` };
  }
  // The command as npm installs it (package.json's bin).
  const cli = await buildCli();
  const list = Array.from({ length: versions }, (_, k) => syntheticModule(Math.floor((k * treeSize) / versions)));
  const dec = new TextDecoder();
  // go.mod lines for every version, zip lines for every third: 4/3 lines per version.
  const gosum =
    list
      .flatMap((m, k) =>
        dec
          .decode(m.text)
          .trimEnd()
          .split('\n')
          .filter((l) => k % 3 === 0 || l.includes('/go.mod ')),
      )
      .join('\n') + '\n';
  const lines = gosum.split('\n').length - 1;

  const load = loadavg()[0]!;
  let server = await startGoServer({ n: treeSize, latencyMs });
  let go: Awaited<ReturnType<typeof runGoClient>>;
  let goRequests: number;
  try {
    go = await runGoClient({ url: `${server.url}/honest`, vkey: server.vkey, list, parallel: versions });
  } finally {
    goRequests = await server.close();
  }
  const goFailed = go.results.find((r) => r.error !== undefined);
  if (goFailed) throw new Error(`Go's client failed: ${goFailed.error}`);
  // The same client keeping its latest tree and verified tiles and lookups on disk, as the go
  // command does in GOMODCACHE (gosumdb audit keeps its tiles in its state by default: for a
  // 2000-line go.sum, ~395 files and ~0.4 s of kernel time on this machine). Shown, not a target.
  server = await startGoServer({ n: treeSize, latencyMs });
  const goDir = mkdtempSync(join(tmpdir(), 'gosumdb-bench-goclient-'));
  let goDisk: Awaited<ReturnType<typeof runGoClient>>;
  try {
    goDisk = await runGoClient({ url: `${server.url}/honest`, vkey: server.vkey, list, parallel: versions, config: goDir });
  } finally {
    await server.close();
    rmSync(goDir, { recursive: true, force: true });
  }

  const runs: AuditRun[] = [];
  let want: string | undefined;
  for (const c of [undefined, ...concurrencies]) {
    server = await startGoServer({ n: treeSize, latencyMs });
    const dir = mkdtempSync(join(tmpdir(), 'gosumdb-bench-audit-'));
    try {
      writeFileSync(join(dir, 'go.sum'), gosum);
      // A user's environment with cold caches: an empty GOPATH, the database reached directly.
      const env = {
        PATH: process.env['PATH'] ?? '',
        HOME: dir,
        GOPATH: join(dir, 'gopath'),
        GOSUMDB: `${server.vkey} ${server.url}/honest`,
        GOPROXY: 'direct',
        GONOSUMDB: '',
        GOPRIVATE: '',
        GOFLAGS: '',
      };
      const args = c === undefined ? [] : ['--concurrency', String(c)];
      let r: Awaited<ReturnType<typeof runAudit>>;
      let requests: number;
      try {
        r = await runAudit(cli, args, env, dir);
      } finally {
        requests = await server.close();
      }
      const doc = JSON.parse(r.stdout) as { summary: { total: number; ok: number } };
      if (doc.summary.total !== lines || doc.summary.ok !== lines)
        throw new Error(`audit ${args.join(' ')}: ${JSON.stringify(doc.summary)}, want ${lines} ok`);
      // Each run has its own HOME, so the state directory the report names differs; nothing else may.
      const out = r.stdout.replaceAll(dir, '$HOME');
      if (want === undefined) want = out;
      else if (out !== want) throw new Error(`audit --concurrency ${c}: --json output differs from the default run's`);
      runs.push({ label: c === undefined ? 'default' : `--concurrency ${c}`, seconds: r.seconds, requests, rssMB: r.rssMB });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    versions,
    targetRatio: options.targetRatio ?? 0.8,
    maxRssMB: options.maxRssMB,
    load,
    lines,
    latencyMs,
    go: { seconds: go.seconds, requests: goRequests },
    goDisk: { seconds: goDisk.seconds },
    runs,
  };
}

/**
 * benchAuditLarge is the monorepo case: a go.sum of 20 000 lines (15 000 module versions) at the
 * defaults only, no slower than Go's client with every lookup in flight, under 200 MB peak RSS.
 */
export function benchAuditLarge(): Promise<AuditBenchResult | AuditBenchSkipped> {
  return benchAudit({ versions: 15_000, concurrencies: [], targetRatio: 1, maxRssMB: 200 });
}

/** formatAuditBench renders a result as a table for people, with the targets' verdicts. */
export function formatAuditBench(r: AuditBenchResult | AuditBenchSkipped): string {
  if ('note' in r) return r.note;
  const ok = (b: boolean) => (b ? 'PASS' : 'FAIL');
  const out = [
    `audit: ${r.lines} go.sum lines (${r.versions} module versions), ${r.latencyMs} ms latency, cold caches, ` +
      `load ${r.load.toFixed(1)} on ${availableParallelism()} cores` +
      (r.runs.length > 1 ? '; --json identical at every concurrency' : ''),
    `  Go sumdb.Client, all ${r.versions} in flight   ${r.go.seconds.toFixed(2)} s  ${r.go.requests} requests`,
    `  Go, same, caching on disk as cmd/go   ${r.goDisk.seconds.toFixed(2)} s  (shown, not a target)`,
  ];
  for (const x of r.runs)
    out.push(
      `  gosumdb audit ${x.label.padEnd(18)} ${x.seconds.toFixed(2)} s  ${x.requests} requests  ${x.rssMB.toFixed(0)} ` +
        `MB peak RSS  ${(x.seconds / r.go.seconds).toFixed(2)}x Go`,
    );
  const d = r.runs[0]!;
  const ratio = d.seconds / r.go.seconds;
  out.push(
    `  target default <= ${r.targetRatio}x Go: ${ratio.toFixed(2)} ${ok(ratio <= r.targetRatio)}; ` +
      `requests ${d.requests} <= ${r.go.requests}: ${ok(d.requests <= r.go.requests)}` +
      (r.maxRssMB === undefined ? '' : `; peak RSS ${d.rssMB.toFixed(0)} < ${r.maxRssMB} MB: ${ok(d.rssMB < r.maxRssMB)}`),
  );
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [versions, latencyMs] = process.argv.slice(2).map(Number);
  console.log(
    formatAuditBench(
      await benchAudit({
        ...(versions ? { versions } : {}),
        ...(latencyMs !== undefined && !Number.isNaN(latencyMs) ? { latencyMs } : {}),
      }),
    ),
  );
}
