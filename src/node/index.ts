/**
 * gosumdb/node: Node.js adapters for the portable core — native SHA-256 and inflate, files and
 * directories, HTTP transport (undici), on-disk caches in the go command's layout, and a local server.
 *
 * @module
 */
export { diskOps, goDirs, type DiskOpsOptions, type GoDirs } from './diskOps.js';
export {
  httpOps,
  httpTransport,
  proxyFromEnv,
  undiciFetch,
  type HttpOpsOptions,
  type HttpTransportOptions,
  type ProxySettings,
  type UndiciFetchOptions,
} from './http.js';
export { startServer, type RunningServer } from './server.js';
export { nodeSha256 } from './sha256.js';
export { nodeCrc32, nodeInflater } from './inflate.js';
export { fileSource, type FileSource } from './fileSource.js';
export { explainOnDisk, type ExplainOnDiskOptions } from './explain.js';
export { gitModule, gitVersionFor, hashGitModule, type GitHashes, type GitModule, type GitSource } from './git.js';
export { checkZipFile, dirFilesOnDisk, hashDirOnDisk, hashModuleZipFile, hashZipFile, nodeDirSource, nodeZipOptions } from './dirhash.js';
export { readGoEnv, type ReadGoEnvOptions } from './goenv.js';
export {
  modCacheLocalHash,
  nodeModCacheFS,
  verifyModCacheOnDisk,
  type ModCacheEntry,
  type ModCacheStatus,
  type ModuleVersion,
} from './modcache.js';
export { zipDirLocalHash } from './zipdir.js';
export { sqliteMonitorStore } from './monitorStore.js';
export { workerTileHasher, type WorkerTileHasher } from './tileHasher.js';
export { stateDir } from './state.js';
