// Child process of bench/monitor.ts: one gosumdb monitor run against a database URL, in its own
// process (as the Go baseline runs), so that its peak RSS is its own. Runs the compiled package
// (dist/), as users do: bench/monitor.ts builds it first (through tsx the same run takes ~40 MB
// more RSS, the loader's). Prints JSON.
// Usage: node bench/monitor-child.mjs <url> <vkey> <state dir or "memory"> [worker threads]
import { resolveSumDB, sumdbRemote } from '../dist/client/index.js';
import { memoryMonitorStore, monitorLog } from '../dist/monitor/index.js';
import { httpTransport, nodeSha256, sqliteMonitorStore, workerTileHasher } from '../dist/node/index.js';
import { peakRssKiB } from './peak-rss.mjs';

const [url, vkey, state, workers] = process.argv.slice(2);
const remote = sumdbRemote(resolveSumDB({ GOSUMDB: `${vkey} ${url}` }), httpTransport());
const store = state === 'memory' ? memoryMonitorStore() : await sqliteMonitorStore(state, vkey);
// As the CLI runs it: data tiles read in worker threads as --workers (default) says.
const tileHasher = workerTileHasher(workers === undefined ? {} : { workers: Number(workers) });
const start = performance.now();
const cpu0 = process.cpuUsage();
// CPU seconds per million records, to see whether the cost per record stays flat.
const cpuPerMillion = [];
let lastMark = cpu0;
let lastRecords = 0;
let nextMark = 1_000_000;
const r = await monitorLog({
  key: vkey,
  remote,
  store,
  sha256: nodeSha256,
  tileHasher,
  onProgress: (p) => {
    if (p.records >= nextMark || p.records === p.total) {
      const now = process.cpuUsage();
      const used = (now.user + now.system - lastMark.user - lastMark.system) / 1e6;
      cpuPerMillion.push(used / ((p.records - lastRecords) / 1e6));
      lastMark = now;
      lastRecords = p.records;
      nextMark = p.records + 1_000_000;
    }
  },
});
await tileHasher.close();
await store.close();
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    records: r.records,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssKB: peakRssKiB(),
    cpuPerMillion,
    findings: r.findings,
  }),
);
