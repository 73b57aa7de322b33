// dirhash benchmark (issue #2): hashZipFile (native backends, streamed from disk) against Go's
// dirhash.HashZip on module zips built by x/mod's zip.Create from Go's own source tree:
//   small   golang src/archive                       (< 1 MB zip)
//   medium  golang src/net, src/crypto, src/runtime  (~ 10 MB zip)
//   large   golang src, twice                        (> 100 MB uncompressed)
//   huge    490 MiB of incompressible 4 MiB files     (a ~500 MB zip: the peak-RSS target)
//   many    490 MiB of incompressible 48 KiB files    (a ~500 MB zip of 10 454 files: same target)
// Each side runs in its own process, so peak RSS is the hash's alone; both must agree on the hash.
// Targets: TS/Go time <= 0.7 on large; TS peak RSS < 150 MB on huge and many. The TS side runs
// the compiled package (dist/, built first) in a plain node process; RSS is that whole process's,
// about 50 MB of it Node itself.
// Inputs are built once into bench/.cache/ (gitignored). Needs Go and golang.org/x/mod (see
// DEVELOPERS.md); without Go there is nothing to compare against and the bench says so.
// Run alone: node --import tsx bench/dirhash.ts
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGoBench } from './gobuild.js';

const root = resolve(import.meta.dirname, '..');
const cache = join(root, 'bench/.cache');
/** goBin is the Go baseline program built by {@link buildGo}. */
export const goBin = join(cache, 'bin/gobench-dirhash');

type Timing = { readonly hash: string; readonly ms: readonly number[]; readonly maxRSSKiB: number };

/** DirhashBenchRow is one input's timings (best of the runs) and peak RSS for each side. */
export type DirhashBenchRow = {
  readonly input: string;
  readonly zipBytes: number;
  readonly runs: number;
  readonly ts: { readonly ms: number; readonly rssMB: number };
  readonly tsPortable?: { readonly ms: number; readonly rssMB: number };
  readonly go: { readonly ms: number; readonly rssMB: number };
};

/** DirhashBenchResult is the outcome of {@link benchDirhash}; undefined rows mean Go is missing. */
export type DirhashBenchResult = { readonly rows?: readonly DirhashBenchRow[]; readonly note?: string };

/** buildGo builds bench/go/dirhash into bench/.cache/bin; false when Go (with x/mod) is missing. */
export function buildGo(): boolean {
  return buildGoBench('dirhash') === goBin;
}

function goSrc(): string {
  return realpathSync(join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src'));
}

/** ensureInputs builds the named inputs (default: all) into bench/.cache once, with Go's zip.Create. */
export function ensureInputs(names?: readonly string[]): { name: string; path: string; runs: number }[] {
  const src = goSrc();
  const inputs = [
    { name: 'small', args: ['create', '1', join(src, 'archive')], runs: 10 },
    { name: 'medium', args: ['create', '1', join(src, 'net'), join(src, 'crypto'), join(src, 'runtime')], runs: 5 },
    { name: 'large', args: ['create', '2', src], runs: 3 },
    { name: 'huge', args: ['synth', '490'], runs: 1 },
    { name: 'many', args: ['synth', '490', '48'], runs: 1 },
  ];
  return inputs
    .filter((x) => !names || names.includes(x.name))
    .map(({ name, args, runs }) => {
      const path = join(cache, `${name}.zip`);
      if (!existsSync(path)) execFileSync(goBin, [args[0]!, path, ...args.slice(1)], { stdio: 'inherit' });
      return { name, path, runs };
    });
}

/** buildDist compiles the package into dist/, as users run it. */
export function buildDist(): void {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'ignore',
    });
  } catch {
    // Type errors elsewhere still emit dist/; a missing file fails the child below.
  }
}

function tsTiming(zip: string, runs: number, backend: 'native' | 'portable'): Timing {
  const out = execFileSync(process.execPath, [join(root, 'bench/dirhash-child.mjs'), zip, String(runs), backend], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as Timing;
}

function goTiming(zip: string, runs: number): Timing {
  return JSON.parse(execFileSync(goBin, ['hash', zip, String(runs)], { encoding: 'utf8' })) as Timing;
}

const best = (t: Timing) => Math.min(...t.ms);
const mb = (t: Timing) => t.maxRSSKiB / 1024;

/** benchDirhash builds the inputs (once) and times both implementations on each. */
export async function benchDirhash(): Promise<DirhashBenchResult> {
  if (!buildGo()) return { note: 'Go (with golang.org/x/mod) is not installed: no inputs and no baseline; skipped' };
  buildDist();
  const rows: DirhashBenchRow[] = [];
  for (const { name, path, runs } of ensureInputs()) {
    const go = goTiming(path, runs);
    const ts = tsTiming(path, runs, 'native');
    if (ts.hash !== go.hash) throw new Error(`${name}: TS hash ${ts.hash} differs from Go's ${go.hash}`);
    let tsPortable: DirhashBenchRow['tsPortable'];
    if (name === 'medium') {
      const p = tsTiming(path, runs, 'portable');
      if (p.hash !== go.hash) throw new Error(`${name}: portable TS hash ${p.hash} differs from Go's ${go.hash}`);
      tsPortable = { ms: best(p), rssMB: mb(p) };
    }
    rows.push({
      input: name,
      zipBytes: statSync(path).size,
      runs,
      ts: { ms: best(ts), rssMB: mb(ts) },
      ...(tsPortable ? { tsPortable } : {}),
      go: { ms: best(go), rssMB: mb(go) },
    });
  }
  return { rows };
}

/** formatDirhashBench renders a result as a table for people, with the two targets' verdicts. */
export function formatDirhashBench(r: DirhashBenchResult): string {
  if (!r.rows) return `dirhash: ${r.note}`;
  const lines = [
    'dirhash: hashZip from a file (node:crypto + node:zlib) vs Go dirhash.HashZip, best of N runs',
    '  input    zip MB  runs   TS ms   Go ms  TS/Go  TS RSS MB  Go RSS MB',
  ];
  for (const x of r.rows) {
    lines.push(
      `  ${x.input.padEnd(7)} ${(x.zipBytes / 1e6).toFixed(1).padStart(7)} ${String(x.runs).padStart(5)} ` +
        `${x.ts.ms.toFixed(0).padStart(7)} ${x.go.ms.toFixed(0).padStart(7)} ${(x.ts.ms / x.go.ms).toFixed(2).padStart(6)} ` +
        `${x.ts.rssMB.toFixed(0).padStart(10)} ${x.go.rssMB.toFixed(0).padStart(10)}`,
    );
    if (x.tsPortable) {
      lines.push(
        `  ${x.input.padEnd(7)} portable (@noble/hashes + own inflate): ${x.tsPortable.ms.toFixed(0)} ms, TS/Go ` +
          `${(x.tsPortable.ms / x.go.ms).toFixed(2)}`,
      );
    }
  }
  const large = r.rows.find((x) => x.input === 'large');
  const big = r.rows.filter((x) => x.input === 'huge' || x.input === 'many');
  if (large)
    lines.push(
      `  target TS/Go <= 0.7 on large: ${(large.ts.ms / large.go.ms).toFixed(2)} ${large.ts.ms / large.go.ms <= 0.7 ? 'PASS' : 'FAIL'}`,
    );
  for (const x of big)
    lines.push(`  target peak RSS < 150 MB on ${x.input}: ${x.ts.rssMB.toFixed(0)} MB ${x.ts.rssMB < 150 ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(formatDirhashBench(await benchDirhash()));
}
