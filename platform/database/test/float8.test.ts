/**
 * parseFloat8 (platform/database/float8.ts): the number parseFloat gives for
 * every text, its own loop only for plain integers of up to 15 digits, and
 * installed for every pool of the process.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import '../connection.js';
import { parseFloat8 } from '../float8.js';

// biome-ignore format: a few texts a line
const TEXTS = [
  '0', '-0', '7', '-7', '007', '1796000000000', '-1796000000000', '999999999999999', '-999999999999999', '1000000000000000',
  '9007199254740993', '12345678901234567890', '1.5', '-0.25', '1e+15', '1e-05', '123456789012345.6', 'NaN', 'Infinity',
  '-Infinity', '', '-', '+5', '12a', '1 ', '٣',
];

it('gives what parseFloat gives, for integers and anything else', () => {
  const texts = [...TEXTS];
  for (let digits = 1; digits <= 17; digits++) {
    const text = String(Math.floor(Math.random() * 10 ** digits));
    texts.push(text, `-${text}`);
  }
  for (const text of texts) expect(Object.is(parseFloat8(text), Number.parseFloat(text)), text).toBe(true);
});

it('is the float8 parser of every pool', () => {
  expect(pg.types.getTypeParser(701, 'text')).toBe(parseFloat8);
});
