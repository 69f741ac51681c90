/**
 * Leave is a span of days in the company's time zone (`companyTimeZone`):
 * the API takes a start and an exclusive end as instants, and the calendar
 * turns the midnights of that zone into all-day dates. The form speaks in
 * days (first and last), so these convert between an <input type="date">
 * value and that zone's midnight, whatever the browser's own zone is.
 */

/** The wall-clock of an instant in a zone, as if it were UTC (to measure the zone's offset). */
function wallClock(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((item) => item.type === type)?.value ?? 0);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

/** Midnight UTC of a YYYY-MM-DD value. */
const utcDay = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Midnight starting `day` (YYYY-MM-DD) in `zone`; measured twice, since the offset may differ across a change of summer time. */
export function midnightIn(day: string, zone: string): Date {
  const target = utcDay(day);
  let guess = target;
  for (let i = 0; i < 2; i++) guess = target - (wallClock(guess, zone) - guess);
  return new Date(guess);
}

/** The day after a YYYY-MM-DD value: the exclusive end of a leave whose last day it is. */
export function dayAfter(day: string): string {
  return new Date(utcDay(day) + 86_400_000).toISOString().slice(0, 10);
}

const dayFormat = (zone: string) => new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** "Thu, Nov 19, 2026" or "Thu, Nov 19, 2026 – Fri, Nov 20, 2026": the days of a leave, its exclusive end taken back a moment. */
export function leaveDays(startDate: string, endDate: string, zone: string): string {
  const format = dayFormat(zone);
  const first = format.format(new Date(startDate));
  const last = format.format(new Date(new Date(endDate).getTime() - 1));
  return first === last ? first : `${first} – ${last}`;
}
