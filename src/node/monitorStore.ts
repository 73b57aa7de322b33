// The monitor's state in SQLite (better-sqlite3, an optional peer dependency loaded only here):
// one file <dir>/monitor.db holding the checkpoint, one row per module version seen, and the
// findings with whether each was reported. WAL journal, synchronous=NORMAL: a commit is in the
// WAL before commit() returns, so it survives the process being killed (not a power cut).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeBase64, encodeBase64 } from '../internal/bytes.js';
import { errorMessage, GosumdbError } from '../internal/errors.js';
import type { MonitorCheckpoint, MonitorFinding, MonitorStore } from '../monitor/index.js';
import { findingKey } from '../monitor/findings.js';
import { sortFindings } from '../monitor/store.js';

// The part of better-sqlite3's API used here (its types are a devDependency only).
type Statement = { run(...args: unknown[]): { changes: number }; get(...args: unknown[]): unknown; all(...args: unknown[]): unknown[] };
type Database = {
  pragma(s: string): unknown;
  exec(s: string): void;
  prepare(s: string): Statement;
  transaction<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R;
  close(): void;
};
type DatabaseConstructor = new (file: string) => Database;

const schema = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS versions (
  path TEXT NOT NULL, version TEXT NOT NULL, zip INTEGER, mod INTEGER,
  PRIMARY KEY (path, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings (
  key TEXT PRIMARY KEY, id INTEGER NOT NULL, finding TEXT NOT NULL, reported INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS findings_unreported ON findings (id) WHERE reported = 0;
`;

const lineKinds = ['zip', 'go.mod'] as const;

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
 * @throws GosumdbError ERR_STATE_DRIVER_MISSING without better-sqlite3; ERR_STATE_MISMATCH for a
 *   state kept for another database; ERR_STATE_CORRUPT for a checkpoint that does not parse.
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
  const db = new Driver(join(dir, 'monitor.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Measured: a 64 MiB page cache keeps index inserts flat to 10 million records within 300 MB RSS.
    db.pragma('cache_size = -65536');
    db.exec(schema);
    const stored = db.prepare('SELECT v FROM meta WHERE k = ?').get('key') as { v: string } | undefined;
    if (stored === undefined) db.prepare('INSERT INTO meta (k, v) VALUES (?, ?)').run('key', key);
    else if (stored.v !== key) throw new GosumdbError('ERR_STATE_MISMATCH', `monitor state in ${dir} is for ${stored.v}, not ${key}`);
  } catch (e) {
    db.close();
    throw e;
  }

  const getMeta = db.prepare('SELECT v FROM meta WHERE k = ?');
  const putMeta = db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
  const insertVersion = db.prepare('INSERT INTO versions (path, version, zip, mod) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const getVersion = db.prepare('SELECT zip, mod FROM versions WHERE path = ? AND version = ?');
  const setZip = db.prepare('UPDATE versions SET zip = ? WHERE path = ? AND version = ?');
  const setMod = db.prepare('UPDATE versions SET mod = ? WHERE path = ? AND version = ?');
  const insertFinding = db.prepare('INSERT INTO findings (key, id, finding, reported) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING');
  const unreported = db.prepare('SELECT finding FROM findings WHERE reported = 0 ORDER BY id');
  const markOne = db.prepare('UPDATE findings SET reported = 1 WHERE key = ?');

  const commit = db.transaction((batch: Parameters<MonitorStore['commit']>[0]): MonitorFinding[] => {
    const found: MonitorFinding[] = [...batch.findings];
    const vs = batch.versions;
    for (let i = 0; i < vs.length; ) {
      // The lines of one record for one module version: usually the zip and the go.mod line.
      const v = vs[i]!;
      let zip: number | null = null;
      let mod: number | null = null;
      let j = i;
      for (; j < vs.length && vs[j]!.id === v.id && vs[j]!.path === v.path && vs[j]!.version === v.version; j++) {
        if (vs[j]!.kind === 'zip') zip = v.id;
        else mod = v.id;
      }
      if (insertVersion.run(v.path, v.version, zip, mod).changes === 0) {
        const row = getVersion.get(v.path, v.version) as { zip: number | null; mod: number | null };
        // (Findings are sorted below: the order of the kinds here does not matter.)
        for (const kind of lineKinds) {
          if ((kind === 'zip' ? zip : mod) === null) continue;
          const first = kind === 'zip' ? row.zip : row.mod;
          if (first !== null) found.push({ kind: 'duplicate', id: v.id, firstId: first, path: v.path, version: v.version, line: kind });
          else (kind === 'zip' ? setZip : setMod).run(v.id, v.path, v.version);
        }
      }
      i = j;
    }
    const sorted = sortFindings(found);
    const added = sorted.filter((f) => insertFinding.run(findingKey(f), f.id, JSON.stringify(f)).changes === 1);
    const cp = batch.checkpoint;
    putMeta.run(
      'checkpoint',
      JSON.stringify({ n: cp.tree.tree.n, hash: encodeBase64(cp.tree.tree.hash), note: encodeBase64(cp.tree.note), next: cp.next }),
    );
    return added;
  });
  const mark = db.transaction((fs: readonly MonitorFinding[]) => {
    for (const f of fs) markOne.run(findingKey(f));
  });

  return {
    load: async () => {
      const row = getMeta.get('checkpoint') as { v: string } | undefined;
      return {
        checkpoint: row === undefined ? undefined : parseCheckpoint(row.v, dir),
        unreported: unreported.all().map((r) => JSON.parse((r as { finding: string }).finding) as MonitorFinding),
      };
    },
    commit: async (batch) => commit(batch),
    markReported: async (fs) => mark(fs),
    close: async () => db.close(),
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
