// go.sum at scale: the audit and its text report are linear in the number of lines and never
// spread a per-line list into a call (130 000 arguments overflow the stack). Linearity is checked
// by scaling in CPU time (4x the lines must not cost 12x; quadratic work costs 16x and more),
// best of three runs; speed targets live in bench/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditGoSum, formatAuditText, type AuditEntry, type AuditReport } from '../../src/gosum/index.js';

const hash = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
const client = {
  lookup: async (p: string, v: string) => [`${p} ${v} ${hash}`],
  latest: async () => ({ tree: { n: 1, hash: new Uint8Array(32) }, note: new Uint8Array() }),
  signedTree: async () => undefined,
};

// n identical lines, parsed by hand so that only the audit is measured.
function identical(n: number) {
  const lines = Array.from({ length: n }, (_, i) => ({
    line: i + 1,
    path: 'rsc.io/quote',
    version: 'v1.5.2',
    kind: 'zip' as const,
    hash,
    algorithm: 'h1',
    ignoredByGo: false,
  }));
  return { filename: 'go.sum', lines, findings: [] };
}

// The least CPU time of this process (not wall time: the machine is shared) over three runs.
async function best(run: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.cpuUsage();
    await run();
    const d = process.cpuUsage(t);
    min = Math.min(min, d.user + d.system);
  }
  return min;
}

test('auditing identical lines is linear: 4x the lines cost under 12x the CPU time', async () => {
  const small = identical(10_000);
  const large = identical(40_000);
  const r = await auditGoSum(large, { client });
  assert.equal(r.summary.ok, 40_000);
  const ratio = (await best(() => auditGoSum(large, { client }))) / (await best(() => auditGoSum(small, { client })));
  assert.ok(ratio < 12, `40 000 lines took ${ratio.toFixed(1)}x as long as 10 000`);
});

test('the text renderer takes 200 000 lines that are not ok', () => {
  const entries: AuditEntry[] = Array.from({ length: 200_000 }, (_, i) => ({
    file: 'go.sum',
    line: i + 1,
    path: `example.com/m${i}`,
    version: 'v1.0.0',
    kind: 'zip',
    hash,
    status: 'not-found',
    diagnosis: `${i} is not there`,
    remedy: 'look',
  }));
  const report: AuditReport = {
    entries,
    summary: { total: 200_000, ok: 0, mismatch: 0, 'not-found': 200_000, skipped: 0, 'local-mismatch': 0, error: 0 },
    tree: undefined,
    findings: [],
    goMod: [],
  };
  const text = formatAuditText(report, { dbName: 'sum.golang.org' });
  assert.match(text, /^200000 go\.sum lines in go\.sum: 200000 not-found$/m);
  assert.match(text, /^not-found +example\.com\/m199999@v1\.0\.0 +zip +not in the checksum database$/m);
});
