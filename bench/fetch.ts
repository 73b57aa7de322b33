// Fetch benchmark (issue #15): the same verified lookups through our Client over undici's `request`
// (gosumdb/node's httpTransport) and over Node's built-in fetch (the core transport's default),
// against Go's reference server (test/interop/go/sumdbserver) in its own process on 127.0.0.1.
// It decides whether gosumdb/node keeps undici as a dependency: it stays only if it is faster.
// Run alone: node --import tsx bench/fetch.ts [lookups] [rounds]   (needs Go and x/mod)
import { fileURLToPath } from 'node:url';
import { buildGoInterop } from '../scripts/go-interop.mjs';
import { Client, memoryOps, newTransport, type Transport } from '../src/client/index.js';
import { httpTransport, nodeSha256 } from '../src/node/index.js';
import { syntheticModule } from '../src/server/index.js';
import { startGoServer } from '../test/interop/go.js';

/** FetchBenchOptions size the fetch benchmark. */
export type FetchBenchOptions = {
  /** Module versions looked up per run (default 1000). */
  readonly lookups?: number;
  /** Runs per transport and latency, alternating; the median is reported (default 3). */
  readonly rounds?: number;
  /** Records in the server's log (default 100 000). */
  readonly treeSize?: number;
  /** Requests in flight (default 32). */
  readonly parallel?: number;
};

/** FetchBench is the median wall time and CPU time (this process, seconds) of one transport. */
export type FetchBench = { readonly wall: number; readonly cpu: number };

/** FetchBenchRow compares the two transports at one server latency. */
export type FetchBenchRow = { readonly latencyMs: number; readonly undici: FetchBench; readonly builtin: FetchBench };

/** FetchBenchResult is the outcome of {@link benchFetch}. */
export type FetchBenchResult = {
  readonly lookups: number;
  readonly treeSize: number;
  readonly parallel: number;
  readonly rows: readonly FetchBenchRow[];
};

/** benchFetch runs the benchmark; every run starts with an empty client cache and a new connection pool. */
export async function benchFetch(options: FetchBenchOptions = {}): Promise<FetchBenchResult | { readonly note: string }> {
  const lookups = options.lookups ?? 1000;
  const rounds = options.rounds ?? 3;
  const treeSize = options.treeSize ?? 100_000;
  const parallel = options.parallel ?? 32;
  try {
    process.env.GOSUMDB_INTEROP_BIN ??= buildGoInterop();
  } catch (e) {
    return { note: `fetch: skipped, no Go server: ${e instanceof Error ? e.message : String(e)}` };
  }
  const list = Array.from({ length: lookups }, (_, k) => syntheticModule(Math.floor((k * treeSize) / lookups)));
  const transports: Record<'undici' | 'builtin', () => Transport> = {
    undici: () => httpTransport({ concurrency: parallel, connections: parallel, retries: 0 }),
    builtin: () => newTransport({ concurrency: parallel, retries: 0, fetch: globalThis.fetch }),
  };
  const rows: FetchBenchRow[] = [];
  for (const latencyMs of [0, 50]) {
    const server = await startGoServer({ n: treeSize, latencyMs });
    try {
      const url = `${server.url}/honest`;
      const times: Record<'undici' | 'builtin', FetchBench[]> = { undici: [], builtin: [] };
      for (let round = 0; round < rounds; round++) {
        for (const name of ['undici', 'builtin'] as const) {
          const transport = transports[name]();
          const client = new Client(memoryOps({ key: server.vkey, remote: (path, signal) => transport(`${url}${path}`, signal) }), {
            concurrency: parallel,
            sha256: nodeSha256,
          });
          const start = performance.now();
          const cpu = process.cpuUsage();
          const results = await Promise.all(list.map((m) => client.lookup(m.path, m.version)));
          const used = process.cpuUsage(cpu);
          times[name].push({ wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 });
          if (results.some((lines) => lines.length !== 1)) throw new Error(`${name}: wrong lookup results`);
        }
      }
      rows.push({ latencyMs, undici: median(times.undici), builtin: median(times.builtin) });
    } finally {
      await server.close();
    }
  }
  return { lookups, treeSize, parallel, rows };
}

function median(xs: readonly FetchBench[]): FetchBench {
  const mid = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  return { wall: mid(xs.map((x) => x.wall)), cpu: mid(xs.map((x) => x.cpu)) };
}

/** formatFetchBench renders a result as a few lines for people. */
export function formatFetchBench(r: FetchBenchResult | { readonly note: string }): string {
  if ('note' in r) return r.note;
  return [
    `fetch: ${r.lookups} lookups, log of ${r.treeSize} records, ${r.parallel} in flight (medians: wall time, CPU time of this process)`,
    ...r.rows.map(
      (x) =>
        `  latency ${String(x.latencyMs).padStart(2)} ms  undici request ${x.undici.wall.toFixed(2)} s (cpu ${x.undici.cpu.toFixed(2)} s)` +
        `  built-in fetch ${x.builtin.wall.toFixed(2)} s (cpu ${x.builtin.cpu.toFixed(2)} s)  fetch/undici wall ` +
        `${(x.builtin.wall / x.undici.wall).toFixed(2)}, cpu ${(x.builtin.cpu / x.undici.cpu).toFixed(2)}`,
    ),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [lookups, rounds] = process.argv.slice(2).map(Number);
  console.log(formatFetchBench(await benchFetch({ ...(lookups ? { lookups } : {}), ...(rounds ? { rounds } : {}) })));
}
