import { parseGoSum } from '../gosum/index.js';
import { checkIndex } from '../internal/num.js';
import { generateKey } from '../note/index.js';
import { newTestDatabase, syntheticModule, type TestDatabase } from '../server/index.js';
import { nodeSha256 } from '../node/sha256.js';
import { startServer } from '../node/server.js';

/** DemoDatabaseOptions configure {@link startDemoDatabase}. */
export type DemoDatabaseOptions = {
  /** The go.sum text whose module versions the database holds, with exactly its hashes. */
  readonly gosum: string | Uint8Array;
  /** Records in the log (default 100 000): the go.sum's module versions spread among synthetic ones. */
  readonly records?: number;
  /** Name of the database and its key (default `sum.demo.test`). */
  readonly name?: string;
};

/** DemoDatabase is a running {@link startDemoDatabase}: the database, where it listens, and how it was built. */
export type DemoDatabase = {
  /** The database; `db.setMode('fork')` makes it sign a second, inconsistent history. */
  readonly db: TestDatabase;
  /**
   * forkAfter makes the database answer the next `answers` requests honestly and switch to `fork`
   * mode right after: a server that shows a client one signed history, then another one.
   */
  forkAfter(answers: number): void;
  /** Base URL on 127.0.0.1, without a trailing slash. */
  readonly url: string;
  /** The GOSUMDB value that trusts this database's key at `url`: `"<vkey> <url>"`. */
  readonly gosumdb: string;
  /** Module versions taken from the go.sum. */
  readonly moduleVersions: number;
  /** Milliseconds spent building and signing the log. */
  readonly buildMs: number;
  /** close stops the listener. */
  close(): Promise<void>;
};

/**
 * startDemoDatabase starts a checksum database on 127.0.0.1 that holds every module version of a
 * go.sum with that file's own hashes, spread evenly through a log of synthetic modules (so its
 * proofs span several tile levels), under a freshly generated key: auditing that go.sum against
 * it verifies every line, offline. The records are the go.sum's lines grouped per module version
 * (the zip line first, as the real database writes them); the log is hashed with node:crypto
 * and its tree signed before the server starts. `gosumdb demo` runs on it.
 *
 * @throws GoSumSyntaxError (ERR_GOSUM_MALFORMED) for an unreadable go.sum; RangeError when
 *   `records` is not a safe integer or is smaller than the number of module versions; the listen
 *   error of `startServer`.
 */
export async function startDemoDatabase(options: DemoDatabaseOptions): Promise<DemoDatabase> {
  if (options === null || typeof options !== 'object') throw new TypeError('startDemoDatabase needs options');
  const total = options.records ?? 100_000;
  checkIndex(total, 'records');
  const start = performance.now();
  const own = goSumRecords(options.gosum);
  if (total < own.length) throw new RangeError(`records (${total}) must be at least the go.sum's ${own.length} module versions`);
  const db = newTestDatabase({
    key: generateKey(options.name ?? 'sum.demo.test'),
    records: spread(own, total),
    sha256: nodeSha256,
  });
  await db.log.signed();
  const buildMs = performance.now() - start;
  // Honest answers left before the fork; none armed.
  let honestLeft = Number.POSITIVE_INFINITY;
  const server = await startServer(async (path, signal) => {
    const res = await db.handle(path, signal);
    if (res.status === 200 && --honestLeft === 0) db.setMode('fork');
    return res;
  });
  return {
    db,
    forkAfter(answers) {
      checkIndex(answers, 'answers');
      if (answers === 0) db.setMode('fork');
      else honestLeft = answers;
    },
    url: server.url,
    gosumdb: `${db.vkey} ${server.url}`,
    moduleVersions: own.length,
    buildMs,
    close: () => server.close(),
  };
}

type OwnRecord = { readonly path: string; readonly version: string; readonly text: string };

// One record per module version: its zip line, then its go.mod line, as the real database.
function goSumRecords(gosum: string | Uint8Array): OwnRecord[] {
  const byVersion = new Map<string, { path: string; version: string; zip: string[]; mod: string[] }>();
  for (const l of parseGoSum(gosum).lines) {
    const key = `${l.path}@${l.version}`;
    let r = byVersion.get(key);
    if (r === undefined) {
      r = { path: l.path, version: l.version, zip: [], mod: [] };
      byVersion.set(key, r);
    }
    if (l.kind === 'zip') r.zip.push(`${l.path} ${l.version} ${l.hash}\n`);
    else r.mod.push(`${l.path} ${l.version}/go.mod ${l.hash}\n`);
  }
  return [...byVersion.values()].map((r) => ({ path: r.path, version: r.version, text: [...r.zip, ...r.mod].join('') }));
}

// `own` at evenly spaced ids of a log of `total` records; synthetic modules everywhere else.
function* spread(own: readonly OwnRecord[], total: number): Generator<{ path: string; version: string; text: Uint8Array | string }> {
  let next = 0;
  let synthetic = 0;
  for (let id = 0; id < total; id++) {
    if (next < own.length && id === Math.floor(((next + 0.5) * total) / own.length)) {
      yield own[next++]!;
    } else {
      yield syntheticModule(synthetic++, { sha256: nodeSha256 });
    }
  }
}
