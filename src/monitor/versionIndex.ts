import type { MonitorFinding } from './findings.js';
import type { MonitorVersions } from './store.js';

/**
 * VersionRow is what an index holds for one module version: the record that first held its zip
 * line and the one that first held its go.mod line (-1: none yet).
 */
export type VersionRow = { zip: number; mod: number };

/**
 * VersionTables are a store's two indexes of module versions, as {@link indexVersion} uses them:
 * rows by {@link moduleVersionKey} (every module version, the first one seen for a key) and rows
 * by the text `"<path> <version>"` (only module versions whose key another one held first).
 */
export type VersionTables = {
  readonly byKey: (key: number) => VersionRow | undefined;
  readonly putByKey: (key: number, row: VersionRow) => void;
  readonly byText: (mv: string) => VersionRow | undefined;
  readonly putByText: (mv: string, row: VersionRow) => void;
};

/**
 * indexVersion indexes entry `i` of `versions` in `tables`, pushing its duplicate lines to
 * `found`. A key already held by another record is a candidate only: both records' module
 * versions are compared as text, and a module version whose key collides with another's is
 * indexed by its text instead, so a collision never hides a duplicate nor makes one up.
 */
export async function indexVersion(tables: VersionTables, versions: MonitorVersions, i: number, found: MonitorFinding[]): Promise<void> {
  const id = versions.ids[i]!;
  const key = versions.keys[i]!;
  const lines = versions.lines[i]!;
  const fresh = (): VersionRow => ({ zip: lines === 2 ? -1 : id, mod: lines === 1 ? -1 : id });
  const row = tables.byKey(key);
  if (row === undefined) {
    tables.putByKey(key, fresh());
    return;
  }
  const firstId = row.zip >= 0 ? row.zip : row.mod;
  if (firstId === id) {
    if (addLines(row, id, lines, undefined, found)) tables.putByKey(key, row);
    return;
  }
  const mv = await versions.moduleVersion(id);
  const first = await versions.moduleVersion(firstId);
  if (first.path === mv.path && first.version === mv.version) {
    if (addLines(row, id, lines, mv, found)) tables.putByKey(key, row);
    return;
  }
  const text = `${mv.path} ${mv.version}`;
  const other = tables.byText(text);
  if (other === undefined) tables.putByText(text, fresh());
  else if (addLines(other, id, lines, mv, found)) tables.putByText(text, other);
}

// addLines records record id's lines in row, or reports each line the row holds for another
// record as a duplicate; it returns whether the row changed.
function addLines(
  row: VersionRow,
  id: number,
  lines: number,
  mv: { readonly path: string; readonly version: string } | undefined,
  found: MonitorFinding[],
): boolean {
  let changed = false;
  for (const line of ['zip', 'go.mod'] as const) {
    if ((lines & (line === 'zip' ? 1 : 2)) === 0) continue;
    const first = line === 'zip' ? row.zip : row.mod;
    if (first < 0) {
      if (line === 'zip') row.zip = id;
      else row.mod = id;
      changed = true;
    } else if (first !== id && mv !== undefined) {
      found.push({ kind: 'duplicate', id, firstId: first, path: mv.path, version: mv.version, line });
    }
  }
  return changed;
}

/**
 * VersionChanges are what indexing one batch adds to a {@link VersionIndex}: the keys seen for
 * the first time with their first record, and the rows that are not "one record holds both
 * lines" (by key, and by text for module versions whose key another one holds). A store
 * persists them, then applies them (or undoes them if it could not).
 */
export type VersionChanges = {
  /** First-seen keys, and the record that first held each, in log order. */
  readonly keys: Float64Array;
  readonly ids: Float64Array;
  /** Rows by key whose lines are not both held by the key's first record. */
  readonly rows: ReadonlyMap<number, VersionRow>;
  /** Rows by `"<path> <version>"`. */
  readonly texts: ReadonlyMap<string, VersionRow>;
};

/**
 * VersionIndex is the index of module versions a monitor has seen, in memory: 8-byte slots
 * in typed arrays, 11 to 21 bytes per module version with the free slots (134 MB for 10
 * million, 540 MB for the 46 million records of sum.golang.org), so lookups cost no I/O and no
 * garbage. Stores persist its
 * {@link VersionChanges} and rebuild it with `load*` when they open.
 */
