// The monitor's findings file (--output): what a killed run left at its end is not written twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFindingsFile } from '../../src/cli/findingsFile.js';

async function withFile(initial: string | undefined, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gosumdb-findings-'));
  try {
    const path = join(dir, 'findings.jsonl');
    if (initial !== undefined) writeFileSync(path, initial);
    await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Opens the file, appends each batch in turn, closes it, and returns what the file holds.
async function run(path: string, batches: string[][]): Promise<string> {
  const f = await openFindingsFile(path);
  for (const b of batches) await f.append(b);
  await f.close();
  return readFileSync(path, 'utf8');
}

test('a new file gets every batch, in order', async () => {
  await withFile(undefined, async (p) => {
    assert.equal(await run(p, [['a 1\n', 'b 2\n'], [], ['c 3\n']]), 'a 1\nb 2\nc 3\n');
  });
});

test('the part of the first batch a killed run already wrote at the end of the file is not written again', async () => {
  await withFile('old 1\nold 2\nnew 10\nnew 11\n', async (p) => {
    assert.equal(await run(p, [['new 10\n', 'new 11\n', 'new 12\n']]), 'old 1\nold 2\nnew 10\nnew 11\nnew 12\n');
  });
  // All of it written, and the file holds nothing else.
  await withFile('new 10\nnew 11\n', async (p) => {
    assert.equal(await run(p, [['new 10\n', 'new 11\n']]), 'new 10\nnew 11\n');
  });
});

test('a torn last line is cut off at open, and its finding written whole', async () => {
  await withFile('old 1\nnew 10\nnew 1', async (p) => {
    assert.equal(await run(p, [['new 10\n', 'new 11\n']]), 'old 1\nnew 10\nnew 11\n');
  });
  await withFile('torn with no line end', async (p) => {
    assert.equal(await run(p, [['new 10\n']]), 'new 10\n');
  });
});

test('only whole lines match: a line that merely ends with the same text is not the finding', async () => {
  await withFile('xnew 10\n', async (p) => {
    assert.equal(await run(p, [['new 10\n']]), 'xnew 10\nnew 10\n');
  });
  // Not a prefix of the batch: everything is written.
  await withFile('new 11\n', async (p) => {
    assert.equal(await run(p, [['new 10\n', 'new 11\n']]), 'new 11\nnew 10\nnew 11\n');
  });
});

test('only the first batch of a run is compared with the file: later batches are new findings', async () => {
  await withFile(undefined, async (p) => {
    assert.equal(await run(p, [['a 1\n'], ['a 1\n']]), 'a 1\na 1\n');
  });
});

test('a non-regular file is written as a stream; a directory is ERR_OUTPUT_UNUSABLE', async () => {
  const f = await openFindingsFile('/dev/null');
  await f.append(['a 1\n']);
  await f.close();
  await withFile(undefined, async (p) => {
    const dir = join(p, '..');
    await assert.rejects(
      openFindingsFile(dir),
      (e: unknown) => (e as { code?: string }).code === 'ERR_OUTPUT_UNUSABLE' && /opening/.test(String(e)),
    );
  });
});

test('a write cut short (a file size limit) throws; it never returns with part of the batch missing', async () => {
  // In a child under `ulimit -f 4` (4096 bytes; Node ignores SIGXFSZ): the first write takes what
  // fits, the next one fails with EFBIG.
  await withFile('x'.repeat(500) + '\n', async (path) => {
    const script = [
      `import { openFindingsFile } from ${JSON.stringify(new URL('../../src/cli/findingsFile.js', import.meta.url).href)};`,
      `const f = await openFindingsFile(${JSON.stringify(path)});`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder belongs to the child's script.
      "const lines = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(3, '0')} ${'y'.repeat(95)}\\n`);",
      'try { await f.append(lines); console.log("returned"); } catch (e) { console.log(e.code, e.message.split("\\n")[0]); }',
    ].join('\n');
    const r = spawnSync('bash', ['-c', `ulimit -f 4; exec "$0" --import tsx --input-type=module -e "$1"`, process.execPath, script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ERR_FILE writing .*: EFBIG/);
    assert.equal(readFileSync(path).length, 4096);
  });
});
