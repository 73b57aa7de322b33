import { decodeBase64, decodeUtf8, hasPrefix, latin1, utf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { checkIndex, parseDecimal } from '../internal/num.js';
import { printable } from '../internal/quote.js';
import { checkHash, formatHash, HASH_SIZE, type Hash } from './hash.js';

/**
 * Tree describes a log's tree: its size (number of records) and root hash, as a go.sum database
 * server signs it (Go's `tlog.Tree`).
 */
export type Tree = { readonly n: number; readonly hash: Hash };

const treePrefix = utf8('go.sum database tree\n');

/**
 * formatTree formats a tree description for a signed note, three lines each ending in a newline:
 * `go.sum database tree`, the size in decimal, the root hash in base64 (Go's `tlog.FormatTree`).
 *
 * @throws RangeError if tree.n is not a non-negative safe integer; TypeError if tree.hash is not 32 bytes.
 * @example
 * ```ts
 * import { formatTree, recordHash } from 'gosumdb/tlog';
 * const text = formatTree({ n: 123456789012, hash: recordHash(new TextEncoder().encode('hello world')) });
 * console.log(new TextDecoder().decode(text));
 * // go.sum database tree
 * // 123456789012
 * // TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=
 * ```
 */
export function formatTree(tree: Tree): Uint8Array {
  checkIndex(tree.n, 'tree size');
  checkHash(tree.hash, 'tree hash');
  return utf8(`go.sum database tree\n${tree.n}\n${formatHash(tree.hash)}\n`);
}

/**
 * parseTree parses a tree description (Go's `tlog.ParseTree`) with Go's strictness: the exact
 * first line, a canonical decimal size (no sign, no leading zeros), a base64 hash of 32 bytes,
 * at most 1e6 bytes; lines after the third are ignored for forward compatibility.
 *
 * @throws GosumdbError `ERR_TREE_MALFORMED` ("malformed tree note"); `ERR_TREE_SIZE_UNSAFE` for a
 *   size Go accepts (up to 2^63-1) that exceeds 2^53-1, which a JavaScript number cannot hold.
 * @example
 * ```ts
 * import { parseTree } from 'gosumdb/tlog';
 * const tree = parseTree(new TextEncoder().encode('go.sum database tree\n2\nnND/nri/U0xuHUrYSy0HtMeal2vzD9V4k/BO79C+QeI=\n'));
 * console.log(tree.n); // 2
 * ```
 */
export function parseTree(text: Uint8Array): Tree {
  if (!(text instanceof Uint8Array)) throw new TypeError('tree text must be a Uint8Array');
  const malformed = () => new GosumdbError('ERR_TREE_MALFORMED', 'malformed tree note');
  if (!hasPrefix(text, treePrefix) || text.length > 1e6) throw malformed();
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < text.length && lines.length < 3; i++) {
    if (text[i] === 0x0a) {
      lines.push(text.subarray(start, i));
      start = i + 1;
    }
  }
  if (lines.length < 3) throw malformed();
  const size = parseDecimal(latin1(lines[1]!));
  if (!size.ok) {
    if (size.reason === 'unsafe') {
      throw new GosumdbError('ERR_TREE_SIZE_UNSAFE', `malformed tree note: tree size ${latin1(lines[1]!)} exceeds 2^53-1`);
    }
    throw malformed();
  }
  // Go's base64 decoder skips '\r', so "hash\r\n" is accepted as Go accepts it.
  const hash = decodeBase64(latin1(lines[2]!));
  if (hash === undefined || hash.length !== HASH_SIZE) throw malformed();
  return { n: size.value, hash };
}

// A tree proved with tiles needs stored-hash indexes of about 2n, which stay safe integers only
// up to n = 2^52. Trees parsed from a server's note go through this before anything is proved.
export function parseProvableTree(text: Uint8Array): Tree {
  const tree = parseTree(text);
  if (tree.n > 2 ** 52) {
    throw new GosumdbError('ERR_TREE_SIZE_UNSAFE', `tree size ${tree.n} exceeds 2^52: its stored hashes cannot be indexed exactly`);
  }
  return tree;
}

/**
 * isValidRecordText reports whether text is valid record text: UTF-8, no ASCII control characters
 * except newline, no blank lines, ending in a newline (Go's rule for `tlog.FormatRecord`).
 */
export function isValidRecordText(text: Uint8Array): boolean {
  if (text.length === 0 || text[text.length - 1] !== 0x0a) return false;
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c < 0x20 && c !== 0x0a) return false;
    if (c === 0x0a && i > 0 && text[i - 1] === 0x0a) return false;
    if (c >= 0x80) ascii = false;
  }
  // Measured: skipping the UTF-8 decoder for ASCII records halves verifyLog's parsing time.
  return ascii || decodeUtf8(text) !== undefined;
}

