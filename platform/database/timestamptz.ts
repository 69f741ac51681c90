/**
 * timestamptz columns read into Date without postgres-date's regular
 * expressions: PostgreSQL's text output (ISO DateStyle) has fixed positions,
 * `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]`, so the fields are read by character
 * code. Every timestamp of every row goes through here (seven per live
 * class), and pg's parser was the largest single cost of row mapping in the
 * subgraphs' profiles. Anything else (years before 100 or after 9999, BC,
 * infinity, offsets with seconds) goes to pg's own parser.
 */
import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const pgParse = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date | number | null;

const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const DOT = 46;
const ZERO = 48;

const digit = (text: string, at: number) => text.charCodeAt(at) - ZERO;
const twoDigits = (text: string, at: number) => digit(text, at) * 10 + digit(text, at + 1);

export function parseTimestamptz(text: string): Date | number | null {
  if (text.length < 22 || text.charCodeAt(4) !== MINUS || text.charCodeAt(10) !== SPACE) return pgParse(text);
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + twoDigits(text, 2);
  if (year < 100) return pgParse(text); // Date.UTC reads years 0-99 as 1900-1999
  let at = 19;
  let millis = 0;
  if (text.charCodeAt(at) === DOT) {
    // Microseconds truncated to milliseconds, as pg's parser does.
    let scale = 100;
    for (at++; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code < ZERO || code > ZERO + 9) break;
      millis += (code - ZERO) * scale;
      scale = scale === 1 ? 0 : scale / 10;
    }
  }
  const sign = text.charCodeAt(at);
  if (sign !== PLUS && sign !== MINUS) return pgParse(text); // " BC", or anything unexpected
  let offsetMinutes: number;
  if (text.length === at + 3) offsetMinutes = twoDigits(text, at + 1) * 60;
  else if (text.length === at + 6) offsetMinutes = twoDigits(text, at + 1) * 60 + twoDigits(text, at + 4);
  else return pgParse(text); // an offset with seconds (historical local mean times)
  if (sign === MINUS) offsetMinutes = -offsetMinutes;
  const utc = Date.UTC(year, twoDigits(text, 5) - 1, twoDigits(text, 8), twoDigits(text, 11), twoDigits(text, 14), twoDigits(text, 17), millis);
  return new Date(utc - offsetMinutes * 60_000);
}

/** Makes every pg client of this process parse timestamptz with parseTimestamptz. */
export function useFastTimestamptzParser(): void {
  pg.types.setTypeParser(TIMESTAMPTZ_OID, 'text', parseTimestamptz);
}
