/**
 * Where a series' occurrences went when its start moved. Thunderbird moves a
 * series' exceptions with it (RECURRENCE-IDs, EXDATEs and RDATEs follow
 * DTSTART by the same difference), and so do we: an edited or declined
 * Monday 10:00 of a series moved to 11:00 is its Monday 11:00. The move is
 * one of wall-clock time in the series' zone, so an occurrence past a DST
 * change keeps its local time. Outlook instead warns that a series' exceptions
 * are lost when its pattern changes; no dialog asks here, so nothing is lost
 * that can follow.
 */
import { hasOccurrenceAt, type SeriesDefinition } from './expand-occurrences.js';
import { instantOf, wallTimeIn } from './time-zones.js';

const zoneOf = (series: { allDay?: boolean | null; timezone?: string | null }) => (series.allDay ? 'UTC' : (series.timezone ?? 'UTC'));

function wallMs(instant: Date, zone: string): number {
  const wall = wallTimeIn(instant, zone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

function fromWallMs(ms: number, zone: string): Date {
  const wall = new Date(ms);
  return instantOf(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() },
    zone,
  );
}

/**
 * The move that took `from` (a wall time in `fromZone`) to `to` (in `toZone`),
 * for any instant: the same wall-clock difference, so a date past a DST
 * change keeps its local time (a move from Friday 10:00 to Monday 10:00 over
 * the change to summer time is three days less an hour for the first, three
 * days for the next ones).
 */
export function wallClockMove(from: Date, fromZone: string, to: Date, toZone: string): (date: Date) => Date {
  const delta = wallMs(to, toZone) - wallMs(from, fromZone);
  return (date) => fromWallMs(wallMs(date, fromZone) + delta, toZone);
}

/**
 * Where the rest of a series split "this and following" at its occurrence
 * `at` puts each later date (occurrence, exception, answer), its first
 * occurrence having gone to `rest.start`: by wall-clock time, each in its
 * series' zone (UTC for an all-day one). GraphQL's split and an app's
 * RANGE=THISANDFUTURE split both move by it.
 */
export function followingMove(
  at: Date,
  series: { allDay?: boolean | null; timezone?: string | null },
  rest: { start: Date; allDay?: boolean | null; timezone?: string | null },
): (date: Date) => Date {
  return wallClockMove(at, zoneOf(series), rest.start, zoneOf(rest));
}

/**
 * For an occurrence of `before` (by its RECURRENCE-ID): the same occurrence
 * of `after`, moved as the start moved; or, when `after` has no occurrence
 * there, the same instant if `after` still has it; else null (gone).
 * `keepFirst` asks for the unmoved instant first: an app's own overrides
 * that it already moved with the series.
 */
export function occurrenceMover(before: SeriesDefinition, after: SeriesDefinition, keepFirst = false): (at: Date) => Date | null {
  const target = { ...after, exdates: [] };
  const delta = wallMs(after.start, zoneOf(after)) - wallMs(before.start, zoneOf(before));
  return (at) => {
    const stays = hasOccurrenceAt(target, at);
    if (keepFirst && stays) return at;
    const moved = delta === 0 ? at : fromWallMs(wallMs(at, zoneOf(before)) + delta, zoneOf(after));
    if (hasOccurrenceAt(target, moved)) return moved;
    return stays ? at : null;
  };
}

/** Whether the occurrences of a series may have moved: its start, zone, rule or all-day flag changed. */
export function timingChanged(before: SeriesDefinition, after: SeriesDefinition): boolean {
  return before.start.getTime() !== after.start.getTime() || before.recurrenceRule !== after.recurrenceRule || before.timezone !== after.timezone || before.allDay !== after.allDay;
}
