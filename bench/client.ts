// Client benchmark (issue #5): look up the same module versions with our Client and with Go's
// sumdb.Client against the same local server — Go's reference server (test/interop/go/sumdbserver)
// on 127.0.0.1 with latency injected into every response — and compare wall time and requests.
// Targets: wall time TS/Go <= 0.8, and no more HTTP requests than Go.
// Run alone: node --import tsx bench/client.ts [lookups] [latencyMs]   (needs Go and x/mod)
import { fileURLToPath } from 'node:url';
import { buildGoInterop } from '../scripts/go-interop.mjs';
import { Client, memoryOps } from '../src/client/index.js';
import { httpTransport, nodeSha256 } from '../src/node/index.js';
import { syntheticModule } from '../src/server/index.js';
import { runGoClient, startGoServer } from '../test/interop/go.js';

/** ClientBenchOptions size the client benchmark. */
export type ClientBenchOptions = {
  /** Module versions looked up (default 1500). */
  readonly lookups?: number;
  /** Milliseconds the server waits before every response (default 50). */
  readonly latencyMs?: number;
  /** Records in the server's log (default 100 000: proofs use three tile levels). */
  readonly treeSize?: number;
  /** Lookups Go's client runs at once, and requests our client keeps in flight (default 32). */
  readonly parallel?: number;
};

/** ClientBenchResult is the outcome of one {@link benchClient} run. */
export type ClientBenchResult = {
  readonly lookups: number;
  readonly latencyMs: number;
  readonly treeSize: number;
  readonly parallel: number;
  readonly ts: { readonly seconds: number; readonly requests: number };
  readonly go: { readonly seconds: number; readonly requests: number };
  /** Wall time of our client divided by Go's. */
  readonly ratio: number;
};

/** ClientBenchSkipped says why {@link benchClient} compared nothing (Go is missing). */
export type ClientBenchSkipped = { readonly note: string };

/** benchClient runs the benchmark once; each client starts with an empty cache. */
export async function benchClient(options: ClientBenchOptions = {}): Promise<ClientBenchResult | ClientBenchSkipped> {
  const lookups = options.lookups ?? 1500;
  const latencyMs = options.latencyMs ?? 50;
  const treeSize = options.treeSize ?? 100_000;
  const parallel = options.parallel ?? 32;
  try {
    process.env.GOSUMDB_INTEROP_BIN ??= buildGoInterop();
  } catch (e) {
    return { note: `client: skipped, nothing to compare against: ${e instanceof Error ? e.message : String(e)}` };
  }
  // Spread over the whole log, as a real go.sum's modules are.
  const list = Array.from({ length: lookups }, (_, k) => syntheticModule(Math.floor((k * treeSize) / lookups)));
  const server = await startGoServer({ n: treeSize, latencyMs });
  try {
    const url = `${server.url}/honest`;
    const go = await runGoClient({ url, vkey: server.vkey, list, parallel });

    const transport = httpTransport({ concurrency: parallel, connections: parallel, retries: 0 });
    let requests = 0;
    const client = new Client(
      memoryOps({
        key: server.vkey,
        remote: (path, signal) => {
          requests++;
          return transport(`${url}${path}`, signal);
        },
      }),
      // As gosumdb/node's httpOps and diskOps do: Go's client hashes natively too.
      { concurrency: parallel, sha256: nodeSha256 },
    );
    const start = performance.now();
    const results = await Promise.all(list.map((m) => client.lookup(m.path, m.version)));
    const seconds = (performance.now() - start) / 1000;
    const bad = results.findIndex(
      (lines, i) => lines.length !== 1 || `${lines[0]}\n` !== new TextDecoder().decode(list[i]!.text).split('\n')[0] + '\n',
    );
    if (bad >= 0) throw new Error(`our client returned wrong lines for ${list[bad]!.path}`);
    const goFailed = go.results.find((r) => r.error !== undefined);
    if (goFailed) throw new Error(`Go's client failed: ${goFailed.error}`);
    return {
      lookups,
      latencyMs,
      treeSize,
      parallel,
      ts: { seconds, requests },
      go: { seconds: go.seconds, requests: go.requests },
      ratio: seconds / go.seconds,
    };
  } finally {
    await server.close();
  }
}

/** formatClientBench renders a result as a few lines for people. */
export function formatClientBench(r: ClientBenchResult | ClientBenchSkipped): string {
  if ('note' in r) return r.note;
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  return [
    `client: ${r.lookups} lookups, log of ${r.treeSize} records, ${r.latencyMs} ms latency, ${r.parallel} in flight`,
    `  gosumdb Client   ${r.ts.seconds.toFixed(2)} s  ${r.ts.requests} requests`,
    `  Go sumdb.Client  ${r.go.seconds.toFixed(2)} s  ${r.go.requests} requests`,
    `  wall TS/Go ${r.ratio.toFixed(2)} (target <= 0.8: ${ok(r.ratio <= 0.8)}); requests ${r.ts.requests} vs ` +
      `${r.go.requests} (target <=: ${ok(r.ts.requests <= r.go.requests)})`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [lookups, latencyMs] = process.argv.slice(2).map(Number);
  console.log(
    formatClientBench(
      await benchClient({ ...(lookups ? { lookups } : {}), ...(latencyMs !== undefined && !Number.isNaN(latencyMs) ? { latencyMs } : {}) }),
    ),
  );
}