/**
 * formatRecord formats a record as a `/lookup` response or an old-style data tile serves it:
 * the id in decimal on its own line, the record text, then a blank line (Go's `tlog.FormatRecord`).
 *
 * @throws GosumdbError `ERR_RECORD_MALFORMED` ("malformed record data") unless the text is
 *   UTF-8 without control characters other than newline, ends in a newline and has no blank
 *   lines; RangeError if id is not a non-negative safe integer.
 * @example
 * ```ts
 * import { formatRecord } from 'gosumdb/tlog';
 * const msg = formatRecord(123456789012, new TextEncoder().encode('hello, world\n'));
 * console.log(JSON.stringify(new TextDecoder().decode(msg))); // "123456789012\nhello, world\n\n"
 * ```
 */
export function formatRecord(id: number, text: Uint8Array): Uint8Array {
  checkIndex(id, 'record id');
  if (!(text instanceof Uint8Array)) throw new TypeError('record text must be a Uint8Array');
  if (!isValidRecordText(text)) throw new GosumdbError('ERR_RECORD_MALFORMED', 'malformed record data');
  const head = utf8(`${id}\n`);
  const out = new Uint8Array(head.length + text.length + 1);
  out.set(head);
  out.set(text, head.length);
  out[out.length - 1] = 0x0a;
  return out;
}

/**
 * parseRecord parses a record at the start of msg, stopping right after its terminating blank
 * line, and returns the id, the record text and the rest of msg (Go's `tlog.ParseRecord`). Like
 * Go it accepts an id with a leading `+` or leading zeros; unlike Go it rejects a negative id,
 * which no log can hold (Go accepts it here and fails later).
 *
 * @throws GosumdbError `ERR_RECORD_MALFORMED` ("malformed record data"); `ERR_RECORD_ID_UNSAFE`
 *   for an id Go accepts (up to 2^63-1) that exceeds 2^53-1.
 * @example
 * ```ts
 * import { parseRecord } from 'gosumdb/tlog';
 * const r = parseRecord(new TextEncoder().encode('7\nexample.com/m v1.0.0 h1:abc=\n\nrest'));
 * console.log(r.id, new TextDecoder().decode(r.rest)); // 7 rest
 * ```
 */
export function parseRecord(msg: Uint8Array): { id: number; text: Uint8Array; rest: Uint8Array } {
  if (!(msg instanceof Uint8Array)) throw new TypeError('record message must be a Uint8Array');
  const malformed = () => new GosumdbError('ERR_RECORD_MALFORMED', 'malformed record data');
  const nl = msg.indexOf(0x0a);
  if (nl < 0) throw malformed();
  const id = parseRecordId(latin1(msg.subarray(0, nl)));
  let end = -1;
  for (let i = nl + 1; i + 1 < msg.length; i++) {
    if (msg[i] === 0x0a && msg[i + 1] === 0x0a) {
      end = i;
      break;
    }
  }
  if (end < 0) throw malformed();
  const text = msg.slice(nl + 1, end + 1);
  if (!isValidRecordText(text)) throw malformed();
  return { id, text, rest: msg.slice(end + 2) };
}

// parseRecordId accepts what Go's strconv.ParseInt(s, 10, 64) accepts, except negative values.
// Attacker-controlled: the line may be megabytes long, so the form is checked in one linear pass
// and only the significant digits (at most 19 for an int64) ever reach BigInt.
function parseRecordId(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new GosumdbError('ERR_RECORD_MALFORMED', 'malformed record data');
  const sign = s[0] === '+' || s[0] === '-' ? 1 : 0;
  let first = sign;
  while (first < s.length - 1 && s[first] === '0') first++;
  const digits = s.slice(first);
  const negative = s[0] === '-' && digits !== '0';
  const shown = printable(s, { max: 40 });
  if (digits.length > 19) throw new GosumdbError('ERR_RECORD_MALFORMED', 'malformed record data');
  const big = BigInt(digits);
  if (negative ? big > 0x8000000000000000n : big > 0x7fffffffffffffffn) {
    throw new GosumdbError('ERR_RECORD_MALFORMED', 'malformed record data');
  }
  if (negative) throw new GosumdbError('ERR_RECORD_MALFORMED', `malformed record data: negative record id ${shown}`);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new GosumdbError('ERR_RECORD_ID_UNSAFE', `malformed record data: record id ${shown} exceeds 2^53-1`);
  }
  return Number(big);
}
