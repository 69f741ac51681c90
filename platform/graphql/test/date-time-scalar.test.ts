/** DateTime answers: UTC ISO strings for years 0 to 9999, an error for anything RFC 3339 cannot write. */
import { expect, it } from 'vitest';
import { DateTimeScalar } from '../scalars.js';

const serialize = (value: unknown) => DateTimeScalar.serialize(value);

it('writes instants of years 0 to 9999 in UTC, from a Date, a string or milliseconds', () => {
  expect(serialize(new Date('2026-12-05T09:24:51.123+05:30'))).toBe('2026-12-05T03:54:51.123Z');
  expect(serialize('2026-12-05T03:54:51Z')).toBe('2026-12-05T03:54:51.000Z');
  expect(serialize(0)).toBe('1970-01-01T00:00:00.000Z');
  expect(serialize(new Date('0000-01-01T00:00:00.000Z'))).toBe('0000-01-01T00:00:00.000Z');
  expect(serialize(new Date('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:59:59.999Z');
});

it('refuses what RFC 3339 cannot write', () => {
  for (const value of [new Date('+010000-01-01T00:00:00.000Z'), new Date('-000001-12-31T23:59:59.999Z'), new Date(Number.NaN), 'not a date']) {
    expect(() => serialize(value), String(value)).toThrow(/Cannot serialize/);
  }
});

it('writes whole milliseconds without a Date as it writes their Date, and anything else through a Date as before', () => {
  for (const time of [0, -1, 1_796_442_891_123, Date.parse('0000-01-01T00:00:00.000Z'), Date.parse('9999-12-31T23:59:59.999Z')]) {
    expect(serialize(time)).toBe(serialize(new Date(time)));
  }
  expect(serialize(1.9)).toBe('1970-01-01T00:00:00.001Z'); // Date keeps whole milliseconds
  for (const time of [Date.parse('9999-12-31T23:59:59.999Z') + 1, Date.parse('0000-01-01T00:00:00.000Z') - 1, Number.POSITIVE_INFINITY, Number.NaN]) {
    expect(() => serialize(time), String(time)).toThrow(/Cannot serialize/);
  }
});
