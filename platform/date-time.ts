/**
 * The platform's one reading of dates from outside (GraphQL's DateTime, event
 * payloads, ingested events): RFC 3339 date-times with an offset, checked
 * field by field so that 2027-02-30 is refused instead of rolled over to
 * 2 March, and kept within years 1900 to 2200 (UTC) so that every date we
 * store can be written back as RFC 3339 (a year past 9999 cannot) and every
 * consumer can compute with it (a series or an end time near the limits of
 * JavaScript's dates would fail later, far from the caller).
 *
 * And one bound on how long anything dated lasts: MAX_SPAN_DAYS (366), from
 * its start to its end, for a sales meeting, a leave request and a calendar
 * event (each occurrence of a series) alike (a live class has its own, far
 * shorter bound: meet's schedule-rules.ts), whichever way it comes in (GraphQL, an ERP domain event, a CalDAV pull): refused as
 * BAD_USER_INPUT naming the end's field through GraphQL, 422 INVALID_PAYLOAD
 * at /events/ingest (a dead letter at once in a consumer), and skipped with
 * the reason in a CalDAV sync's log. It is also the widest range a query
 * reads (the calendar's date-range.ts).
 */

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;
/** The longest time from start to end of anything dated (a year, a leap one included). */
export const MAX_SPAN_DAYS = 366;
const DAY_MS = 86_400_000;
const MIN_TIME = Date.UTC(MIN_YEAR, 0, 1);
const MAX_TIME = Date.UTC(MAX_YEAR + 1, 0, 1) - 1;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Why `value` is not an acceptable date-time, or null when it is. */
function problemOf(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const match = RFC3339.exec(value);
  if (!match) return 'must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T09:00:00Z';
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return 'is not a day of the calendar';
  // RFC 3339 allows a leap second (60); JavaScript's dates cannot hold one.
  if (hour > 23 || minute > 59 || second > 59) return 'is not a time of day';
  if (match[8]!.toUpperCase() !== 'Z' && (Number(match[10]) > 23 || Number(match[11]) > 59)) return 'has an impossible offset';
  return null;
}

export class DateTimeError extends Error {}

/** The instant `value` names; throws DateTimeError (the message says why) when it is not RFC 3339, not a real date, or outside MIN_YEAR..MAX_YEAR. */
export function parseDateTime(value: unknown): Date {
  const problem = problemOf(value);
  if (problem) throw new DateTimeError(`${JSON.stringify(value)?.slice(0, 60)} ${problem}`);
  const date = new Date(value as string);
  if (!inDateRange(date)) throw new DateTimeError(`${JSON.stringify(value)} is outside the years ${MIN_YEAR} to ${MAX_YEAR}`);
  return date;
}

/** Whether a date (one we computed, or read from elsewhere) lies within MIN_YEAR..MAX_YEAR (UTC). */
export function inDateRange(date: Date): boolean {
  const time = date.getTime();
  return time >= MIN_TIME && time <= MAX_TIME;
}

/** RFC 3339 in UTC; throws for a date outside the range (which `toISOString` would write as `+010000-…`). */
export function formatDateTime(date: Date): string {
  if (!inDateRange(date)) throw new DateTimeError(`${Number.isNaN(date.getTime()) ? 'an invalid date' : 'a date'} outside the years ${MIN_YEAR} to ${MAX_YEAR}`);
  return date.toISOString();
}

/**
 * Why `end` is too far from `start` (more than MAX_SPAN_DAYS, plus `slackDays`), or null. An all-day event
 * passes one day of slack: 366 days of instants, read as dates in some zone, may touch 367 dates.
 */
export function spanProblem(start: Date, end: Date, slackDays = 0): string | null {
  const span = end.getTime() - start.getTime();
  return span > (MAX_SPAN_DAYS + slackDays) * DAY_MS ? `may be at most ${MAX_SPAN_DAYS} days after the start` : null;
}
