#!/usr/bin/env node
// Bundles the gosumdb command (src/cli/main.ts) with esbuild into dist/cli/bundle/: the `bin` of
// package.json. Why a bundle (issue #12, measured with bench/cli.ts): Node 20 loads an ES module
// file by file (resolve, read, compile, link), and `gosumdb hash` loaded about 45 files of dist/;
// the bundle's code splitting keeps the command table's lazy imports (a chunk per command, shared
// code in shared chunks) while `hash` now loads a handful of files. @noble/* is bundled too (its
// four files cost `hash` about 15 ms more when loaded from node_modules); undici stays outside
// (CommonJS that `require`s Node's modules, which an ES module bundle cannot; the network commands
// load it as any importer would), and so does better-sqlite3, a native optional peer.
// The bundle sits three folders below the package root (dist/cli/bundle/), as src/cli/commands/
// and dist/cli/commands/ do, so that the commands' `new URL('../../../vectors', import.meta.url)`
// finds the package's files from every one of them.
// Usage: node scripts/build-cli.mjs [outdir]   (default dist/cli/bundle; tests build their own
// under tmp/, see test/helpers/process.ts)
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** buildCli bundles src/cli/main.ts into `outdir` (emptied first) as `gosumdb.js` and its chunks. */
export async function buildCli(outdir = resolve(root, 'dist/cli/bundle')) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    // The monitor's worker thread (src/node/tileHasher.ts) loads tileWorker.js from next to it.
    entryPoints: { gosumdb: resolve(root, 'src/cli/main.ts'), tileWorker: resolve(root, 'src/node/tileWorker.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['undici', 'better-sqlite3'],
    sourcemap: true,
    logLevel: 'warning',
  });
  return resolve(outdir, 'gosumdb.js');
}

// Prints the path of the built entry (test/helpers/process.ts reads it).
if (process.argv[1] === import.meta.filename) console.log(await buildCli(process.argv[2] ? resolve(process.argv[2]) : undefined));
