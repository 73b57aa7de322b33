/**
 * gosumdb/node: Node.js adapters for the portable core — native SHA-256 and inflate, files and
 * directories, HTTP transport (undici), on-disk caches in the go command's layout, and a local server.
 *
 * @module
 */
export { startServer, type RunningServer } from './server.js';
