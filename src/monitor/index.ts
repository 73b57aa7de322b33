/**
 * gosumdb/monitor: a full-log monitor for a Go checksum database. Clients prove that what they
 * are told is in the log; a monitor reads all of it. {@link monitorLog} downloads every data tile
 * (from the start, or from a stored checkpoint), proves each record is in the latest signed tree,
 * proves each new tree consistent with the last one it verified (a fork is a `SecurityError`
 * with evidence, as in `gosumdb/client`), and reports duplicate module versions anywhere in the
 * log, malformed records, and records under watched module path prefixes. {@link gossipTrees}
 * proves other observers' signed trees consistent with the monitor's.
 *
 * State lives behind {@link MonitorStore}: {@link memoryMonitorStore} here, an SQLite store in
 * `gosumdb/node`. Everything in this module is runtime-neutral.
 *
 * @module
 */
export { formatFinding, type MonitorFinding, type RecordLineKind } from './findings.js';
export { memoryMonitorStore, type MonitorBatch, type MonitorCheckpoint, type MonitorStore, type MonitorVersions } from './store.js';
export { moduleVersionKey } from './key.js';
export { newVersionIndex, type VersionChanges, type VersionIndex } from './versionIndex.js';
export type { VersionRow } from './versionIndex.js';
export { monitorLog, type MonitorOptions, type MonitorProgress, type MonitorResult } from './monitor.js';
export { findModuleVersion, type FindOptions, type FindResult } from './find.js';
export { gossipTrees, type GossipOptions, type GossipPeer, type GossipResult } from './gossip.js';
export { threadTileHasher, tileRecord, type HashedTile, type TileHasher, type TileRequest } from './tiles.js';
