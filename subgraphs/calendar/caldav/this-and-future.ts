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
 * A RANGE override of an object without its series, or naming no occurrence,
 * is read as an override of that one occurrence.
 */
import ICAL from 'ical.js';
import { hasOccurrenceAt, ruleInstancesBefore } from '../recurrence/expand-occurrences.js';
import { wallClockMove } from '../recurrence/moved-occurrences.js';
import { withWeekdayMoved } from '../recurrence/moved-weekday.js';
import { ruleCount, withEnding } from '../recurrence/recurrence-rule.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { RemoteEvent, RemoteObject } from './icalendar.js';

const DAY = 86_400_000;

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

/** UNTIL of a rule, as an instant (a DATE as its UTC midnight), or null. */
function untilOf(rule: string): { at: Date; isDate: boolean } | null {
  const until = ICAL.Recur.fromString(rule).until;
  if (!until) return null;
  return until.isDate ? { at: new Date(Date.UTC(until.year, until.month - 1, until.day)), isDate: true } : { at: until.toJSDate(), isDate: false };
}

/** The series' rule up to `at`, and from there on: its end moved with the occurrences, on the weekday the first of them moved to. */
function splitRules(series: RemoteEvent, at: Date, move: (date: Date) => Date): { before: string | null; following: string | null } {
  const rule = series.recurrenceRule;
  if (!rule) return { before: null, following: null };
  const onMovedDay = (following: string) => withWeekdayMoved(following, at, move(at), series);
  const count = ruleCount(rule);
  if (count !== null) {
    const before = ruleInstancesBefore(seriesOf(series), at);
    return { before: withEnding(rule, { count: Math.max(before, 1) }), following: onMovedDay(withEnding(rule, { count: Math.max(count - before, 1) })) };
  }
  const end = series.allDay ? new Date(at.getTime() - DAY) : new Date(at.getTime() - 1000);
  const until = untilOf(rule);
  const following = !until
    ? rule
    : until.isDate
      ? withEnding(rule, { until: new Date(until.at.getTime() + Math.round((move(at).getTime() - at.getTime()) / DAY) * DAY), allDay: true })
      : withEnding(rule, { until: move(until.at), allDay: false });
  return { before: withEnding(rule, { until: end, allDay: series.allDay }), following: onMovedDay(following) };
}

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
 * edited but left at its time moves with it, its own changes kept; one moved
 * on its own keeps its times.
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
    const zoneOf = (event: RemoteEvent) => (event.allDay ? 'UTC' : event.timezone);
    const moved = wallClockMove(at, zoneOf(series), range.start, zoneOf(range));
    const rules = splitRules(series, at, moved);
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
