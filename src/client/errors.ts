import { GosumdbError } from '../internal/errors.js';
import type { SecurityEvidence } from './security.js';

/**
 * NotFoundError reports that the database (or a proxy, or a static mirror) has no such resource:
 * an HTTP 404 or 410, or a missing file. Go treats these as `fs.ErrNotExist`, which is what lets
 * a comma-separated GOPROXY list fall through to its next entry.
 *
 * @example
 * ```ts
 * import { NotFoundError } from 'gosumdb/client';
 * const e = new NotFoundError('reading https://sum.golang.org/lookup/x@v1.0.0: 404 Not Found');
 * console.log(e.code); // ERR_NOT_FOUND
 * ```
 */
export class NotFoundError extends GosumdbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NOT_FOUND', message, options);
  }
}

/**
 * SkippedError is thrown by `Client.lookup` for a module path matched by the GONOSUMDB patterns,
 * like Go's `sumdb.ErrGONOSUMDB`: the database is deliberately not consulted for it.
 *
 * @example
 * ```ts
 * import { SkippedError } from 'gosumdb/client';
 * console.log(new SkippedError().message); // skipped (listed in GONOSUMDB)
 * ```
 */
export class SkippedError extends GosumdbError {
  constructor() {
    super('ERR_SKIPPED', 'skipped (listed in GONOSUMDB)');
  }
}

/** UnreachableKind says why a server could not be reached: its name did not resolve, nothing accepted the connection, or TLS failed. */
export type UnreachableKind = 'dns' | 'connect' | 'tls';

/**
 * UnreachableError (ERR_UNREACHABLE) reports that a server could not be reached at all: its host
 * name did not resolve, the connection was refused or timed out, or the TLS handshake failed.
 * Unlike an answer that failed, this says nothing about any one module, so callers report it once
 * per `origin` (scheme, host and port) rather than once per request.
 *
 * @example
 * ```ts
 * import { UnreachableError } from 'gosumdb/client';
 * const e = new UnreachableError('https://sum.example/latest', 'dns', 'getaddrinfo ENOTFOUND sum.example');
 * console.log(e.code, e.origin, e.kind); // ERR_UNREACHABLE https://sum.example dns
 * ```
 */
export class UnreachableError extends GosumdbError {
  /** The unreachable server: scheme, host and port of the URL. */
  readonly origin: string;
  readonly kind: UnreachableKind;
  /** What the network said, e.g. `connect ECONNREFUSED 127.0.0.1:9`. */
  readonly reason: string;

  constructor(url: string, kind: UnreachableKind, reason: string, options?: { cause?: unknown }) {
    super('ERR_UNREACHABLE', `reading ${url}: ${reason}`, options);
    this.origin = originOf(url);
    this.kind = kind;
    this.reason = reason;
  }
}

/** originOf is the scheme, host and port of a URL (the URL itself if it does not parse). */
export function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? `${u.protocol}//${u.host}` : u.origin;
  } catch {
    return url;
  }
}

/**
 * WriteConflictError is thrown by `ClientOps.writeConfig` when the stored file no longer holds
 * the `old` content, like Go's `sumdb.ErrWriteConflict`; the client then re-reads and merges.
 *
 * @example
 * ```ts
 * import { WriteConflictError } from 'gosumdb/client';
 * console.log(new WriteConflictError().code); // ERR_WRITE_CONFLICT
 * ```
 */
export class WriteConflictError extends GosumdbError {
  constructor() {
    super('ERR_WRITE_CONFLICT', 'write conflict');
  }
}

/**
 * SecurityError reports that the database server showed two signed trees that cannot both be
 * true (a fork), like Go's `sumdb.ErrSecurity`. `evidence` holds everything needed to prove it
 * to a third party; `formatSecurityError(evidence)` renders the go command's report.
 *
 * @example
 * ```ts
 * import { SecurityError } from 'gosumdb/client';
 * function describe(e: unknown): string {
 *   return e instanceof SecurityError ? `fork between trees ${e.evidence.older.tree.n} and ${e.evidence.newer.tree.n}` : 'no fork';
 * }
 * console.log(describe(new Error('a network error'))); // no fork
 * ```
 */
export class SecurityError extends GosumdbError {
  /** The two inconsistent signed trees and the proof that they disagree. */
  readonly evidence: SecurityEvidence;

  constructor(evidence: SecurityEvidence, options?: { message?: string; cause?: unknown }) {
    super('ERR_SECURITY', options?.message ?? 'security error: misbehaving server', options);
    this.evidence = evidence;
  }
}

/**
 * withContext returns `e` with Go's context prefix added to its message (`path@version: ...`),
 * keeping its class, code and data; anything that is not a GosumdbError is returned unchanged.
 */
export function withContext(prefix: string, e: unknown): unknown {
  if (!(e instanceof GosumdbError)) return e;
  const message = `${prefix}: ${e.message}`;
  if (e instanceof SecurityError) return new SecurityError(e.evidence, { message, cause: e });
  if (e instanceof NotFoundError) return new NotFoundError(message, { cause: e });
  return new GosumdbError(e.code, message, { cause: e });
}
