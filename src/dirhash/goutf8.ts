// Raw-byte names seen through Go's eyes: Go strings may hold any bytes, and Go decodes them one
// rune at a time (utf8.DecodeRune), an invalid byte counting as one U+FFFD.
import { goQuote } from '../internal/quote.js';

// Length of the valid UTF-8 sequence at b[i], or 0 if the byte there starts none (Go's rules:
// no overlong forms, no surrogates, nothing above U+10FFFF).
function runeLen(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

function pieces(b: Uint8Array): (string | number)[] {
  const out: (string | number)[] = [];
  const dec = new TextDecoder();
  for (let i = 0; i < b.length; ) {
    const n = runeLen(b, i);
    if (n === 0) {
      out.push(b[i]!);
      i++;
    } else {
      out.push(dec.decode(b.subarray(i, i + n)));
      i += n;
    }
  }
  return out;
}

/** goString is a name as a JavaScript string, each invalid byte becoming U+FFFD (as Go's JSON shows it). */
export function goString(b: Uint8Array): string {
  return pieces(b)
    .map((p) => (typeof p === 'number' ? '\ufffd' : p))
    .join('');
}

/** goQuoteBytes is Go's %q of a byte string: invalid bytes as \xNN. */
export function goQuoteBytes(b: Uint8Array): string {
  return (
    '"' +
    pieces(b)
      .map((p) => (typeof p === 'number' ? '\\x' + p.toString(16).padStart(2, '0') : goQuote(p).slice(1, -1)))
      .join('') +
    '"'
  );
}
