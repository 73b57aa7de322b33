/**
 * gosumdb/server: a checksum database server with Go's URL space and answers, for tests, demos and
 * interop. `newServer(ops)` is Go's `sumdb.NewServer` as a pure request handler (no sockets),
 * `newTestServer` Go's in-memory `sumdb.TestServer`, and `newTestDatabase` a complete database
 * with a key, a prefilled log and misbehaviour modes (fork, bad record, bad tile, truncated
 * bodies, slow, flaky, growing) that a client must survive. Serve a handler on 127.0.0.1 with
 * `gosumdb/node`'s `startServer`, or call it directly through `serverRemote`.
 *
 * @module
 */
export { newServer, dataTileContent, textResponse, SERVER_PATHS, type Handler, type ServerOps, type ServerResponse } from './server.js';
export { newTestServer, type GoSum, type LogRecord, type TestServer } from './testserver.js';
export { newTestDatabase, type Mode, type RequestStats, type TestDatabase, type TestDatabaseOptions } from './database.js';
export { syntheticModule, type SyntheticModule } from './synthetic.js';
export { serverRemote } from './remote.js';
