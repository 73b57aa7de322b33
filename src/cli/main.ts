#!/usr/bin/env node
import { runCli } from './run.js';

// A reader that goes away early (`gosumdb audit | head`) is not an error worth a stack trace:
// stop quietly, as other Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
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
