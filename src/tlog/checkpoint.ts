import { decodeBase64, decodeUtf8, encodeBase64, utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { checkIndex } from '../internal/num.js';
import { checkHash, HASH_SIZE } from './hash.js';
import type { Tree } from './note.js';

/**
 * Checkpoint is a C2SP tlog-checkpoint: the signed statement of a log's origin (its name), tree
 * size and root hash, plus optional extension lines. A go.sum database tree note is a checkpoint
 * whose origin is `go.sum database tree`.
 */
export type Checkpoint = { readonly origin: string; readonly tree: Tree; readonly extensions: readonly string[] };

/**
 * parseCheckpoint parses the text of a C2SP tlog-checkpoint note: the origin line (non-empty),
 * the tree size in canonical decimal, the root hash in canonical padded base64, then zero or more
 * non-empty extension lines, every line ending in a newline, all UTF-8.
 *
 * @throws GosumdbError `ERR_CHECKPOINT_MALFORMED` ("malformed checkpoint"); `ERR_TREE_SIZE_UNSAFE`
 *   for a size up to 2^64-1 (allowed by C2SP) above 2^53-1.
 * @example
 * ```ts
 * import { parseCheckpoint } from 'gosumdb/tlog';
 * const c = parseCheckpoint(new TextEncoder().encode('example.com/log\n2\nnND/nri/U0xuHUrYSy0HtMeal2vzD9V4k/BO79C+QeI=\n'));
 * console.log(c.origin, c.tree.n); // example.com/log 2
 * ```
 */
export function parseCheckpoint(text: Uint8Array): Checkpoint {
  if (!(text instanceof Uint8Array)) throw new TypeError('checkpoint must be a Uint8Array');
  const bad = (why: string) => new GosumdbError('ERR_CHECKPOINT_MALFORMED', `malformed checkpoint: ${why}`);
  const s = decodeUtf8(text);
  if (s === undefined) throw bad('invalid UTF-8');
  if (!s.endsWith('\n')) throw bad('missing final newline');
  const lines = s.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad('too few lines');
  const [origin, size, hash, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '') throw bad('empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || BigInt(size) > 0xffffffffffffffffn) throw bad('tree size');
  const n = Number(size);
  if (!Number.isSafeInteger(n)) throw new GosumdbError('ERR_TREE_SIZE_UNSAFE', `malformed checkpoint: tree size ${size} exceeds 2^53-1`);
  const h = decodeBase64(hash, { skipNewlines: false, strict: true });
  if (h === undefined || h.length !== HASH_SIZE || encodeBase64(h) !== hash) throw bad('root hash');
  if (extensions.some((e) => e === '')) throw bad('empty extension line');
  return { origin, tree: { n, hash: h }, extensions };
}

/**
 * formatCheckpoint formats a C2SP tlog-checkpoint note text, the inverse of {@link parseCheckpoint}.
 *
 * @throws RangeError if the origin or an extension line is empty or contains a newline, or the
 *   tree size is not a non-negative safe integer; TypeError if the hash is not 32 bytes.
 * @example
 * ```ts
 * import { formatCheckpoint, emptyTreeHash } from 'gosumdb/tlog';
 * const text = formatCheckpoint({ origin: 'example.com/log', tree: { n: 0, hash: emptyTreeHash }, extensions: [] });
 * console.log(new TextDecoder().decode(text));
 * // example.com/log
 * // 0
 * // 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
 * ```
 */
export function formatCheckpoint(c: Checkpoint): Uint8Array {
  for (const line of [c.origin, ...c.extensions]) {
    if (typeof line !== 'string' || line === '' || line.includes('\n')) {
      throw new RangeError('checkpoint origin and extension lines must be non-empty single lines');
    }
  }
  checkIndex(c.tree.n, 'tree size');
  checkHash(c.tree.hash, 'tree hash');
  return utf8([c.origin, String(c.tree.n), encodeBase64(c.tree.hash), ...c.extensions].join('\n') + '\n');
}
