// Queries of a monitor's state: where the log holds a module version, proved.
import { remoteTileReader } from '../client/mirrors.js';
import type { RemoteReader } from '../client/ops.js';
import type { SignedTree } from '../client/security.js';
import { utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';
import { newHasher } from '../tlog/hash.js';
import { tileHashReader } from '../tlog/index.js';
import { moduleVersionKey } from './key.js';
import type { MonitorStore } from './store.js';
import { parseRecordText } from './record.js';
import { readProvedRecord } from './tiles.js';
import { timeline } from './timeline.js';

/** FindOptions configure {@link findModuleVersion}. */
export type FindOptions = {
  /** The database's verifier key. */
  readonly key: string;
  /** Reads database paths (`/tile/...`). */
  readonly remote: RemoteReader;
  /** A monitor's state, kept by earlier {@link monitorLog} runs. */
  readonly store: MonitorStore;
  readonly path: string;
  readonly version: string;
  /** Tile height the database serves (default 8). */
  readonly tileHeight?: number;
  /** SHA-256 provider (default noble). */
  readonly sha256?: Sha256;
  readonly signal?: AbortSignal;
};

/** FindResult says which records first held a module version's go.sum lines, as far as a monitor has read. */
export type FindResult = {
  /** The stored signed tree the records were proved against. */
  readonly tree: SignedTree;
  /** Records `0..indexed-1` are indexed: a module version first seen later is not known yet. */
  readonly indexed: number;
  /** The record that first held the module version's zip line, if any indexed record did. */
  readonly zip?: number;
  /** The record that first held its go.mod line. */
  readonly goMod?: number;
};

/**
 * findModuleVersion answers from a monitor's state where a module version is in the log: the
 * records that first held its zip and go.mod lines (a later record holding them again is a
 * `duplicate` finding). The index finds candidates by key; each is read again from the log,
 * proved against the stored signed tree (whose signature is checked again) and compared as
 * text, so the answer is never a key's collision.
 *
 * @throws GosumdbError ERR_STATE_EMPTY for a state no run has committed to; ERR_STATE_CORRUPT
 *   when the index names a record that does not hold the module version; ERR_TILE_INCONSISTENT,
 *   ERR_NOTE_* and transport errors as {@link monitorLog}.
 * @example
 * ```ts
 * import { findModuleVersion, monitorLog, memoryMonitorStore } from 'gosumdb/monitor';
 * import { newTestDatabase, serverRemote } from 'gosumdb/server';
 * const db = newTestDatabase({ synthetic: 600 });
 * const options = { key: db.vkey, remote: serverRemote(db.handle), store: memoryMonitorStore() };
 * await monitorLog(options);
 * const found = await findModuleVersion({ ...options, path: 'example.com/m12', version: 'v1.0.12' });
 * console.log(found.indexed, found.zip, found.goMod); // 600 12 12
 * ```
 */
export async function findModuleVersion(options: FindOptions): Promise<FindResult> {
  const { key, remote, store, path, version, signal } = options;
  if (typeof key !== 'string' || typeof path !== 'string' || typeof version !== 'string')
    throw new TypeError('key, path and version must be strings');
  const h = options.tileHeight ?? 8;
  const sha256 = options.sha256 ?? nobleSha256;
  const { checkpoint } = await store.load();
  if (checkpoint === undefined) throw new GosumdbError('ERR_STATE_EMPTY', 'the monitor state holds no records yet: run the monitor first');
  // The state is a file anyone could edit: its tree's signature is checked again.
  const signed = await timeline([checkpoint.tree.note], false, { key, remote, tileHeight: h, sha256, signal });
  const thr = tileHashReader(signed.tree, remoteTileReader(remote, h, signal), { sha256 });
  const hasher = newHasher(sha256);
  const read = new Map<number, Promise<boolean>>();
  const names = (id: number): Promise<boolean> => {
    let p = read.get(id);
    if (p === undefined) {
      // A malformed record is no module version (the index that names it is wrong, not the log).
      p = readProvedRecord(remote, thr, hasher, signed.tree, h, id, signal).then((text) => {
        const rec = parseRecordText(text);
        return rec.ok && rec.path === path && rec.version === version;
      });
      read.set(id, p);
    }
    return p;
  };
  const mv = `${path} ${version}`;
  const text = utf8(mv);
  const rows = await store.find(moduleVersionKey(text, 0, text.length), mv);
  let row = rows.byText;
  if (row === undefined && rows.byKey !== undefined && (await names(rows.byKey.zip >= 0 ? rows.byKey.zip : rows.byKey.mod))) {
    row = rows.byKey;
  }
  const ids = row === undefined ? [] : [...new Set([row.zip, row.mod].filter((id) => id >= 0))];
  for (const id of ids) {
    if (!(await names(id))) throw new GosumdbError('ERR_STATE_CORRUPT', `monitor state: record ${id} does not hold ${path}@${version}`);
  }
  return {
    tree: signed,
    indexed: checkpoint.next,
    ...(row !== undefined && row.zip >= 0 ? { zip: row.zip } : {}),
    ...(row !== undefined && row.mod >= 0 ? { goMod: row.mod } : {}),
  };
}
