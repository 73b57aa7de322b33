/**
 * gosumdb verifies Go module checksums the way the go command does: h1 dirhashes, signed notes,
 * transparency-log proofs, and verified lookups against the Go checksum database.
 *
 * Each area also has its own entry point: `gosumdb/dirhash`, `gosumdb/note`, `gosumdb/tlog`,
 * `gosumdb/client`, `gosumdb/gosum`, and `gosumdb/node` for Node.js adapters.
 *
 * @module
 */
export { GosumdbError, isGosumdbError } from './internal/errors.js';
export { nobleSha256, sha256Into, type Sha256, type Sha256Hasher } from './internal/sha256.js';
