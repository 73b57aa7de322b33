// One of scripts/run-tests.mjs's test processes: asks the runner for a test file (IPC), runs it,
// says how long it took, and asks for the next, until there is none. Each file runs inside a
// describe named after it, which settles when the file's last test has, so its tests run in order
// as under `node --test` and every result and failure is listed under the file's name.
import { describe } from 'node:test';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Files that clean up on exit add a listener each; dozens in one process are expected.
process.setMaxListeners(0);

function next(message) {
  return new Promise((resolve) => {
    process.once('message', resolve);
    process.send(message);
  });
}

let reply = await next({});
while (typeof reply.file === 'string') {
  const file = reply.file;
  const start = performance.now();
  await describe(file, async () => {
    await import(pathToFileURL(resolve(file)).href);
  });
  reply = await next({ done: file, ms: performance.now() - start });
}
process.disconnect();
