/**
 * Expands an event (a single event or an RRULE/RDATE/EXDATE series) into
 * occurrences. The rule runs on floating wall-clock times in the event's own
 * zone and each occurrence is then placed in UTC, so 09:00 Europe/Berlin stays
 * 09:00 local on both sides of a DST change. All-day events are dates and
 * expand in UTC, where midnight is midnight on every day.
 */
import ICAL from 'ical.js';
import { badInput } from '../../../platform/errors.js';
import { alignedStart } from './aligned-start.js';
import { parseRecurrenceRule } from './recurrence-rule.js';
import { instantOf, wallTimeIn, type WallTime } from './time-zones.js';

export interface SeriesDefinition {
  start: Date;
  end: Date | null;
  allDay: boolean;
  timezone: string;
  recurrenceRule: string | null;
  exdates: readonly Date[];
  rdates: readonly Date[];
}

export interface Occurrence {
  start: Date;
  end: Date | null;
  /** The occurrence's original start for a series, null for a single event. */
  recurrenceId: Date | null;
}

/** Guards against rules that produce nothing for a very long time (e.g. the 30th of February). */
const MAX_STEPS = 200_000;
const DAY = 86_400_000;

function zoneOf(series: SeriesDefinition): string {
  return series.allDay ? 'UTC' : series.timezone;
}

function toFloating(wall: WallTime, isDate: boolean): ICAL.Time {
  return ICAL.Time.fromData({ ...wall, isDate });
}

function fromFloating(time: ICAL.Time, zone: string): Date {
  return instantOf({ year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second }, zone);
}

export function overlaps(start: Date, end: Date | null, from: Date, to: Date): boolean {
  return overlapsAt(start.getTime(), (end ?? start).getTime(), from.getTime(), to.getTime());
}

/**
 * overlaps() on milliseconds: `<` between two Dates converts each to a number through its
 * Symbol.toPrimitive on every comparison, a call into the runtime that the course list paid
 * four times for each of its ~200 events.
 */
function overlapsAt(start: number, finish: number, from: number, to: number): boolean {
  return start < to && (finish > from || start >= from);
}

/**
 * A rule's starts, generated once and kept: ical.js iterators are slow next
 * to everything else here, and resumable, so each series keeps its iterator
 * and the starts found so far (LRU, per process), and a later, wider range
 * only continues where the last one stopped.
 */
interface RuleWalk {
  iterator: ICAL.RecurIterator;
  zone: string;
  starts: Date[];
  done: boolean;
  steps: number;
}
const MAX_CACHED_WALKS = 1000;
let totalSteps = 0;

/** Iterator steps taken by this process so far (for tests that bound the work of an expansion). */
export function recurrenceSteps(): number {
  return totalSteps;
}
const walks = new Map<string, RuleWalk>();

/** The rule with UNTIL as wall time in the series' zone, as the walk compares it. */
function ruleOf(series: SeriesDefinition, zone: string): ICAL.Recur {
  const recur = parseRecurrenceRule(series.recurrenceRule!);
  if (recur.until) {
    // UNTIL is an instant (or a date): compare it as wall time in the series' zone.
    const until = recur.until;
    recur.until = until.isDate
      ? toFloating({ year: until.year, month: until.month, day: until.day, hour: 23, minute: 59, second: 59 }, series.allDay)
      : toFloating(wallTimeIn(until.toJSDate(), zone), series.allDay);
    if (series.allDay) recur.until.isDate = true;
  }
  return recur;
}

function newWalk(series: SeriesDefinition, recur: ICAL.Recur, zone: string, start: WallTime): RuleWalk {
  return { iterator: ruleStep(series, () => recur.iterator(toFloating(start, series.allDay))), zone, starts: [], done: false, steps: 0 };
}

/** A cached walk's key: the same rule from the same start, zone and form walks the same. */
const walkKey = (series: SeriesDefinition, zone: string) => `${series.recurrenceRule}|${series.start.getTime()}|${zone}|${series.allDay}`;

