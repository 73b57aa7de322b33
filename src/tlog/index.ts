/**
 * gosumdb/tlog: the tamper-evident log behind the Go checksum database, with the same behaviour as
 * Go's `golang.org/x/mod/sumdb/tlog`. RFC 6962 record and node hashes, the stored-hash layout,
 * tree hashes, record (inclusion) and tree (consistency) proofs, the signed tree and record
 * formats, and tiles: paths, the tiles a log publishes, and a {@link HashReader} that fetches
 * tiles and verifies them against a trusted tree before using or caching them.
 *
 * Beyond Go: data tiles as sum.golang.org serves them (records without id lines), C2SP
 * tlog-checkpoint and tlog-tiles (paths and entry bundles, verified with the same proof code),
 * and {@link verifyLog}, which recomputes a whole log's root from its data tiles for an audit.
 *
 * Planners are pure and hashing is synchronous; only reading hashes or tiles is async.
 * Sizes and indexes are safe-integer numbers; hashes are 32-byte Uint8Arrays.
 *
 * @module
 */
export { HASH_SIZE, emptyTreeHash, formatHash, nodeHash, parseHash, recordHash, type Hash } from './hash.js';
export {
  checkRecord,
  checkTree,
  proveRecord,
  proveTree,
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashesForRecordHash,
  storedHashIndex,
  treeHash,
  type HashReader,
} from './tlog.js';
export { formatRecord, formatTree, parseRecord, parseTree, type Tree } from './note.js';
export {
  hashFromTile,
  newTiles,
  parseTilePath,
  readTileData,
  tileForIndex,
  tileHashReader,
  tilePath,
  type Tile,
  type TileHashReaderOptions,
  type TileReader,
} from './tile.js';
export { parseDataTile, parseEntryBundle, verifyDataTile } from './data.js';
export { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.js';
export { parseTlogTilesPath, tlogTilesPath } from './tlogtiles.js';
export { verifyLog, type VerifyLogOptions, type VerifyLogProgress } from './verify.js';
