/**
 * Working hours: reading and checking what a user sets, the default for
 * everyone else, and whether a time lies within them in the user's zone.
 */
import { badInput } from '../../../platform/errors.js';
import { instantOf, requireTimeZone, wallTimeIn } from '../recurrence/time-zones.js';
import type { WorkingHoursModel } from '../repositories/working-hours-repository.js';

export const DEFAULT_WORKING_HOURS: WorkingHoursModel = { timezone: 'UTC', days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 };

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minuteOf(text: string, field: string): number {
  const match = HH_MM.exec(text);
  if (!match) throw badInput(`${field} must be HH:MM (00:00 to 23:59)`, field);
  return Number(match[1]) * 60 + Number(match[2]);
}

export const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export interface WorkingHoursView {
  timezone: string;
  days: number[];
  start: string;
  end: string;
}

export const workingHoursView = (hours: WorkingHoursModel): WorkingHoursView => ({
  timezone: hours.timezone,
  days: hours.days,
  start: hhmm(hours.startMinute),
  end: hhmm(hours.endMinute),
});

export function checkedWorkingHours(input: { timezone: string; days: readonly number[]; start: string; end: string }): WorkingHoursModel {
  const days = [...new Set(input.days)].sort();
  if (days.length === 0 || days.some((day) => !Number.isInteger(day) || day < 1 || day > 7))
    throw badInput('days are ISO weekdays, 1 (Monday) to 7 (Sunday), at least one', 'days');
  const startMinute = minuteOf(input.start, 'start');
  const endMinute = minuteOf(input.end, 'end');
  if (endMinute <= startMinute) throw badInput('end must be after start', 'end');
  return { timezone: requireTimeZone(input.timezone), days, startMinute, endMinute };
}

/** The working periods (UTC instants) of these hours that touch [from, to): one per working day, computed once per search. */
export function workingWindows(hours: WorkingHoursModel, from: Date, to: Date): { start: Date; end: Date }[] {
  const windows: { start: Date; end: Date }[] = [];
  const first = wallTimeIn(new Date(from.getTime() - 86_400_000), hours.timezone);
  for (let day = Date.UTC(first.year, first.month - 1, first.day); day <= to.getTime() + 86_400_000; day += 86_400_000) {
    const date = new Date(day);
    if (!hours.days.includes(date.getUTCDay() || 7)) continue;
    const at = (minute: number) =>
      instantOf(
        { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: Math.floor(minute / 60), minute: minute % 60, second: 0 },
        hours.timezone,
      );
    const window = { start: at(hours.startMinute), end: at(hours.endMinute) };
    if (window.end > from && window.start < to) windows.push(window);
  }
  return windows;
}
