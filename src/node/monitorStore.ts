// The monitor's state in SQLite (better-sqlite3, an optional peer dependency loaded only here):
// one file <dir>/monitor.db holding the checkpoint, the index of module versions seen, and the
// findings with how far they have been reported. WAL journal, synchronous=NORMAL: a commit is in
// the WAL before commit() returns, so it survives the process being killed (not a power cut).
// The WAL is checkpointed by commit(), never by markReported(): SQLite's automatic checkpoint
// runs in whichever transaction fills the WAL, and in the mark it stretched the moment between
// writing findings out and recording it (where a kill shows them again) from about 50 us to
// milliseconds of copying and fsync.
// The index of module versions is a VersionIndex in memory, rebuilt when the state opens; each
// batch appends one row holding the keys it saw first and their records (12 bytes per module
// version), plus a row for each of the rare module versions whose lines came from two records
// or whose key another one holds. Measured: one row per module version keyed by its text was
// about 20% of the monitor's CPU time and 90 MB per million records; keyed by a hashed integer,
// random inserts into the B-tree wrote about 4 KB of WAL per record (every batch dirties a page
// per key), growing with the log, where appending one row per batch stays flat.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBase64, encodeBase64 } from '../internal/bytes.js';
import { errorMessage, GosumdbError, isGosumdbError } from '../internal/errors.js';
import type { MonitorBatch, MonitorCheckpoint, MonitorFinding, MonitorStore } from '../monitor/index.js';
import { findingKey } from '../monitor/findings.js';
import { sortFindings } from '../monitor/store.js';
import { newVersionIndex, type VersionChanges, type VersionRow } from '../monitor/versionIndex.js';
import { acquireLockFile } from './lockfile.js';

