/**
 * gosumdb/client: verified lookups in a Go checksum database (sum.golang.org or any other), with
 * the behaviour of Go's `golang.org/x/mod/sumdb` client and the go command's configuration rules.
 *
 * - {@link Client}: `lookup(path, version)` returns go.sum lines only after proving them against
 *   the latest signed tree; forks raise {@link SecurityError} with evidence.
 * - {@link ClientOps}: the outside world, injected; {@link memoryOps} keeps it in memory, and
 *   `gosumdb/node` adds HTTP (undici) and the go command's on-disk cache.
 * - {@link resolveSumDB}: GOSUMDB / GOPROXY / GONOSUMDB / GOPRIVATE as the go command reads them;
 *   {@link sumdbRemote} finds the database through the proxy list; {@link newTransport} is the
 *   retrying, bounded HTTP GET over any `fetch`.
 *
 * @module
 */
export { Client, type ClientOptions, type LatestOptions } from './client.js';
export { NotFoundError, SecurityError, SkippedError, UnreachableError, WriteConflictError, type UnreachableKind } from './errors.js';
export {
  checkMirrors,
  mirrorRemote,
  type CheckMirrorsOptions,
  type MirrorEndpoint,
  type MirrorReport,
  type MirrorResult,
} from './mirrors.js';
export { memoryOps, type ClientOps, type MemoryOps, type MemoryOpsOptions, type RemoteReader } from './ops.js';
export { sumdbRemote } from './remote.js';
export { resolveSumDB, type GoEnv, type ProxySpec, type SumDBConfig } from './resolve.js';
export { formatSecurityError, type SecurityEvidence, type SignedTree } from './security.js';
export {
  newTransport,
  type FetchInit,
  type FetchLike,
  type FetchResponse,
  type Transport,
  type TransportOptions,
} from './transport.js';
