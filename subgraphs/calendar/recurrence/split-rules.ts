/**
 * The rules of a series split "this and following" at its occurrence `at`
 * (GraphQL's THIS_AND_FOLLOWING, an app's RANGE=THISANDFUTURE, a cancel of
 * the rest): the old series ends before `at` (COUNT shared out, or UNTIL just
 * before it), and the rest keeps the remaining count or its UNTIL moved as its
 * occurrences moved, on the weekday its first occurrence moved to.
 */
import ICAL from 'ical.js';
import { ruleInstancesBefore, type SeriesDefinition } from './expand-occurrences.js';
import { withWeekdayMoved } from './moved-weekday.js';
import { ruleCount, withEnding } from './recurrence-rule.js';

const DAY = 86_400_000;

/** UNTIL of a rule, as an instant (a DATE as its UTC midnight), or null. */
function untilOf(rule: string): { at: Date; isDate: boolean } | null {
  const until = ICAL.Recur.fromString(rule).until;
  if (!until) return null;
  return until.isDate ? { at: new Date(Date.UTC(until.year, until.month - 1, until.day)), isDate: true } : { at: until.toJSDate(), isDate: false };
}

/** `move`: where the rest's occurrences went (the identity when only the old series' end matters). */
export function splitRules(series: SeriesDefinition, at: Date, move: (date: Date) => Date = (date) => date): { before: string | null; following: string | null } {
  const rule = series.recurrenceRule;
  if (!rule) return { before: null, following: null };
  const onMovedDay = (following: string) => withWeekdayMoved(following, at, move(at), series);
  const count = ruleCount(rule);
  if (count !== null) {
    const before = ruleInstancesBefore(series, at);
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