function walkFor(series: SeriesDefinition): RuleWalk {
  const zone = zoneOf(series);
  const key = walkKey(series, zone);
  let walk = walks.get(key);
  if (walk) {
    walks.delete(key); // re-inserted below: most recently used last
  } else {
    walk = newWalk(series, ruleOf(series, zone), zone, wallTimeIn(series.start, zone));
    if (walks.size >= MAX_CACHED_WALKS) walks.delete(walks.keys().next().value!);
  }
  walks.set(key, walk);
  return walk;
}

/**
 * For a range far after DTSTART, a walk started near `cutoff` (the earliest start that can still
 * overlap the range) rather than the cached one from DTSTART; null when the rule is not provably
 * regular or the cached walk has already got that far.
 */
function jumpWalk(series: SeriesDefinition, cutoff: Date): RuleWalk | null {
  const zone = zoneOf(series);
  // Checked first, before the rule is parsed again: on every read of a window the cached walk has reached.
  const cached = walks.get(walkKey(series, zone));
  if (cached && (cached.done || (cached.starts.length > 0 && cached.starts[cached.starts.length - 1]! >= cutoff))) return null;
  const recur = ruleOf(series, zone);
  const start = alignedStart(recur, wallTimeIn(series.start, zone), wallTimeIn(cutoff, zone));
  if (!start) return null;
  const startFloating = toFloating(start, series.allDay);
  if (recur.until && startFloating.compare(recur.until) > 0) return null; // the rule has ended: the full walk stops at UNTIL
  if (cached && cached.starts.length > 0 && cached.starts[cached.starts.length - 1]! >= fromFloating(startFloating, zone)) return null;
  return newWalk(series, recur, zone, start);
}

/**
 * ical.js checks some combinations only when it iterates (BYYEARDAY with BYMONTH, BYWEEKNO with
 * BYMONTHDAY, a YEARLY rule with no day before year 20000, a repeated occurrence) and throws a
 * plain Error: that is the rule's fault, refused as bad input like any other invalid rule.
 */
function ruleStep<T>(series: SeriesDefinition, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw badInput(`The recurrence rule ${series.recurrenceRule} cannot be expanded: ${(error as Error).message}`, 'recurrenceRule');
  }
}

/** One more start of the walk (or its end). */
function stepWalk(walk: RuleWalk, series: SeriesDefinition): void {
  totalSteps++;
  if (++walk.steps > MAX_STEPS) {
    throw badInput(`The recurrence rule ${series.recurrenceRule} produces too few occurrences to expand`, 'recurrenceRule');
  }
  const next = ruleStep(series, () => walk.iterator.next());
  if (!next) walk.done = true;
  else walk.starts.push(fromFloating(next, walk.zone));
}

/** Extends the walk until it has a start at or after `until` (or the rule ends). */
function extendWalk(walk: RuleWalk, series: SeriesDefinition, until: Date | null): void {
  while (!walk.done && (until === null || walk.starts.length === 0 || walk.starts[walk.starts.length - 1]! < until)) stepWalk(walk, series);
}

/** Walks the rule's occurrence starts in order until `visit` returns false (from a later aligned start when `jump` is given). */
function walkRule(series: SeriesDefinition, visit: (start: Date) => boolean, until: Date | null = null, jump: RuleWalk | null = null): void {
  const walk = jump ?? walkFor(series);
  extendWalk(walk, series, until);
  for (const start of walk.starts) if (!visit(start)) return;
}

/** A single event's end: its own, a day after its start when it is all-day, else none. */
function singleEnd(series: SeriesDefinition): Date | null {
  return series.end ?? (series.allDay ? new Date(series.start.getTime() + DAY) : null);
}

function durationOf(series: SeriesDefinition): number | null {
  if (series.end) return series.end.getTime() - series.start.getTime();
  return series.allDay ? DAY : null;
}

/**
 * Occurrences overlapping [from, to), sorted by start. Far after DTSTART a regular rule is walked from an
 * aligned start near `from` (`fullWalk` turns that off, for tests comparing both).
 */
