// Go's %q rendering (strconv.Quote / strconv.QuoteRune), so error messages read exactly as Go's,
// and printable: text from outside (servers, files, zip entries) made safe for a terminal and a report.
import { decodeUtf8Lossy } from './bytes.js';

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. Compiled on
// first use: Unicode property classes cost milliseconds to build, which every CLI start paid
// (this module is loaded by the CLI's error reporting) for text that rarely needs quoting.
type Classes = { readonly graphic: RegExp; readonly needsEscape: RegExp; readonly needsEscapeLines: RegExp };
let compiled: Classes | undefined;
function classes(): Classes {
  compiled ??= {
    graphic: /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u,
    needsEscape: /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u,
    needsEscapeLines: /[^\p{L}\p{M}\p{N}\p{P}\p{S} \n\t]/u,
  };
  return compiled;
}

const named: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
};

function escapeRune(ch: string, quote: string): string {
  if (ch === quote || ch === '\\') return '\\' + ch;
  if (classes().graphic.test(ch)) return ch;
  const c = ch.codePointAt(0)!;
  const n = named[c];
  if (n !== undefined) return n;
  if (c < 0x20 || c === 0x7f) return '\\x' + c.toString(16).padStart(2, '0');
  // A lone surrogate has no UTF-8 form (Go would print the bad bytes as \xNN); show U+FFFD.
  if (c >= 0xd800 && c <= 0xdfff) return '\\ufffd';
  if (c < 0x10000) return '\\u' + c.toString(16).padStart(4, '0');
  return '\\U' + c.toString(16).padStart(8, '0');
}

/** goQuote renders s as Go's strconv.Quote (fmt %q of a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch, '"');
  return out + '"';
}

/** goQuoteRune renders one code point as Go's strconv.QuoteRune (fmt %q of a rune). */
export function goQuoteRune(ch: string): string {
  return "'" + escapeRune(ch, "'") + "'";
}

/** PRINTABLE_MAX is how many characters of outside text {@link printable} keeps by default. */
export const PRINTABLE_MAX = 1024;

/** MESSAGE_MAX caps a whole message for people (an error, a diagnosis) that may quote outside text already cut to {@link PRINTABLE_MAX}. */
export const MESSAGE_MAX = 4 * PRINTABLE_MAX;

/**
 * printable makes text that came from outside (a server's answer, a file, a zip entry name) safe
 * to put in a report or on a terminal: every character Go's strconv.Quote would escape (control
 * characters such as ESC and BEL, C1 controls, bidirectional overrides) becomes its Go escape
 * (`\x1b`, `\u202e`; backslashes stay as they are), invalid UTF-8 becomes U+FFFD, and the result
 * is cut after `max` characters with a note of the whole length. Only about `max` characters of
 * the input are looked at, so megabytes of junk cost no more than a short string. With `lines`,
 * newlines and tabs are kept.
 */
export function printable(text: string | Uint8Array, options: { readonly max?: number; readonly lines?: boolean } = {}): string {
  const max = options.max ?? PRINTABLE_MAX;
  const s = typeof text === 'string' ? text.slice(0, max + 1) : decodeUtf8Lossy(text.subarray(0, 4 * (max + 1)));
  let whole = typeof text === 'string' ? s.length === text.length : 4 * (max + 1) >= text.length;
  if (whole && s.length <= max && !(options.lines ? classes().needsEscapeLines : classes().needsEscape).test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (out.length >= max) {
      whole = false;
      break;
    }
    out += (options.lines && (ch === '\n' || ch === '\t')) || ch === '\\' ? ch : escapeRune(ch, '');
  }
  if (whole) return out;
  return `${out}…[cut: ${text.length} ${typeof text === 'string' ? 'characters' : 'bytes'} in all]`;
}
