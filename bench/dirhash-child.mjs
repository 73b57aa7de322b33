// Times hashZip on one zip file in a fresh process, so that its peak RSS is the hash's alone.
// Runs the compiled package (dist/), as users do: bench/dirhash.ts builds it first.
// Usage: node bench/dirhash-child.mjs <zip> <runs> <native|portable>
// Prints JSON {"hash","ms":[...],"maxRSSKiB"}.
import { hashZip } from '../dist/dirhash/index.js';
import { hashZipFile } from '../dist/node/dirhash.js';
import { fileSource } from '../dist/node/fileSource.js';
import { peakRssKiB } from './peak-rss.mjs';

const [zip, runs, backend] = process.argv.slice(2);
const ms = [];
let hash = '';
for (let i = 0; i < Number(runs); i++) {
  const start = performance.now();
  if (backend === 'portable') {
    const src = await fileSource(zip);
    try {
      hash = await hashZip(src);
    } finally {
      await src.close();
    }
  } else {
    hash = await hashZipFile(zip);
  }
  ms.push(performance.now() - start);
}
console.log(JSON.stringify({ hash, ms, maxRSSKiB: peakRssKiB() }));
