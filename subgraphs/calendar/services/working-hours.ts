/**
 * Working hours: reading and checking what a user sets, the default for
 * everyone else, and whether a time lies within them in the user's zone.
 */
import { badInput } from '../../../platform/errors.js';
import { requireTimeZone, wallTimeIn } from '../recurrence/time-zones.js';
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
  timezone: hours.timezone, days: hours.days, start: hhmm(hours.startMinute), end: hhmm(hours.endMinute),
});

export function checkedWorkingHours(input: { timezone: string; days: readonly number[]; start: string; end: string }): WorkingHoursModel {
  const days = [...new Set(input.days)].sort();
  if (days.length === 0 || days.some((day) => !Number.isInteger(day) || day < 1 || day > 7)) throw badInput('days are ISO weekdays, 1 (Monday) to 7 (Sunday), at least one', 'days');
  const startMinute = minuteOf(input.start, 'start');
  const endMinute = minuteOf(input.end, 'end');
  if (endMinute <= startMinute) throw badInput('end must be after start', 'end');
  return { timezone: requireTimeZone(input.timezone), days, startMinute, endMinute };
}

/** Whether [start, end) lies within one working day of these hours, read in their zone. */
export function withinWorkingHours(hours: WorkingHoursModel, start: Date, end: Date): boolean {
  const from = wallTimeIn(start, hours.timezone);
  const to = wallTimeIn(new Date(end.getTime() - 1), hours.timezone);
  if (from.year !== to.year || from.month !== to.month || from.day !== to.day) return false;
  const weekday = new Date(Date.UTC(from.year, from.month - 1, from.day)).getUTCDay() || 7;
  const startMinute = from.hour * 60 + from.minute;
  const endMinute = to.hour * 60 + to.minute + 1;
  return hours.days.includes(weekday) && startMinute >= hours.startMinute && endMinute <= hours.endMinute;
}