export type VersionIndex = {
  /** Module versions indexed (distinct keys). */
  readonly size: () => number;
  /**
   * reserve sizes the tables for about n module versions at once. Measured: tables doubling
   * while the index fills leave their old arrays to the garbage collector, ~50% over the index's
   * own size in peak RSS at 10 million.
   */
  readonly reserve: (n: number) => void;
  /**
   * index finds the batch's duplicates (pushed to found) and returns its changes. Its first-seen
   * keys are indexed at once (a failure takes them out again), its rows when they are applied.
   */
  readonly index: (versions: MonitorVersions, found: MonitorFinding[]) => Promise<VersionChanges>;
  /** apply completes a batch's changes, once they are persisted. */
  readonly apply: (changes: VersionChanges) => void;
  /** undo takes a batch's first-seen keys out again, when its changes could not be persisted. */
  readonly undo: (changes: VersionChanges) => void;
  /**
   * find returns what the index holds for a module version, by its key and its text `mv`
   * (`"<path> <version>"`): `byText` is its own row (kept only for a module version whose key
   * another held first); `byKey` is the row of the first module version seen with that key,
   * which is this one only if that record names it (read the record to know).
   */
  readonly find: (key: number, mv: string) => { readonly byKey?: VersionRow; readonly byText?: VersionRow };
  /** loadKeys adds first-seen keys (a persisted batch's `keys` and `ids`); a key already indexed keeps its record. */
  readonly loadKeys: (keys: Float64Array, ids: Float64Array) => void;
  /** loadRow adds a persisted row by key. */
  readonly loadRow: (key: number, row: VersionRow) => void;
  /** loadText adds a persisted row by text. */
  readonly loadText: (mv: string, row: VersionRow) => void;
};

// Open addressing with linear probing over 256 tables chosen by key bits 32..39, each doubling on
// its own at 3/4 full (no moment holds two copies of the whole index). A slot is the key's low 32
// bits and its first record id + 1 (0: empty slot): 8 bytes. Two keys equal in these 40 bits are
// one key here (about 45 pairs among 10 million module versions, 1 000 among 46 million): the
// text comparison of indexVersion tells them apart, at the cost of reading a record again.
const SHARDS = 256;
const MAX_ID = 0xffffffff;
const TWO32 = 0x100000000;

// A slot's two halves side by side (key at 2i, id + 1 at 2i + 1), so that a probe reads one
// cache line, not one in each of two arrays.
type Shard = { slots: Uint32Array; capacity: number; size: number };

function newShard(capacity: number): Shard {
  return { slots: new Uint32Array(2 * capacity), capacity, size: 0 };
}

// Keys are hashes already: their low 32 bits choose the slot. (Bit operations on hash values, not
// on sizes.)
function slot(s: Shard, low: number): number {
  const mask = s.capacity - 1;
  let i = low & mask;
  while (s.slots[2 * i + 1] !== 0 && s.slots[2 * i] !== low) i = (i + 1) & mask;
  return i;
}

/**
 * newVersionIndex returns an empty {@link VersionIndex}.
 *
 * @example
 * ```ts
 * import { newVersionIndex } from 'gosumdb/monitor';
 * const index = newVersionIndex();
 * const batch = (ids: number[], keys: number[]) => ({
 *   count: ids.length,
 *   ids: Float64Array.from(ids),
 *   keys: Float64Array.from(keys),
 *   lines: new Uint8Array(ids.length).fill(3),
 *   moduleVersion: async () => ({ path: 'example.com/m', version: 'v1.0.0' }),
 * });
 * const found: unknown[] = [];
 * index.apply(await index.index(batch([0, 1], [10, 11]), found));
 * await index.index(batch([2], [10]), found);
 * console.log(index.size(), found.length); // 2 2
 * ```
 */
