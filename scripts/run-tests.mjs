#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner (Node 20 has no glob in --test).
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: test/ except test/interop/)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(p, out) {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p).sort()) collect(join(p, e), out);
  } else if (p.endsWith('.test.ts')) {
    out.push(p);
  }
  return out;
}

const roots = process.argv.slice(2);
// test/interop needs Go and x/mod; `npm run test:interop` builds the Go programs and runs it.
const files = roots.length ? roots.flatMap((r) => collect(r, [])) : collect('test', []).filter((f) => !f.startsWith(join('test', 'interop')));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
