import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashGoMod } from '../dirhash/index.js';
import { GosumdbError } from '../internal/errors.js';
import { escapePath, escapeVersion, type LocalHash } from '../gosum/index.js';
import { hashZipFile } from './dirhash.js';
import { readRegularFile } from './fileSource.js';
import { nodeSha256 } from './sha256.js';

/**
 * zipDirLocalHash returns a `localHash` for `auditGoSum` (gosumdb/gosum) over a directory laid
 * out as a GOPROXY (and as `<GOMODCACHE>/cache/download`): `<escaped path>/@v/<escaped
 * version>.zip` is hashed for zip lines (Go's dirhash.HashZip) and `.mod` for `/go.mod` lines.
 * Versions that are not there give undefined.
 *
 * @example
 * ```ts
 * import { zipDirLocalHash } from 'gosumdb/node';
 * const local = zipDirLocalHash('/nonexistent/zips');
 * console.log(await local('rsc.io/quote', 'v1.5.2', 'zip')); // undefined
 * ```
 */
export function zipDirLocalHash(dir: string): LocalHash {
  if (typeof dir !== 'string') throw new TypeError('dir must be a string');
  return async (path, version, kind, signal) => {
    const base = join(dir, ...escapePath(path).split('/'), '@v', escapeVersion(version));
    if (kind === 'go.mod') {
      const data = await readRegularFile(`${base}.mod`, { signal });
      return data === undefined ? undefined : hashGoMod(data, { sha256: nodeSha256 });
    }
    try {
      await stat(`${base}.zip`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new GosumdbError('ERR_FILE_READ', `stat ${base}.zip: ${(e as Error).message}`, { cause: e });
    }
    return hashZipFile(`${base}.zip`);
  };
}
