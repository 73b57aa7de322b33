// File listings for tests that read the repository's own sources.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** tsFiles lists every .ts file under dir, recursively, in sorted order. */
export function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}
