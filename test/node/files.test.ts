// Local files are read only when they are regular files, with a cap and an abort signal: a FIFO
// must not hang the process and a device such as /dev/zero must not be read forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegularFile, fileSource } from '../../src/node/fileSource.js';
import { undiciFetch } from '../../src/node/index.js';
import { pathToFileURL } from 'node:url';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-files-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync('/dev/zero', join(dir, 'zero'));
  writeFileSync(join(dir, 'big'), new Uint8Array(100_000));
  writeFileSync(join(dir, 'small'), 'hello\n');
  return dir;
}

test('readRegularFile: regular files up to the cap; FIFOs, devices, directories, larger files are errors; missing: undefined', async () => {
  const dir = scratch();
  try {
    assert.equal(new TextDecoder().decode(await readRegularFile(join(dir, 'small'))), 'hello\n');
    assert.equal(await readRegularFile(join(dir, 'missing')), undefined);
    await assert.rejects(readRegularFile(join(dir, 'fifo')), { code: 'ERR_FILE_READ', message: /named pipe \(FIFO\), not a regular file/ });
    await assert.rejects(readRegularFile(join(dir, 'zero')), { code: 'ERR_FILE_READ', message: /a device, not a regular file/ });
    await assert.rejects(readRegularFile(dir), { code: 'ERR_FILE_READ', message: /a directory/ });
    await assert.rejects(readRegularFile(join(dir, 'big'), { maxBytes: 99_999 }), {
      code: 'ERR_FILE_READ',
      message: /larger than 99999 bytes/,
    });
    assert.equal((await readRegularFile(join(dir, 'big'), { maxBytes: 100_000 }))!.length, 100_000);
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await assert.rejects(readRegularFile(join(dir, 'big'), { signal: abort.signal }), { message: 'stop' });
    await assert.rejects(fileSource(join(dir, 'fifo')), { code: 'ERR_FILE_READ', message: /FIFO/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file:// answers: a FIFO or /dev/zero is an error at once; a regular file streams with its size as Content-Length', async () => {
  const dir = scratch();
  const f = undiciFetch();
  const get = (name: string, signal = new AbortController().signal) =>
    f(pathToFileURL(join(dir, name)).href, { method: 'GET', headers: {}, signal, redirect: 'manual' });
  try {
    await assert.rejects(get('fifo'), { code: 'ERR_FILE', message: /FIFO/ });
    await assert.rejects(get('zero'), { code: 'ERR_FILE', message: /a device/ });
    assert.equal((await get('missing')).status, 404);
    const res = await get('big');
    assert.equal(res.headers.get('content-length'), '100000');
    const reader = res.body!.getReader();
    let total = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) total += r.value!.length;
    assert.equal(total, 100_000);
    const abort = new AbortController();
    const aborted = (await get('big', abort.signal)).body!.getReader();
    abort.abort(new Error('deadline'));
    await assert.rejects(aborted.read(), { message: 'deadline' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
