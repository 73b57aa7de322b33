// Module files for tests: an independent h1 oracle and module zips, as the go command stores them.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { writeFile } from './files.js';

/**
 * h1 computes dirhash's Hash1 independently of the code under test: SHA-256 over
 * "<hex sha256>  <name>\n" lines sorted by name (ASCII names), in base64 with the "h1:" prefix.
 */
export function h1(files: Readonly<Record<string, string>>): string {
  const list = Object.keys(files)
    .sort()
    .map((name) => `${createHash('sha256').update(files[name]!).digest('hex')}  ${name}\n`)
    .join('');
  return 'h1:' + createHash('sha256').update(list).digest('base64');
}

/** moduleZip zips files (full names such as "example.com/m@v1.0.0/go.mod" to text) with fflate. */
export function moduleZip(files: Readonly<Record<string, string>>): Uint8Array {
  const enc = new TextEncoder();
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, enc.encode(v)])));
}

/** inModule names files as a module zip holds them: "<path>@<version>/<name>". */
export function inModule(path: string, version: string, files: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [`${path}@${version}/${k}`, v]));
}

/**
 * cacheModule puts a module version in the go command's module cache at `cache`, as `go mod
 * download` leaves it: cache/download/<path>/@v/<version>.zip and .ziphash, and with `extract` the
 * directory <path>@<version>. Lower-case paths only (no case escaping). Returns the h1 hash.
 */
export function cacheModule(
  cache: string,
  path: string,
  version: string,
  files: Readonly<Record<string, string>>,
  options: { readonly extract?: boolean } = {},
): string {
  if (path !== path.toLowerCase()) throw new RangeError(`cacheModule: ${path} would need case escaping`);
  const prefixed = inModule(path, version, files);
  const hash = h1(prefixed);
  const dl = join(cache, 'cache/download', path, '@v');
  writeFile(join(dl, `${version}.zip`), moduleZip(prefixed));
  writeFile(join(dl, `${version}.ziphash`), `${hash}\n`);
  if (options.extract) for (const [k, v] of Object.entries(files)) writeFile(join(cache, `${path}@${version}`, k), v);
  return hash;
}
