/**
 * Conformance: runs the language-neutral vectors in `vectors/` against this implementation.
 * Each area contributes the runners for its topics; `gosumdb vectors` and the tests use them.
 *
 * @module
 */
import type { Runners } from './run.js';
import { moduleRunners } from './module.js';
import { tlogRunners } from './tlog.js';
import { dirhashRunners } from './dirhash.js';
import { noteRunners } from './note.js';
import { serverRunners } from './server.js';
import { clientRunners } from './client.js';
import { zipRunners } from './zip.js';

export { runVectorFile, type CaseResult, type Runner, type Runners, type VectorCase, type VectorFile } from './run.js';

/** allRunners maps every `area/topic` this implementation can run to its runner. */
export const allRunners: Runners = {
  ...moduleRunners,
  ...tlogRunners,
  ...dirhashRunners,
  ...noteRunners,
  ...serverRunners,
  ...clientRunners,
  ...zipRunners,
};