export function expandOccurrences(series: SeriesDefinition, from: Date, to: Date, options: { fullWalk?: boolean } = {}): Occurrence[] {
  const duration = durationOf(series);
  const endOf = (start: Date) => (duration === null ? null : new Date(start.getTime() + duration));
  if (!series.recurrenceRule && series.rdates.length === 0) {
    const end = singleEnd(series);
    return overlaps(series.start, end, from, to) ? [{ start: series.start, end, recurrenceId: null }] : [];
  }
  const excluded = new Set(series.exdates.map((date) => date.getTime()));
  const starts = new Map<number, Date>();
  const consider = (start: Date) => {
    if (!excluded.has(start.getTime()) && overlaps(start, endOf(start), from, to)) starts.set(start.getTime(), start);
  };
  if (series.recurrenceRule) {
    const cutoff = new Date(from.getTime() - Math.max(duration ?? 0, 0));
    walkRule(
      series,
      (start) => {
        if (start >= to) return false;
        consider(start);
        return true;
      },
      to,
      options.fullWalk ? null : jumpWalk(series, cutoff),
    );
  } else {
    consider(series.start); // DTSTART is always the first occurrence
  }
  for (const rdate of series.rdates) consider(rdate);
  return [...starts.values()].sort((a, b) => a.getTime() - b.getTime()).map((start) => ({ start, end: endOf(start), recurrenceId: start }));
}

/**
 * expandOccurrences(series, from, to).length, without building the occurrence of a single event (no rule,
 * no RDATE): a course list filters each of its ~200 events so, and the array, object and end Date per
 * event were a fair share of calendar's garbage.
 */
export function occurrenceCount(series: SeriesDefinition, from: Date, to: Date): number {
  if (series.recurrenceRule || series.rdates.length > 0) return expandOccurrences(series, from, to).length;
  // singleEnd() and overlaps() without their Dates; a lean single event's times are milliseconds already (leanModels).
  const start = millisOf(series.start);
  const finish = series.end ? millisOf(series.end) : series.allDay ? start + DAY : start;
  return overlapsAt(start, finish, from.getTime(), to.getTime()) ? 1 : 0;
}

/** A Date's milliseconds, or the milliseconds a lean course event's row holds in its place (event-repository.ts). */
const millisOf = (instant: Date | number): number => (typeof instant === 'number' ? instant : instant.getTime());

/**
 * Past this many starts seriesEnd stops walking: a daily rule with COUNT=99999 or UNTIL in
 * year 9999 took the whole service for many seconds (and UNTIL 9999 ended refused), on a write.
 */
const SERIES_END_STEPS = 5000;

/**
 * When the series' last occurrence ends, or null when it repeats forever.
 * Stored with the event so that range queries can skip finished series in SQL: for a long
 * series an upper bound does as well (its UNTIL and a day for floating and date forms), or
 * null (COUNT) when walking to the end would take too long.
 */
export function seriesEnd(series: SeriesDefinition): Date | null {
  const duration = durationOf(series) ?? 0;
  let last = series.start;
  if (series.recurrenceRule) {
    const recur = parseRecurrenceRule(series.recurrenceRule);
    if (!recur.count && !recur.until) return null;
    const walk = walkFor(series);
    while (!walk.done && walk.steps < SERIES_END_STEPS) stepWalk(walk, series);
    if (walk.done) last = walk.starts[walk.starts.length - 1] ?? series.start;
    else if (recur.until) last = new Date(Math.max(series.start.getTime(), recur.until.toJSDate().getTime() + DAY));
    else return null;
  }
  for (const rdate of series.rdates) if (rdate > last) last = rdate;
  return new Date(last.getTime() + duration);
}

/** How many instances the rule generates before `instant` (EXDATEs included, as COUNT counts them). */
export function ruleInstancesBefore(series: SeriesDefinition, instant: Date): number {
  let count = 0;
  if (!series.recurrenceRule) return series.start < instant ? 1 : 0;
  walkRule(
    series,
    (start) => {
      if (start >= instant) return false;
      count++;
      return true;
    },
    instant,
  );
  return count;
}

/** Whether the series has an occurrence starting exactly at `instant`. */
export function hasOccurrenceAt(series: SeriesDefinition, instant: Date): boolean {
  const probe = expandOccurrences({ ...series, end: series.start }, instant, new Date(instant.getTime() + 1));
  return probe.some((occurrence) => occurrence.start.getTime() === instant.getTime());
}
