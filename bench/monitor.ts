// monitor benchmark (issue #14): a full-log sync of a local database. A synthetic database (N
// generated records, bench/synthetic.ts: tiles made on request, ~35 bytes a record held, so 10
// million fit; data tiles of height 8 as sum.golang.org serves them) is served on 127.0.0.1 by
// this process; gosumdb monitor and the Go
// baseline (bench/go/monitor: x/mod's note + tlog, every record hashed and checked against the
// signed tree through TileHashReader) each run in their own process against it. Reported:
// records/s by the wall clock and per CPU second (on a shared machine the wall clock mostly
// measures the other processes; Go's threads also get more of the CPU there than Node's one),
// the ratios to Go, peak RSS, and gosumdb's CPU seconds per million records along the run (flat
// when the cost per record does not grow with the log). gosumdb runs as the CLI does by default
// (no worker thread on 2 CPUs, see workerTileHasher); up to 2 million records also with one
// worker thread reading the tiles, and with the index in memory (it shares the SQLite run's
// index; only the persistence differs), and every run twice, the faster kept.
// Run alone: node --import tsx bench/monitor.ts [records]   (default 1 000 000; 10 000 000 for the RSS check)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/node/index.js';
import { buildDist } from './dirhash.js';
import { buildGoBench } from './gobuild.js';
import { newSyntheticDatabase } from './synthetic.js';

const root = resolve(import.meta.dirname, '..');

type Run = { records: number; seconds: number; cpuSeconds: number; maxRssKB: number; cpuPerMillion?: number[] };

/** MonitorBenchResult is one {@link benchMonitor} run. */
export type MonitorBenchResult = {
  readonly records: number;
  /** The 1-minute load average when the runs ended (2 cores: above 2, processes wait for a CPU). */
  readonly load: string;
  readonly runs: readonly { readonly name: string; readonly run: Run }[];
  readonly go?: Run;
};

function child(cmd: string, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const p = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', fail);
    p.on('close', (code) => (code === 0 ? done(JSON.parse(out) as Run) : fail(new Error(`${cmd} exited ${code}`))));
  });
}

/** benchMonitor syncs a local database of `records` records with gosumdb monitor and with the Go baseline. */
export async function benchMonitor(records = 1_000_000): Promise<MonitorBenchResult> {
  buildDist();
  const db = newSyntheticDatabase(records);
  const server = await startServer(db.handle);
  const tmp = mkdtempSync(join(tmpdir(), 'gosumdb-bench-monitor-'));
  try {
    const state = join(tmp, 'state');
    // Each run from an empty state, in its own process.
    const node = (where: string, ...workers: string[]) => {
      rmSync(state, { recursive: true, force: true });
      return child(process.execPath, [join(root, 'bench/monitor-child.mjs'), server.url, db.vkey, where, ...workers]);
    };
    const small = records <= 2_000_000;
    const configs: { name: string; run: () => Promise<Run> }[] = [{ name: 'gosumdb (SQLite state)', run: () => node(state) }];
    if (small) {
      configs.push({ name: 'gosumdb (memory index)', run: () => node('memory') });
      // The default on 2 CPUs is no worker thread (see workerTileHasher); one, for comparison.
      configs.push({ name: 'gosumdb (SQLite, 1 worker)', run: () => node(state, '1') });
    }
    const bin = buildGoBench('monitor');
    // Up to 2 million records, two rounds of every run, Go's in turn with ours, each keeping its
    // faster run: on a shared machine one run can be twice as slow as the next.
    const best = new Map<string, Run>();
    const keep = (name: string, run: Run): void => {
      if (run.records !== records) throw new Error(`${name} read ${run.records} records, want ${records}`);
      const before = best.get(name);
      if (before === undefined || run.seconds < before.seconds) best.set(name, run);
    };
    for (let round = 0; round < (small ? 2 : 1); round++) {
      for (const c of configs) keep(c.name, await c.run());
      if (bin) keep('go', await child(bin, [server.url, db.vkey]));
    }
    const runs = configs.map((c) => ({ name: c.name, run: best.get(c.name)! }));
    const go = best.get('go');
    return { records, load: loadavg()[0]!.toFixed(1), runs, ...(go ? { go } : {}) };
  } finally {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** formatMonitorBench renders a result for people. */
export function formatMonitorBench(r: MonitorBenchResult): string {
  const rate = (x: Run) => x.records / x.seconds;
  const cpuRate = (x: Run) => x.records / x.cpuSeconds;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
  const line = (name: string, x: Run) =>
    `  ${name.padEnd(27)} ${x.seconds.toFixed(1).padStart(6)} s ${fmt(rate(x))} records/s` +
    `${r.go && x !== r.go ? ` (${(rate(x) / rate(r.go)).toFixed(2)}x Go)` : '              '}` +
    `  ${x.cpuSeconds.toFixed(1).padStart(6)} CPU s ${fmt(cpuRate(x))} records/CPU s` +
    `${r.go && x !== r.go ? ` (${(cpuRate(x) / cpuRate(r.go)).toFixed(2)}x Go)` : '              '}` +
    `  peak RSS ${Math.round(x.maxRssKB / 1024)} MB` +
    (x.cpuPerMillion && x.cpuPerMillion.length > 1 ? `  CPU s/M records: ${x.cpuPerMillion.map((s) => s.toFixed(1)).join(' ')}` : '');
  return [
    `monitor: full sync of ${r.records.toLocaleString('en-US')} records from a local server ` +
      `(height-8 tiles, each process on its own; load ${r.load})`,
    ...r.runs.map((x) => line(x.name, x.run)),
    r.go ? line('Go x/mod (tlog)', r.go) : '  Go x/mod                 (Go not installed: no baseline)',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [records] = process.argv.slice(2).map(Number);
  console.log(formatMonitorBench(await benchMonitor(records || undefined)));
}
