/**
 * Where a rule's walk may start instead of DTSTART when only occurrences
 * after a far target matter. The rule runs on floating wall time, so moving
 * DTSTART by whole INTERVALs of its FREQ (same time of day, same weekday,
 * day of month or date, as the rule's defaults come from DTSTART) gives a
 * walk whose periods are exactly those of the full walk from the new start
 * on. The new start's own period is incomplete (it may even yield the new
 * start when it does not match the BYxxx parts, as DTSTART always is), so
 * it is put at least one whole period before the target's.
 */
import type ICAL from 'ical.js';
import type { WallTime } from './time-zones.js';

/** COUNT counts every earlier occurrence; BYWEEKNO and BYYEARDAY follow ISO weeks and year lengths, not the period. */
const IRREGULAR_PARTS = ['BYWEEKNO', 'BYYEARDAY'];
const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
/** Tries for a month or year that has DTSTART's day (31st, 29 February). */
const MAX_DAY_TRIES = 60;

const dayNumber = (wall: WallTime) => Math.floor(Date.UTC(wall.year, wall.month - 1, wall.day) / 86_400_000);
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function shiftedByDays(wall: WallTime, days: number): WallTime {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** DTSTART moved by `months` (a month count, years being 12), or null when that month lacks DTSTART's day. */
function shiftedByMonths(wall: WallTime, months: number): WallTime | null {
  const index = wall.year * 12 + wall.month - 1 + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return wall.day <= daysInMonth(year, month) ? { ...wall, year, month } : null;
}

/**
 * A start for the walk, later than DTSTART, from which the rule yields the same occurrences as the full
 * walk at and after `target` (wall time in the series' zone); null when the rule is not provably regular
 * or the target is too close to DTSTART for a jump to help.
 */
export function alignedStart(recur: ICAL.Recur, start: WallTime, target: WallTime): WallTime | null {
  if (recur.count || !FREQUENCIES.has(recur.freq)) return null;
  if (IRREGULAR_PARTS.some((part) => part in recur.parts)) return null;
  // ical.js's YEARLY BYMONTHDAY depends on the year the walk starts in (started in 2097, BYMONTH=2;BYMONTHDAY=29 yields 1 March 2100).
  if (recur.freq === 'YEARLY' && 'BYMONTHDAY' in recur.parts) return null;
  const interval = recur.interval || 1;
  const unitsPerStep = recur.freq === 'YEARLY' ? 12 : 1;
  let elapsed: number; // whole units (days, weeks or months) from DTSTART's to the target's
  if (recur.freq === 'DAILY') elapsed = dayNumber(target) - dayNumber(start);
  else if (recur.freq === 'WEEKLY') elapsed = Math.floor((dayNumber(target) - dayNumber(start)) / 7);
  else elapsed = Math.floor(((target.year - start.year) * 12 + target.month - start.month) / unitsPerStep);
  // Two periods back: the new start's period is then wholly before the target's, whatever the DST or WKST.
  let steps = Math.floor(elapsed / interval) - 2;
  for (let tries = 0; steps >= 1 && tries < MAX_DAY_TRIES; tries++, steps--) {
    const units = steps * interval;
    if (recur.freq === 'DAILY') return shiftedByDays(start, units);
    if (recur.freq === 'WEEKLY') return shiftedByDays(start, units * 7);
    const moved = shiftedByMonths(start, units * unitsPerStep);
    if (moved) return moved;
  }
  return null;
}
