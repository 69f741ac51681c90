/**
 * Occurrences a participant deleted from their copy of a series: an EXDATE
 * their app added that ours lacks, naming an occurrence we hold (an edited
 * one's override goes with it, as apps remove both). Calendar apps read such
 * a delete by an attendee as declining that occurrence only (Sabre's iTIP
 * broker, hence Nextcloud, replies DECLINED for each new EXDATE unless the
 * whole series is declined), never as cancelling it for everyone.
 *
 * An override removed with no EXDATE is not a delete: the occurrence is then
 * the series' own again, at the rule's time (RFC 5545 3.8.4.4).
 */
import type { CalendarEventModel } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { RemoteObject } from './icalendar.js';

export function removedOccurrences(series: CalendarEventModel, remote: RemoteObject): Date[] {
  if (!remote.master || series.parentId) return [];
  const ours = new Set(series.exdates.map((date) => date.getTime()));
  return remote.master.exdates.filter((date) => !ours.has(date.getTime()) && hasOccurrenceAt(seriesOf(series), date));
}

/** The copy as if it had not deleted those occurrences, and our overrides less theirs: what else it changed is compared on that. */
export function withoutRemoved(
  remote: RemoteObject,
  overrides: readonly CalendarEventModel[],
  removed: readonly Date[],
): { remote: RemoteObject; overrides: CalendarEventModel[] } {
  const gone = new Set(removed.map((date) => date.getTime()));
  if (gone.size === 0 || !remote.master) return { remote, overrides: [...overrides] };
  return {
    remote: { ...remote, master: { ...remote.master, exdates: remote.master.exdates.filter((date) => !gone.has(date.getTime())) } },
    overrides: overrides.filter((override) => !gone.has(override.recurrenceId!.getTime())),
  };
}
