// tlog benchmark (issue #4): a monitor's full-log audit. verifyLog streams a synthetic log's data
// tiles (height 8, sum.golang.org's format) from memory, recomputes the root and checks it
// against the tree; reported as records per second, with the portable and the native SHA-256.
// When Go is installed, the baseline is x/mod's tlog hashing the same records (bench/go/tlog),
// and both must reach the same root.
// Run alone: node --import tsx bench/tlog.ts [records]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGoBench } from './gobuild.js';
import { nobleSha256, type Sha256 } from '../src/internal/sha256.js';
import { nodeSha256 } from '../src/node/index.js';
import { formatHash, verifyLog, type Tile, type TileReader } from '../src/tlog/index.js';

/** TlogBenchOptions size the verifyLog benchmark. */
export type TlogBenchOptions = {
  /** Records in the synthetic log (default 200 000, about a 40th of sum.golang.org in 2026). */
  readonly records?: number;
};

/** TlogBenchResult is the outcome of one {@link benchTlog} run, per SHA-256 provider. */
export type TlogBenchResult = {
  readonly records: number;
  readonly runs: readonly { readonly sha256: string; readonly seconds: number; readonly recordsPerSecond: number }[];
  /** x/mod's StoredHashes + TreeHash over the same records, when Go is installed. */
  readonly go?: { readonly seconds: number; readonly recordsPerSecond: number };
};

const _root = resolve(import.meta.dirname, '..');

// goBaseline builds and runs bench/go/tlog; undefined when Go is not installed.
function goBaseline(records: number): { seconds: number; root: string } | undefined {
  const bin = buildGoBench('tlog');
  if (bin === undefined) return undefined;
  return JSON.parse(execFileSync(bin, [String(records)], { encoding: 'utf8' })) as { seconds: number; root: string };
}

// A go.sum record as sum.golang.org stores them: the module zip line and the go.mod line.
const recordText = (i: number) =>
  `example.com/mod${i} v1.${i % 7}.${i} h1:${'A'.repeat(43)}=\nexample.com/mod${i} v1.${i % 7}.${i}/go.mod h1:${'B'.repeat(43)}=\n`;

// The tree hash computed independently of src/tlog, with node:crypto (RFC 6962 §2.1).
function rootOf(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(rootOf(leaves.slice(0, k)))
    .update(rootOf(leaves.slice(k)))
    .digest();
}

/** benchTlog runs verifyLog over one synthetic log with each SHA-256 provider. */
export async function benchTlog(options: TlogBenchOptions = {}): Promise<TlogBenchResult> {
  const records = options.records ?? 200_000;
  const enc = new TextEncoder();
  const texts = Array.from({ length: records }, (_, i) => enc.encode(recordText(i)));
  const hash = new Uint8Array(
    rootOf(
      texts.map((t) =>
        createHash('sha256')
          .update(Buffer.from([0]))
          .update(t)
          .digest(),
      ),
    ),
  );
  const tiles = new Map<number, Uint8Array>();
  for (let n = 0; n * 256 < records; n++) {
    tiles.set(
      n,
      enc.encode(
        texts
          .slice(n * 256, (n + 1) * 256)
          .map((t) => new TextDecoder().decode(t) + '\n')
          .join(''),
      ),
    );
  }
  const reader: TileReader = {
    height: 8,
    readTiles: async (ts: readonly Tile[]) => ts.map((t) => tiles.get(t.n)!),
    saveTiles: () => {},
  };
  const runs = [];
  for (const [name, sha256] of [
    ['noble', nobleSha256],
    ['node:crypto', nodeSha256],
  ] as [string, Sha256][]) {
    const start = performance.now();
    await verifyLog(reader, { n: records, hash }, { sha256 });
    const seconds = (performance.now() - start) / 1000;
    runs.push({ sha256: name, seconds, recordsPerSecond: records / seconds });
  }
  const go = goBaseline(records);
  if (!go) return { records, runs };
  if (go.root !== formatHash(hash)) throw new Error(`Go's root ${go.root} differs from ours ${formatHash(hash)}`);
  return { records, runs, go: { seconds: go.seconds, recordsPerSecond: records / go.seconds } };
}

/** formatTlogBench renders a result as a few lines for people. */
export function formatTlogBench(r: TlogBenchResult): string {
  return [
    `tlog: verifyLog over ${r.records} records (data tiles of height 8, in memory)`,
    ...r.runs.map(
      (x) => `  ${x.sha256.padEnd(12)} ${x.seconds.toFixed(2)} s  ${Math.round(x.recordsPerSecond).toLocaleString('en-US')} records/s`,
    ),
    r.go
      ? `  Go x/mod     ${r.go.seconds.toFixed(2)} s  ${Math.round(r.go.recordsPerSecond).toLocaleString('en-US')} ` +
        `records/s (hashing only, no tile parsing; same root)`
      : '  Go x/mod     (Go not installed: no baseline)',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [records] = process.argv.slice(2).map(Number);
  console.log(formatTlogBench(await benchTlog(records ? { records } : {})));
}
