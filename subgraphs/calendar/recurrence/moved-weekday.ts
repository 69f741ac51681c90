/**
 * The rule of a series whose first occurrence moved to another weekday (the
 * rest of a series split "this and following" and moved from Monday to
 * Tuesday): BYDAY names the moved day instead of the old one, so the series
 * goes on where its first occurrence went. Calendar apps change the day of
 * a weekly rule with its start the same way (Proton's event form replaces
 * the old start's weekday by the new one; other days listed stay).
 * Ordinals stay (2TU moved a day on is 2WE).
 */
import { wallTimeIn } from './time-zones.js';

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

function weekdayOf(instant: Date, zone: string): string {
  const wall = wallTimeIn(instant, zone);
  return WEEKDAYS[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()]!;
}

/** `rule` with the weekday of `from` in BYDAY replaced by that of `to`, both read in the series' zone (UTC for an all-day one). */
export function withWeekdayMoved(rule: string, from: Date, to: Date, series: { allDay?: boolean | null; timezone?: string | null }): string {
  const zone = series.allDay ? 'UTC' : (series.timezone ?? 'UTC');
  const before = weekdayOf(from, zone);
  const after = weekdayOf(to, zone);
  if (before === after) return rule;
  return rule
    .split(';')
    .map((part) => {
      const [name, value] = part.split('=');
      if (name!.toUpperCase() !== 'BYDAY' || value === undefined) return part;
      const days = value.split(',').map((day) => (day.toUpperCase().endsWith(before) ? day.slice(0, -2) + after : day));
      return `${name}=${[...new Set(days)].join(',')}`;
    })
    .join(';');
}