// The part of better-sqlite3's API used here (its types are a devDependency only).
type Statement = {
  run(...args: unknown[]): { changes: number };
  get(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
  iterate(...args: unknown[]): Iterable<unknown>;
};
type Database = {
  pragma(s: string): unknown;
  exec(s: string): void;
  prepare(s: string): Statement;
  transaction<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R;
  close(): void;
};
type DatabaseConstructor = new (file: string) => Database;

// The state's format: a state written in another format is refused (ERR_STATE_VERSION).
const SCHEMA = '3';
// keys: float64 keys, ids: uint32 record ids, both in the platform's byte order (little-endian
// wherever Node runs).
const schema = `
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE versions (keys BLOB NOT NULL, ids BLOB NOT NULL);
CREATE TABLE version_rows (k INTEGER PRIMARY KEY, zip INTEGER NOT NULL, mod INTEGER NOT NULL);
CREATE TABLE version_texts (mv TEXT PRIMARY KEY, zip INTEGER NOT NULL, mod INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE findings (key TEXT PRIMARY KEY, id INTEGER NOT NULL, finding TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX findings_id ON findings (id);
`;

async function loadDriver(): Promise<DatabaseConstructor> {
  try {
    const m = (await import('better-sqlite3' as string)) as { default: DatabaseConstructor };
    return m.default;
  } catch (cause) {
    throw new GosumdbError(
      'ERR_STATE_DRIVER_MISSING',
      `the monitor's --state needs better-sqlite3, an optional peer dependency of gosumdb: npm install ` +
        `better-sqlite3@12 (${errorMessage(cause)})`,
      { cause },
    );
  }
}

/**
 * sqliteMonitorStore opens (or creates) a monitor's state in `<dir>/monitor.db`, an SQLite
 * database through better-sqlite3, which must be installed beside gosumdb (an optional peer
 * dependency: only monitors need it). The state belongs to one database: opening it with another
 * verifier key is refused. Each commit is one transaction, so killing the process at any moment
 * loses at most the batch in progress, which the next run reads again.
 *
 * One monitor at a time: the state is locked (`<dir>/monitor.lock`) until `close()`.
 *
 * @throws GosumdbError ERR_STATE_DRIVER_MISSING without better-sqlite3; ERR_STATE_IN_USE while
 *   another process (or another open store) holds the state; ERR_STATE_MISMATCH for a
 *   state kept for another database; ERR_STATE_VERSION for a state an earlier gosumdb wrote in
 *   another format; ERR_STATE_CORRUPT for a checkpoint that does not parse.
 * @example
 * ```ts
 * import { sqliteMonitorStore } from 'gosumdb/node';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const key = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ikz+Cv2scmGdo2a';
 * const store = await sqliteMonitorStore(mkdtempSync(join(tmpdir(), 'monitor-')), key);
 * console.log((await store.load()).checkpoint); // undefined
 * await store.close();
 * ```
 */
export async function sqliteMonitorStore(dir: string, key: string): Promise<MonitorStore> {
  if (typeof dir !== 'string' || typeof key !== 'string') throw new TypeError('dir and key must be strings');
  const Driver = await loadDriver();
  await mkdir(dir, { recursive: true });
  // One monitor per state: a second one (a cron job overlapping the last) would read and index
  // the same records again and could move the checkpoint back. Held until close(); a holder
  // killed with kill -9 leaves a lock the next open breaks (its process is gone).
  const release = await acquireLockFile(join(dir, 'monitor.lock'), { timeoutMs: 0, staleMs: Number.POSITIVE_INFINITY }).catch(
    (e: unknown) => {
      throw isGosumdbError(e, 'ERR_STATE_LOCKED')
        ? new GosumdbError('ERR_STATE_IN_USE', `monitor state in ${dir} is in use: ${e.message}`, { cause: e })
        : e;
    },
  );
  const index = newVersionIndex();
  let db: Database;
  try {
    db = new Driver(join(dir, 'monitor.db'));
  } catch (e) {
    await release();
    throw e;
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Batches only append: SQLite's own 2 MB page cache is enough (better-sqlite3 builds it with
    // 16 MB, which a sync of millions of records fills).
    db.pragma('cache_size = -2000');
    db.pragma('wal_autocheckpoint = 0');
    const fresh = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'meta'").get() as { n: number };
    if (fresh.n === 0) {
      db.transaction(() => {
        db.exec(schema);
        db.prepare('INSERT INTO meta (k, v) VALUES (?, ?), (?, ?)').run('schema', SCHEMA, 'key', key);
      })();
    }
    const format = db.prepare("SELECT v FROM meta WHERE k = 'schema'").get() as { v: string } | undefined;
    if (format?.v !== SCHEMA) {
      throw new GosumdbError(
        'ERR_STATE_VERSION',
        `monitor state in ${dir} is in format ${format?.v ?? '1'}, written by another gosumdb; ` +
          `this one reads format ${SCHEMA}: remove the directory and sync again`,
      );
    }
    const stored = db.prepare('SELECT v FROM meta WHERE k = ?').get('key') as { v: string } | undefined;
    if (stored?.v !== key)
      throw new GosumdbError('ERR_STATE_MISMATCH', `monitor state in ${dir} is for ${stored?.v ?? 'no key'}, not ${key}`);
    const indexed = db.prepare('SELECT coalesce(sum(length(keys)), 0) / 8 AS n FROM versions').get() as { n: number };
    index.reserve(indexed.n);
    for (const r of db.prepare('SELECT keys, ids FROM versions ORDER BY rowid').iterate() as Iterable<{ keys: Buffer; ids: Buffer }>) {
      if (r.keys.length % 8 !== 0 || r.ids.length * 2 !== r.keys.length)
        throw new GosumdbError('ERR_STATE_CORRUPT', `monitor state in ${dir}: malformed index row`);
      // Copies: a Buffer from SQLite need not be aligned for a Float64Array view.
      index.loadKeys(new Float64Array(Uint8Array.from(r.keys).buffer), Float64Array.from(new Uint32Array(Uint8Array.from(r.ids).buffer)));
    }
    for (const r of db.prepare('SELECT k, zip, mod FROM version_rows').iterate() as Iterable<{ k: number } & VersionRow>) {
      index.loadRow(r.k, { zip: r.zip, mod: r.mod });
    }
    for (const r of db.prepare('SELECT mv, zip, mod FROM version_texts').iterate() as Iterable<{ mv: string } & VersionRow>) {
      index.loadText(r.mv, { zip: r.zip, mod: r.mod });
    }
  } catch (e) {
    db.close();
    await release();
    throw e;
  }

  const getMeta = db.prepare('SELECT v FROM meta WHERE k = ?');
  const putMeta = db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
  const insertKeys = db.prepare('INSERT INTO versions (keys, ids) VALUES (?, ?)');
  const putRow = db.prepare(
    'INSERT INTO version_rows (k, zip, mod) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET zip = excluded.zip, mod = excluded.mod',
  );
  const putText = db.prepare(
    'INSERT INTO version_texts (mv, zip, mod) VALUES (?, ?, ?) ON CONFLICT (mv) DO UPDATE SET zip = excluded.zip, mod = excluded.mod',
  );
  const insertFinding = db.prepare('INSERT INTO findings (key, id, finding) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  // Marks only move forward.
  const markReported = db.prepare(
    "INSERT INTO meta (k, v) VALUES ('reported', @n) ON CONFLICT (k) DO UPDATE SET v = @n WHERE CAST(v AS INTEGER) < @n",
  );
  const unreported = db.prepare(
    "SELECT finding FROM findings WHERE id >= coalesce((SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'reported'), 0)",
  );

  const persist = db.transaction((changes: VersionChanges, found: readonly MonitorFinding[], cp: MonitorCheckpoint): MonitorFinding[] => {
    if (changes.keys.length > 0) {
      const ids = Uint32Array.from(changes.ids);
      insertKeys.run(
        Buffer.from(changes.keys.buffer, changes.keys.byteOffset, changes.keys.byteLength),
        Buffer.from(ids.buffer, 0, ids.byteLength),
      );
    }
    for (const [k, row] of changes.rows) putRow.run(k, row.zip, row.mod);
    for (const [mv, row] of changes.texts) putText.run(mv, row.zip, row.mod);
    const added = found.filter((f) => insertFinding.run(findingKey(f), f.id, JSON.stringify(f)).changes === 1);
    putMeta.run(
      'checkpoint',
      JSON.stringify({ n: cp.tree.tree.n, hash: encodeBase64(cp.tree.tree.hash), note: encodeBase64(cp.tree.note), next: cp.next }),
    );
    return added;
  });
  let commits = 0;
  // The batch is indexed in memory first (reading the log again for the rare key seen twice),
  // then persisted in one transaction: a failure anywhere changes nothing.
  const commit = async (batch: MonitorBatch): Promise<MonitorFinding[]> => {
    const found: MonitorFinding[] = [...batch.findings];
    const changes = await index.index(batch.versions, found);
    let added: MonitorFinding[];
    try {
      added = persist(changes, sortFindings(found), batch.checkpoint);
    } catch (e) {
      index.undo(changes);
      throw e;
    }
    index.apply(changes);
    // About SQLite's default of 1000 pages of WAL between checkpoints (a batch of 4096 records
    // writes about 14).
    if (++commits % 64 === 0) db.pragma('wal_checkpoint(PASSIVE)');
    return added;
  };

  return {
    load: async () => {
      const row = getMeta.get('checkpoint') as { v: string } | undefined;
      return {
        checkpoint: row === undefined ? undefined : parseCheckpoint(row.v, dir),
        unreported: sortFindings(unreported.all().map((r) => JSON.parse((r as { finding: string }).finding) as MonitorFinding)),
      };
    },
    commit,
    reserve: (n) => index.reserve(n),
    find: async (key, mv) => index.find(key, mv),
    markReported: async (next) => {
      markReported.run({ n: next });
    },
    close: async () => {
      db.close();
      await release();
    },
  };
}

function parseCheckpoint(v: string, dir: string): MonitorCheckpoint {
  const corrupt = () => new GosumdbError('ERR_STATE_CORRUPT', `monitor state in ${dir}: malformed checkpoint`);
  let j: { n?: unknown; hash?: unknown; note?: unknown; next?: unknown };
  try {
    j = JSON.parse(v) as typeof j;
  } catch {
    throw corrupt();
  }
  const hash = typeof j.hash === 'string' ? decodeBase64(j.hash) : undefined;
  const note = typeof j.note === 'string' ? decodeBase64(j.note) : undefined;
  if (!Number.isSafeInteger(j.n) || !Number.isSafeInteger(j.next) || hash?.length !== 32 || note === undefined) throw corrupt();
  return { tree: { tree: { n: j.n as number, hash }, note }, next: j.next as number };
}
