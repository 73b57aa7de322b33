#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { runCli } from './run.js';

// V8 lets the heap grow to several times what is live before it collects the old generation:
// an audit of 20 000 go.sum lines (bench audit-20k) peaked at 210-230 MB of RSS with about 45 MB
// live. Growing it by half at a time keeps that run at 170-180 MB, with the same CPU time (4.3-5.0
// user seconds against 5.4-5.5) and no change on the 2000-line audit. The CLI's own process only:
// the library leaves the embedding program's heap alone.
setFlagsFromString('--heap-growing-percent=50');

// A reader that goes away early (`gosumdb audit | head`) is not an error worth a stack trace:
// stop quietly, as other Unix tools do, with the verdict if there is one already, else 141 (what
// a shell reports for a program SIGPIPE ended), never 0 for output that was cut short. Any other
// write failure (a full disk) is one line and exit 2, like an unusable output file.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 141);
    if (stream !== process.stderr) process.stderr.write(`gosumdb: writing output: ${e.message}\n`);
    process.exit(process.exitCode ?? 2);
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (s) => new Promise<void>((done) => process.stdout.write(s, () => done())),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const b = Buffer.concat(chunks);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  },
});
