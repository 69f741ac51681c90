/**
 * Why a calendar object read from the server cannot become an event at all,
 * before any of its values are checked (apply-remote.ts `unstorable` checks
 * those), or null: an object without a VEVENT (a task list's VTODO, a
 * VJOURNAL, an empty VCALENDAR) holds no event, and one without a UID
 * cannot be told from another (every object without one would be the same
 * event, each overwriting the one before).
 */
import type { RemoteObject } from './icalendar.js';

export function unsyncable(remote: RemoteObject): string | null {
  if (!remote.master && remote.overrides.length === 0) return 'holds no event (VEVENT): tasks, journals and empty calendars are not synced';
  if (!remote.uid.trim()) return 'its VEVENT has no UID';
  return null;
}
