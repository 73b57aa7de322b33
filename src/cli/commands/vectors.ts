import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate } from 'node:timers/promises';
import { allRunners, runVectorFile, type VectorFile } from '../../conformance/index.js';
import { gitRunners } from '../../node/gitrepo.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit.js';
import { parseFlags } from '../flags.js';

// The package's own vectors/ directory: ../../../vectors from both src/cli/commands and dist/cli/commands.
const bundled = fileURLToPath(new URL('../../../vectors', import.meta.url));

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      // Generator sources, and the dependencies and VCS data of a checkout, hold no vectors.
      if (e !== 'gen' && e !== 'node_modules' && !e.startsWith('.')) jsonFiles(p, out);
    } else if (e.endsWith('.json')) out.push(p);
  }
  return out;
}

/** `gosumdb vectors [dir]`: runs conformance vectors against this implementation. */
export const vectorsCommand: Command = {
  usage: `Usage: gosumdb vectors [--verbose] [dir]

Runs every vectors/<area>/<topic>.json file under dir (default: the vectors shipped with
gosumdb) and prints each failing case, then "N passed, M failed".
Exit status: 0 if every case passed, 1 otherwise.
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { verbose: { type: 'boolean', short: 'v' } });
    if (positionals.length > 1) throw new UsageError('at most one directory');
    const dir = positionals[0] ?? bundled;
    let files: string[];
    try {
      files = jsonFiles(dir);
    } catch (e) {
      throw new UsageError(`cannot read ${dir}: ${(e as Error).message}`);
    }
    let passed = 0;
    let failed = 0;
    for (const file of files) {
      // The runners never wait on I/O, so without this a closed stdout's EPIPE (delivered on a
      // later tick) would not stop `vectors --verbose | head` before every file had run.
      await setImmediate();
      const name = relative(dir, file);
      let vf: VectorFile;
      try {
        vf = JSON.parse(readFileSync(file, 'utf8')) as VectorFile;
      } catch (e) {
        io.stdout(`FAIL ${name}: not a vector file: ${(e as Error).message}\n`);
        failed++;
        continue;
      }
      for (const r of await runVectorFile(name, vf, { ...allRunners, ...gitRunners })) {
        if (r.ok) {
          passed++;
          if (values.verbose) io.stdout(`ok   ${name} ${r.name}\n`);
        } else {
          failed++;
          io.stdout(`FAIL ${name} ${r.name}: ${r.detail ?? ''}\n`);
        }
      }
    }
    io.stdout(`${passed} passed, ${failed} failed\n`);
    return failed === 0 && passed > 0 ? EXIT.ok : EXIT.problems;
  },
};
