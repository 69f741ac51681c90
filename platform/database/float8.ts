/**
 * float8 columns that hold an integer (epochMillis: every class's start in
 * meet's course list) read by character code, not by parseFloat: V8's
 * string-to-double conversion (InternalStringToDouble, Strtod) cost ~400
 * instructions a value, the loop below a fifth of that. Only a plain
 * integer of at most 15 digits (below 2^53, so every step is exact and the
 * number is the one parseFloat gives); anything else (fractions, exponents,
 * NaN, Infinity) goes to parseFloat, pg's own parser.
 */
import pg from 'pg';

const FLOAT8_OID = 701;
const MINUS = 45;
const ZERO = 48;

export function parseFloat8(text: string): number {
  const length = text.length;
  const negative = text.charCodeAt(0) === MINUS;
  let at = negative ? 1 : 0;
  if (length === at || length - at > 15) return Number.parseFloat(text);
  let value = 0;
  for (; at < length; at++) {
    const digit = text.charCodeAt(at) - ZERO;
    if (digit < 0 || digit > 9) return Number.parseFloat(text);
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** Makes every pg client of this process parse float8 with parseFloat8. */
export function useFastFloat8Parser(): void {
  pg.types.setTypeParser(FLOAT8_OID, 'text', parseFloat8);
}
