/**
 * RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 3.8.4.4, Apple's "all future
 * events"): the override changes its occurrence and every later one, and a
 * move of its DTSTART moves them all as far. Few apps read that form (ical.js,
 * hence Nextcloud's web calendar, does not), so it is stored as the split
 * GraphQL's THIS_AND_FOLLOWING makes and Nextcloud and Thunderbird write: the
 * series ends before that occurrence, and a new series under its own UID
 * starts there with the override's properties. Later overrides go with it,
 * their RECURRENCE-IDs moved as its occurrences moved.
 *
 * The shift applies to the instances the rule makes, not to one the app had
 * already moved on its own: RFC 5545 3.8.4.4 says instances defined in their
 * own components are not impacted by the RANGE override, and the app shows it
 * where its DTSTART puts it. Its time was chosen for that one occurrence
 * (Friday 6 November at 14:00 for a guest), so it keeps it; only its
 * RECURRENCE-ID names the rest's occurrence it stands for. (GraphQL's own
 * THIS_AND_FOLLOWING moves such an override along, as a whole series moved
 * here moves its overrides: no app has placed it there.)
 *
 * A RANGE override of an object without its series, or naming no occurrence,
 * is read as an override of that one occurrence.
 */
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { followingMove } from '../recurrence/moved-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import { splitRules } from '../recurrence/split-rules.js';
import type { RemoteEvent, RemoteObject } from './icalendar.js';

/** The rest of a series, split off at `from`: its object and where each of its occurrences moved (by wall-clock time). */
export interface FollowingSeries {
  remote: RemoteObject;
  from: Date;
  move: (occurrence: Date) => Date;
}

export interface SplitObject {
  /** The object up to its first THISANDFUTURE occurrence (the whole object when it has none). */
  remote: RemoteObject;
  following: FollowingSeries[];
}

/** The new series' UID: the same for the same split, so a pull read twice finds the one it made. */
export const followingUid = (uid: string, from: Date) =>
  `${uid}-from-${from
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}`;

const durationOf = (event: RemoteEvent) => (event.end ? event.end.getTime() - event.start.getTime() : null);

/** Whether an override only restates its occurrence of `series` (what apps keep to carry one occurrence's answers). */
function restates(series: RemoteEvent, override: RemoteEvent): boolean {
  return (
    override.start.getTime() === override.recurrenceId!.getTime() &&
    durationOf(override) === durationOf(series) &&
    (['title', 'description', 'location', 'allDay', 'timezone', 'cancelled', 'transparent', 'classification'] as const).every((key) => override[key] === series[key])
  );
}

/**
 * A later override, on the occurrence its own moved to: one restating its
 * occurrence restates that of the rest (its properties, its answers); one
 * edited but left at its time moves with it, its own changes kept (left on
 * the old day it would stand off every day the rest has); one moved on its
 * own keeps its times (see above).
 */
function followingOverride(series: RemoteEvent, rest: RemoteEvent, override: RemoteEvent, move: (date: Date) => Date): RemoteEvent {
  const recurrenceId = move(override.recurrenceId!);
  const onIt = (event: RemoteEvent) => {
    const duration = durationOf(event);
    return { ...event, recurrenceId, start: recurrenceId, end: duration === null ? null : new Date(recurrenceId.getTime() + duration) };
  };
  if (restates(series, override)) {
    const { attendees, sequence, lastModified } = override;
    return onIt({ ...rest, recurrenceRule: null, exdates: [], rdates: [], attendees, sequence, lastModified });
  }
  return override.start.getTime() === override.recurrenceId!.getTime() ? onIt(override) : { ...override, recurrenceId };
}

export function splitThisAndFuture(object: RemoteObject): SplitObject {
  const ranges = object.overrides.filter((override) => override.thisAndFuture).sort((a, b) => b.recurrenceId!.getTime() - a.recurrenceId!.getTime());
  if (ranges.length === 0) return { remote: object, following: [] };
  let series = object.master;
  let overrides = object.overrides.map((override) => (override.thisAndFuture ? { ...override, thisAndFuture: false } : override));
  const following: FollowingSeries[] = [];
  // The latest first: each split then cuts a series the later ones have already left.
  for (const range of ranges) {
    const at = range.recurrenceId!;
    if (!series || !hasOccurrenceAt(seriesOf(series), at)) continue;
    // Later occurrences move by the same wall-clock time as this one, not the same milliseconds: past a DST change they keep their local times.
    const moved = followingMove(at, series, range);
    const rules = splitRules(seriesOf(series), at, moved);
    const rest: RemoteEvent = {
      ...range,
      recurrenceId: null,
      thisAndFuture: false,
      recurrenceRule: rules.following,
      exdates: series.exdates.filter((date) => date >= at).map(moved),
      rdates: series.rdates.filter((date) => date > at).map(moved),
    };
    const later = overrides.filter((override) => override.recurrenceId! > at).map((override) => followingOverride(series!, rest, override, moved));
    overrides = overrides.filter((override) => override.recurrenceId! < at);
    if (at.getTime() <= series.start.getTime()) {
      // From the first occurrence on: the whole series changes.
      series = rest;
      overrides = later;
      continue;
    }
    following.unshift({ remote: { uid: followingUid(object.uid, at), master: rest, overrides: later }, from: at, move: moved });
    series = { ...series, recurrenceRule: rules.before, exdates: series.exdates.filter((date) => date < at), rdates: series.rdates.filter((date) => date < at) };
  }
  return { remote: { ...object, master: series, overrides }, following };
}