export function newVersionIndex(): VersionIndex {
  const shards = Array.from({ length: SHARDS }, () => newShard(16));
  const rows = new Map<number, VersionRow>();
  const texts = new Map<string, VersionRow>();
  let size = 0;

  const shardOf = (key: number) => shards[Math.floor(key / TWO32) % SHARDS]!;
  const get = (key: number): number => {
    const s = shardOf(key);
    return s.slots[2 * slot(s, key % TWO32) + 1]! - 1;
  };
  // The applied row of a key (a copy): its own row, else its first record holding both lines.
  const rowByKey = (key: number): VersionRow | undefined => {
    const row = rows.get(key);
    if (row !== undefined) return { ...row };
    const id = get(key);
    return id < 0 ? undefined : { zip: id, mod: id };
  };
  const grow = (at: number, capacity: number): void => {
    const s = shards[at]!;
    const grown = newShard(capacity);
    for (let j = 0; j < s.capacity; j++) {
      if (s.slots[2 * j + 1] === 0) continue;
      const k = slot(grown, s.slots[2 * j]!);
      grown.slots[2 * k] = s.slots[2 * j]!;
      grown.slots[2 * k + 1] = s.slots[2 * j + 1]!;
    }
    grown.size = s.size;
    shards[at] = grown;
  };
  // add indexes key with its first record id unless the key is indexed already, and says which,
  // in one probe. Measured (10 million random keys, with the slots side by side): 331-347 ms
  // per million indexed, against 372-394 for a lookup then an insert in two arrays.
  const add = (key: number, id: number): boolean => {
    if (!(id >= 0 && id < MAX_ID)) throw new RangeError(`record id ${id}: the monitor's index holds ids below ${MAX_ID}`);
    const s = shardOf(key);
    const low = key % TWO32;
    const i = slot(s, low);
    if (s.slots[2 * i + 1] !== 0) return false;
    s.slots[2 * i] = low;
    s.slots[2 * i + 1] = id + 1;
    s.size++;
    size++;
    if (4 * s.size > 3 * s.capacity) grow(Math.floor(key / TWO32) % SHARDS, 2 * s.capacity);
    return true;
  };

  // Backward-shift deletion: the entries after the freed slot that would no longer be found from
  // their home slot move back into it.
  const remove = (key: number): void => {
    const s = shardOf(key);
    const mask = s.capacity - 1;
    let i = slot(s, key % TWO32);
    if (s.slots[2 * i + 1] === 0) return;
    s.slots[2 * i + 1] = 0;
    s.size--;
    size--;
    for (let j = (i + 1) & mask; s.slots[2 * j + 1] !== 0; j = (j + 1) & mask) {
      const home = s.slots[2 * j]! & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      s.slots[2 * i] = s.slots[2 * j]!;
      s.slots[2 * i + 1] = s.slots[2 * j + 1]!;
      s.slots[2 * j + 1] = 0;
      i = j;
    }
  };

  return {
    size: () => size,
    reserve: (n) => {
      let capacity = 16;
      while (3 * capacity < 4 * (n / SHARDS)) capacity *= 2;
      for (let at = 0; at < SHARDS; at++) if (shards[at]!.capacity < capacity) grow(at, capacity);
    },
    index: async (vs, found) => {
      const addedKeys = new Float64Array(vs.count);
      const addedIds = new Float64Array(vs.count);
      let added = 0;
      const newRows = new Map<number, VersionRow>();
      const newTexts = new Map<string, VersionRow>();
      const addNew = (key: number, id: number): boolean => {
        if (!add(key, id)) return false;
        addedKeys[added] = key;
        addedIds[added++] = id;
        return true;
      };
      const tables: VersionTables = {
        byKey: (key) => {
          const row = newRows.get(key);
          return row !== undefined ? { ...row } : rowByKey(key);
        },
        putByKey: (key, row) => {
          let first = get(key);
          if (first < 0) {
            first = row.zip >= 0 ? row.zip : row.mod;
            addNew(key, first);
          }
          if (row.zip !== first || row.mod !== first || rows.has(key)) newRows.set(key, { ...row });
        },
        byText: (mv) => {
          const row = newTexts.get(mv) ?? texts.get(mv);
          return row === undefined ? undefined : { ...row };
        },
        putByText: (mv, row) => newTexts.set(mv, { ...row }),
      };
      try {
        for (let i = 0; i < vs.count; i++) {
          const id = vs.ids[i]!;
          if (!(id < MAX_ID)) throw new RangeError(`record id ${id}: the monitor's index holds ids below ${MAX_ID}`);
          const key = vs.keys[i]!;
          if (vs.lines[i] !== 3 || !addNew(key, id)) await indexVersion(tables, vs, i, found);
        }
      } catch (e) {
        for (let i = 0; i < added; i++) remove(addedKeys[i]!);
        throw e;
      }
      return { keys: addedKeys.subarray(0, added), ids: addedIds.subarray(0, added), rows: newRows, texts: newTexts };
    },
    find: (key, mv) => {
      const byKey = rowByKey(key);
      const text = texts.get(mv);
      return { ...(byKey !== undefined ? { byKey } : {}), ...(text !== undefined ? { byText: { ...text } } : {}) };
    },
    apply: (c) => {
      for (const [k, row] of c.rows) rows.set(k, row);
      for (const [mv, row] of c.texts) texts.set(mv, row);
    },
    undo: (c) => {
      for (let i = 0; i < c.keys.length; i++) remove(c.keys[i]!);
    },
    loadKeys: (keys, ids) => {
      for (let i = 0; i < keys.length; i++) add(keys[i]!, ids[i]!);
    },
    loadRow: (key, row) => rows.set(key, { ...row }),
    loadText: (mv, row) => texts.set(mv, { ...row }),
  };
}
