import { decodeUtf8, encodeBase64 } from '../internal/bytes.js';
import { newTestDatabase, type TestDatabase } from '../server/index.js';
import type { Runners } from './run.js';

// Error texts of Go's server that do not depend on its storage; other error bodies are not compared.
const fixedBodies = new Set(['invalid module@version syntax\n', 'invalid tile syntax\n', '404 page not found\n']);

// Logs are rebuilt once per key and size: the vectors name a size, not the records.
const logs = new Map<string, TestDatabase>();

function database(skey: string, vkey: string, synthetic: number): TestDatabase {
  const id = `${skey} ${synthetic}`;
  let db = logs.get(id);
  if (db === undefined) {
    db = newTestDatabase({ key: { skey, vkey }, synthetic });
    logs.set(id, db);
  }
  return db;
}

/** serverRunners runs `vectors/server/*.json` (see vectors/README.md). */
export const serverRunners: Runners = {
  'server/responses': async (input: { skey: string; vkey: string; synthetic: number; path: string }) => {
    const res = await database(input.skey, input.vkey, input.synthetic).handle(input.path);
    const keepBody = res.status === 200 || fixedBodies.has(decodeUtf8(res.body) ?? '');
    return { status: res.status, contentType: res.contentType, ...(keepBody ? { bodyB64: encodeBase64(res.body) } : {}) };
  },
};
