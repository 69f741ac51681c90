/**
 * Dates and times of other domains' records as calendar events. The ERP
 * stores every date as an instant; one at midnight in the company's zone is
 * a date given without a time (a milestone "on 10 May"), anything else a
 * moment (a task due 20:00Z is due 01:30 the next day in Kolkata, and shows
 * there then). All-day events are stored as UTC midnights of their dates
 * (see CalendarEvent), so a date is read in the company's zone first.
 */
import { wallTimeIn } from '../recurrence/time-zones.js';

const DAY = 86_400_000;

/** The company-zone date of an instant, as the UTC midnight all-day events use. */
export function companyDate(instant: Date, zone: string): Date {
  const wall = wallTimeIn(instant, zone);
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
}

export function isMidnightIn(instant: Date, zone: string): boolean {
  const wall = wallTimeIn(instant, zone);
  return wall.hour === 0 && wall.minute === 0 && wall.second === 0 && instant.getUTCMilliseconds() === 0;
}

/** A deadline's event times: the date, all day, when the source gave a date only; else the moment itself (no duration). */
export function deadlineTimes(due: Date, zone: string): { start: Date; end: Date | null; allDay: boolean; timezone: string } {
  if (isMidnightIn(due, zone)) return { start: companyDate(due, zone), end: null, allDay: true, timezone: zone };
  return { start: due, end: null, allDay: false, timezone: zone };
}

/** Whole company-zone days from `start` to an exclusive `end` (leave): a day only partly covered counts. */
export function companyDays(start: Date, end: Date, zone: string): { start: Date; end: Date; allDay: true; timezone: string } {
  const first = companyDate(start, zone);
  const endDate = companyDate(end, zone);
  const last = isMidnightIn(end, zone) ? endDate : new Date(endDate.getTime() + DAY);
  return { start: first, end: last > first ? last : new Date(first.getTime() + DAY), allDay: true, timezone: zone };
}
