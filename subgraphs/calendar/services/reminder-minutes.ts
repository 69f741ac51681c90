/** Reminder lists as users give them: minutes before an occurrence, from 0 to four weeks, at most five, each once. */
import { badInput } from '../../../platform/errors.js';

export const MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60;
const MAX_REMINDERS = 5;

export function checkedReminders(minutes: readonly number[], field = 'reminderMinutes'): number[] {
  if (minutes.length > MAX_REMINDERS) throw badInput(`At most ${MAX_REMINDERS} reminders`, field);
  for (const value of minutes) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_REMINDER_MINUTES) throw badInput(`A reminder is 0 to ${MAX_REMINDER_MINUTES} minutes before (four weeks)`, field);
  }
  return [...new Set(minutes)].sort((a, b) => b - a);
}
