/**
 * An app that moves a series (its DTSTART, or its rule) without moving its
 * overrides leaves RECURRENCE-IDs that name no occurrence any more: RFC 5545
 * readers then drop those edits (ical.js, hence Nextcloud's web calendar) or
 * show them beside the series (sabre/vobject). Thunderbird moves them along;
 * we read the others as it would have written them: an override that names
 * no occurrence of the moved series names the occurrence it moved to, its
 * own times moved as far (recurrence/moved-occurrences.ts). The app's copy
 * is then rewritten.
 */
import type { CalendarEventModel } from '../models.js';
import { occurrenceMover, timingChanged } from '../recurrence/moved-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { RemoteObject } from './icalendar.js';

/** The object with its stray overrides following the series from where we stored it; `moved` when any did. */
export function overridesFollowingMaster(stored: CalendarEventModel, remote: RemoteObject): { remote: RemoteObject; moved: boolean } {
  const master = remote.master;
  if (!master || stored.parentId || (!master.recurrenceRule && master.rdates.length === 0)) return { remote, moved: false };
  if (!timingChanged(seriesOf(stored), seriesOf(master))) return { remote, moved: false };
  const place = occurrenceMover(seriesOf(stored), seriesOf(master), true);
  const taken = new Set(remote.overrides.map((override) => override.recurrenceId!.getTime()));
  let moved = false;
  const overrides = remote.overrides.map((override) => {
    const to = place(override.recurrenceId!);
    if (!to || to.getTime() === override.recurrenceId!.getTime() || taken.has(to.getTime())) return override;
    moved = true;
    taken.add(to.getTime());
    // Its own times by as much, as for a series moved here (an occurrence still at the series' time stays so).
    const shift = (date: Date) => new Date(date.getTime() + to.getTime() - override.recurrenceId!.getTime());
    return { ...override, recurrenceId: to, start: shift(override.start), end: override.end && shift(override.end) };
  });
  return { remote: moved ? { ...remote, overrides } : remote, moved };
}
