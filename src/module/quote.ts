// Go's %q rendering (strconv.Quote / strconv.QuoteRune), so error messages read exactly as Go's.

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

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
  if (printable.test(ch)) return ch;
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
