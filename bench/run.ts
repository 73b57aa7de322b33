// `npm run bench [-- name ...]`: runs the registered benchmarks (all by default) and prints each
// one's report. A benchmark that fails is reported and makes the exit status 1; the others still run.
// To add one: write bench/<name>.ts exporting a bench function and a formatter, and add a line here.
import { benchAudit, benchAuditLarge, formatAuditBench } from './audit.js';
import { benchCli, formatCliBench } from './cli.js';
import { benchClient, formatClientBench } from './client.js';
import { benchDirhash, formatDirhashBench } from './dirhash.js';
import { benchFetch, formatFetchBench } from './fetch.js';
import { benchTlog, formatTlogBench } from './tlog.js';
import { benchMonitor, formatMonitorBench } from './monitor.js';

type Bench = { readonly name: string; readonly run: () => Promise<string> };

const benches: readonly Bench[] = [
  { name: 'cli', run: async () => formatCliBench(await benchCli()) },
  { name: 'dirhash', run: async () => formatDirhashBench(await benchDirhash()) },
  { name: 'tlog', run: async () => formatTlogBench(await benchTlog()) },
  { name: 'client', run: async () => formatClientBench(await benchClient()) },
  { name: 'audit', run: async () => formatAuditBench(await benchAudit()) },
  { name: 'audit-20k', run: async () => formatAuditBench(await benchAuditLarge()) },
  { name: 'fetch', run: async () => formatFetchBench(await benchFetch()) },
  { name: 'monitor', run: async () => formatMonitorBench(await benchMonitor()) },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !benches.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(`bench: unknown ${unknown.join(', ')}; known: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const b of benches) {
  if (wanted.length > 0 && !wanted.includes(b.name)) continue;
  try {
    console.log((await b.run()) + '\n');
  } catch (e) {
    failed = true;
    console.error(`${b.name}: FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
