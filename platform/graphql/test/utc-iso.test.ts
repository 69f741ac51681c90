/** utcIso writes what toISOString writes, for every instant the DateTime scalar answers (years 0 to 9999). */
import { expect, it } from 'vitest';
import { REMEMBERED, rememberedTexts, utcIso } from '../utc-iso.js';

const FIRST = Date.parse('0000-01-01T00:00:00.000Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');
const iso = (time: number) => new Date(time).toISOString();

it('matches toISOString at the edges: the range, leap days, centuries, the epoch, each end of a day', () => {
  const edges = [FIRST, LAST, 0, -1, 1, Date.UTC(1900, 1, 28, 23, 59, 59, 999), Date.UTC(2000, 1, 29), Date.UTC(2100, 2, 1), Date.UTC(2026, 11, 31, 23, 59, 59, 999)];
  for (const time of edges) expect(utcIso(time), iso(time)).toBe(iso(time));
});

it('matches toISOString on every 7th day of the range at a moving time of day, and on random instants', () => {
  let mismatches = 0;
  for (let time = FIRST; time <= LAST; time += 7 * 86_400_000 + 1_234_567) if (utcIso(time) !== iso(time)) mismatches++;
  let seed = 20_261_205;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  for (let n = 0; n < 200_000; n++) {
    const time = FIRST + Math.floor(random() * (LAST - FIRST + 1));
    if (utcIso(time) !== iso(time)) mismatches++;
  }
  expect(mismatches).toBe(0);
});

it('answers an instant asked again as the first time, also once its text was forgotten, and remembers at most REMEMBERED texts', () => {
  const start = Date.UTC(2026, 11, 6, 9, 30);
  const times = Array.from({ length: 3 * REMEMBERED + 7 }, (_, index) => start + index * 60_001);
  let mismatches = 0;
  let most = 0;
  for (let round = 0; round < 2; round++)
    for (const time of times) {
      if (utcIso(time) !== iso(time)) mismatches++;
      // The first instants again, their texts forgotten since, and one still remembered.
      if (utcIso(times[0]!) !== iso(times[0]!) || utcIso(time) !== iso(time)) mismatches++;
      most = Math.max(most, rememberedTexts());
    }
  expect(mismatches).toBe(0);
  expect(most).toBeGreaterThan(0);
  expect(most).toBeLessThanOrEqual(REMEMBERED);
});
