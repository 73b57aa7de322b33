// File helpers for tests: listing the repository's sources, writing fixture trees.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** tsFiles lists every .ts file under dir, recursively, in sorted order. */
export function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** writeFile writes data at p, creating p's directory first. */
export function writeFile(p: string, data: string | Uint8Array): void {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
}
