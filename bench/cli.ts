// CLI benchmark (issue #12): what a user waits for, whole processes from the shell. The built CLI
// (dist/cli/bundle/gosumdb.js, package.json's `bin`, as npm installs it) against `node -e 0`
// (Node's own start) and against Go's HashZip program (bench/go/dirhash, whole process too),
// interleaved in rounds and reported as medians, so a busy machine slows every side alike. Two
// rows run the unbundled tsc output (dist/cli/main.js), the other way to ship the command, to keep
// the choice of the bundle measured (scripts/build-cli.mjs).
// Targets: --version and --help within 60 ms of `node -e 0`; `hash` of the small module zip
// (Go's src/archive, 144 KB) within 80 ms of it; `hash` of the large zip (Go's src twice) at
// most 0.7x Go's program.
// Run alone: node --import tsx bench/cli.ts [rounds]   (needs Go and x/mod for the zips and Go)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../scripts/build-cli.mjs';
import { buildDist, buildGo, ensureInputs, goBin } from './dirhash.js';

const root = resolve(import.meta.dirname, '..');
const unbundled = join(root, 'dist/cli/main.js');

/** CliBenchRow is one command's median wall time (and CPU time, where measured) over the rounds. */
export type CliBenchRow = { readonly name: string; readonly ms: number; readonly cpuMs?: number };

/** CliBenchResult is the outcome of {@link benchCli}: the rows, or why there are none. */
export type CliBenchResult = { readonly rounds: number; readonly rows?: readonly CliBenchRow[]; readonly note?: string };

type Job = { readonly name: string; readonly argv: readonly string[]; readonly every?: number; readonly check?: (out: string) => void };

// GNU time, where installed, adds each process's CPU time (user + system): on a shared machine
// wall times grow with everyone's load, CPU times much less.
const gnuTime = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '%U %S'] : [];

function timeOnce(argv: readonly string[]): { ms: number; cpuMs?: number; out: string } {
  const cmd = [...gnuTime, ...argv];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', maxBuffer: 1 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  if (gnuTime.length === 0) return { ms, out: r.stdout };
  const [user, sys] = r.stderr.trimEnd().split('\n').at(-1)!.split(' ').map(Number) as [number, number];
  return { ms, cpuMs: (user + sys) * 1000, out: r.stdout };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** benchCli builds dist/ and the zips, then times each command once per round (the large hash every 5th). */
export async function benchCli(options: { rounds?: number } = {}): Promise<CliBenchResult> {
  const rounds = options.rounds ?? 20;
  if (!buildGo()) return { rounds, note: 'Go (with golang.org/x/mod) is not installed: no zips and no baseline; skipped' };
  buildDist();
  const main = await buildCli();
  const zips = Object.fromEntries(ensureInputs(['small', 'large']).map((x) => [x.name, x.path]));
  const goHash = (out: string) => (JSON.parse(out) as { hash: string }).hash;
  const hashes = new Map<string, string>();
  const agree = (key: string, h: string) => {
    if (hashes.has(key) && hashes.get(key) !== h) throw new Error(`${key}: gosumdb hash ${h} differs from Go's ${hashes.get(key)}`);
    hashes.set(key, h);
  };
  const node = process.execPath;
  const jobs: Job[] = [
    { name: 'node -e 0', argv: [node, '-e', '0'] },
    { name: 'gosumdb --version', argv: [node, main, '--version'] },
    { name: 'gosumdb --help', argv: [node, main, '--help'] },
    { name: 'gosumdb hash small', argv: [node, main, 'hash', zips['small']!], check: (o) => agree('small', o.trim()) },
    { name: 'unbundled --version', argv: [node, unbundled, '--version'] },
    { name: 'unbundled hash small', argv: [node, unbundled, 'hash', zips['small']!], check: (o) => agree('small', o.trim()) },
    { name: 'Go HashZip small', argv: [goBin, 'hash', zips['small']!, '1'], check: (o) => agree('small', goHash(o)) },
    { name: 'gosumdb hash large', argv: [node, main, 'hash', zips['large']!], every: 5, check: (o) => agree('large', o.trim()) },
    { name: 'Go HashZip large', argv: [goBin, 'hash', zips['large']!, '1'], every: 5, check: (o) => agree('large', goHash(o)) },
  ];
  const times = new Map<string, { ms: number[]; cpuMs: number[] }>(jobs.map((j) => [j.name, { ms: [], cpuMs: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const j of jobs) {
      if (j.every !== undefined && round % j.every !== 0) continue;
      const { ms, cpuMs, out } = timeOnce(j.argv);
      j.check?.(out);
      times.get(j.name)!.ms.push(ms);
      if (cpuMs !== undefined) times.get(j.name)!.cpuMs.push(cpuMs);
    }
  }
  const rows = jobs.map((j) => {
    const t = times.get(j.name)!;
    return { name: j.name, ms: median(t.ms), ...(t.cpuMs.length > 0 ? { cpuMs: median(t.cpuMs) } : {}) };
  });
  return { rounds, rows };
}

/** formatCliBench renders a result as a table for people, with the targets' verdicts. */
export function formatCliBench(r: CliBenchResult): string {
  if (!r.rows) return `cli: ${r.note}`;
  const row = (name: string) => r.rows!.find((x) => x.name === name)!;
  const ms = (name: string) => row(name).ms;
  const base = row('node -e 0');
  const lines = [
    `cli: whole processes, median of ${r.rounds} interleaved rounds (large: of ${Math.ceil(r.rounds / 5)}); targets on wall time`,
    '  command              wall ms  - node -e 0   CPU ms  - node -e 0',
  ];
  for (const x of r.rows) {
    const cpu =
      x.cpuMs !== undefined && base.cpuMs !== undefined
        ? `${x.cpuMs.toFixed(0).padStart(8)} ${(x.cpuMs - base.cpuMs).toFixed(0).padStart(12)}`
        : '';
    lines.push(`  ${x.name.padEnd(20)} ${x.ms.toFixed(0).padStart(7)} ${(x.ms - base.ms).toFixed(0).padStart(12)} ${cpu}`);
  }
  const within = (name: string, limit: number) =>
    `  target ${name} within ${limit} ms of node -e 0: +${(ms(name) - base.ms).toFixed(0)} ms ` +
    `${ms(name) - base.ms <= limit ? 'PASS' : 'FAIL'}`;
  lines.push(within('gosumdb --version', 60), within('gosumdb --help', 60), within('gosumdb hash small', 80));
  const ratio = ms('gosumdb hash large') / ms('Go HashZip large');
  lines.push(`  target gosumdb hash large / Go HashZip large <= 0.7: ${ratio.toFixed(2)} ${ratio <= 0.7 ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(formatCliBench(await benchCli(process.argv[2] ? { rounds: Number(process.argv[2]) } : {})));
}
