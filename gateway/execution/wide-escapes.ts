/**
 * The `\uXXXX` escapes an answer may hold in text the client's answer takes
 * as it is (entity-answer-reader.ts): those subgraph-answer-text.ts writes
 * for characters past Latin-1, so that a title with an emoji or a CJK name
 * can still be copied. JSON.stringify writes such characters raw, so the
 * copied text has its escapes turned back into the characters
 * (`unescapeWide`), which makes it what stringifying the parsed value writes.
 *
 * Only escapes that turning back makes exactly that are allowed: a code
 * unit of U+0100 or more (hex of either case), a high surrogate only with
 * the low one after it. Anything else escaped (a quote, a newline,
 * `\u00e9`, a lone surrogate, which JSON.stringify writes escaped) keeps
 * the value parsed.
 */

const BACKSLASH = 92;
const U = 117;
const ESCAPE_LENGTH = 6;

/** Every backslash of a text, found once, for strings to ask about theirs. */
export class Backslashes {
  private readonly positions: number[] = [];

  constructor(private readonly text: string) {
    for (let at = text.indexOf('\\'); at >= 0; at = text.indexOf('\\', at + 1)) this.positions.push(at);
  }

  get any(): boolean {
    return this.positions.length > 0;
  }

  /** The index in `positions` of the first backslash at or after `from`. */
  private firstFrom(from: number): number {
    let low = 0;
    let high = this.positions.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.positions[middle]! < from) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Past the closing quote of the string at `at`, escaped quotes skipped. */
  stringEnd(at: number): number {
    let close = this.text.indexOf('"', at + 1);
    while (close >= 0) {
      let before = 0;
      while (this.text.charCodeAt(close - 1 - before) === BACKSLASH) before++;
      if (before % 2 === 0) return close + 1;
      close = this.text.indexOf('"', close + 1);
    }
    return -1;
  }

  /** Whether the string from `at` (its opening quote) to `end` (past its closing one) has a backslash. */
  has(at: number, end: number): boolean {
    const index = this.firstFrom(at);
    return index < this.positions.length && this.positions[index]! < end;
  }

  /** Whether every backslash of the string from `at` to `end` begins an escape that unescapeWide turns back exactly. */
  onlyWide(at: number, end: number): boolean {
    const text = this.text;
    let index = this.firstFrom(at);
    while (index < this.positions.length) {
      const position = this.positions[index]!;
      if (position >= end - 1) return true; // the closing quote's place: past the string
      const unit = unitAt(text, position);
      if (unit < 0x100) return false;
      if (unit >= 0xdc00 && unit <= 0xdfff) return false; // a low surrogate alone
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const low = unitAt(text, position + ESCAPE_LENGTH);
        if (low < 0xdc00 || low > 0xdfff || position + 2 * ESCAPE_LENGTH > end - 1) return false;
        index++; // the low surrogate's backslash, checked here
      }
      index++;
    }
    return true;
  }
}

const hexDigit = (code: number) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : code >= 65 && code <= 70 ? code - 55 : -1);

/** The code unit of the `\uXXXX` escape at `at`, or -1 when there is none there. */
function unitAt(text: string, at: number): number {
  if (text.charCodeAt(at) !== BACKSLASH || text.charCodeAt(at + 1) !== U) return -1;
  let unit = 0;
  for (let digit = 2; digit < ESCAPE_LENGTH; digit++) {
    const value = hexDigit(text.charCodeAt(at + digit));
    if (value < 0) return -1;
    unit = unit * 16 + value;
  }
  return unit;
}

/** JSON text whose only escapes are ones Backslashes.onlyWide allows, with those written as their characters. */
export function unescapeWide(text: string): string {
  let from = 0;
  let result = '';
  for (let at = text.indexOf('\\'); at >= 0; at = text.indexOf('\\', at + ESCAPE_LENGTH)) {
    result += text.slice(from, at) + String.fromCharCode(unitAt(text, at));
    from = at + ESCAPE_LENGTH;
  }
  return from === 0 ? text : result + text.slice(from);
}
