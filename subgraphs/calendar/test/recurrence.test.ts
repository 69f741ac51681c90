import { describe, expect, it } from 'vitest';
import { expandOccurrences, occurrenceCount, ruleInstancesBefore, seriesEnd, type SeriesDefinition } from '../recurrence/expand-occurrences.js';
import { normalizeRecurrenceRule, withEnding } from '../recurrence/recurrence-rule.js';
import { canonicalTimeZone, instantOf, wallTimeIn } from '../recurrence/time-zones.js';

const local = (zone: string, y: number, mo: number, d: number, h = 0, mi = 0) => instantOf({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0 }, zone);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function series(partial: Partial<SeriesDefinition> & Pick<SeriesDefinition, 'start'>): SeriesDefinition {
  return { end: new Date(partial.start.getTime() + HOUR), allDay: false, timezone: 'UTC', recurrenceRule: null, exdates: [], rdates: [], ...partial };
}
const starts = (def: SeriesDefinition, from: string, to: string) => expandOccurrences(def, new Date(from), new Date(to)).map((o) => o.start.toISOString());
const localTimes = (def: SeriesDefinition, from: string, to: string) =>
  expandOccurrences(def, new Date(from), new Date(to)).map((o) => {
    const wall = wallTimeIn(o.start, def.timezone);
    return `${wall.month}-${wall.day} ${wall.hour}:${String(wall.minute).padStart(2, '0')}`;
  });

describe('expansion across DST', () => {
  it('keeps 09:00 Europe/Berlin at 09:00 local when the clocks go forward and back', () => {
    const weekly = series({ start: local('Europe/Berlin', 2026, 3, 16, 9), timezone: 'Europe/Berlin', recurrenceRule: 'FREQ=WEEKLY;COUNT=3' });
    expect(starts(weekly, '2026-03-01T00:00:00Z', '2026-04-30T00:00:00Z')).toEqual([
      '2026-03-16T08:00:00.000Z', // CET, UTC+1
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z', // CEST, UTC+2 after 29 March
    ]);
    const autumn = series({ start: local('Europe/Berlin', 2026, 10, 19, 9), timezone: 'Europe/Berlin', recurrenceRule: 'FREQ=WEEKLY;COUNT=2' });
    expect(localTimes(autumn, '2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual(['10-19 9:00', '10-26 9:00']);
    expect(starts(autumn, '2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z')).toEqual(['2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z']);
  });

  it('follows America/New_York, whose change falls on another date than Europe\u2019s', () => {
    const daily = series({ start: local('America/New_York', 2026, 3, 6, 17, 30), timezone: 'America/New_York', recurrenceRule: 'FREQ=DAILY;COUNT=4' });
    expect(starts(daily, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-03-06T22:30:00.000Z',
      '2026-03-07T22:30:00.000Z',
      '2026-03-08T21:30:00.000Z',
      '2026-03-09T21:30:00.000Z',
    ]);
  });

  it('expands Asia/Kolkata (UTC+05:30, no DST) at the half hour all year', () => {
    const monthly = series({ start: local('Asia/Kolkata', 2026, 1, 15, 10), timezone: 'Asia/Kolkata', recurrenceRule: 'FREQ=MONTHLY;BYMONTHDAY=15;COUNT=12' });
    const all = starts(monthly, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expect(all).toHaveLength(12);
    expect(all.every((s) => s.endsWith('04:30:00.000Z'))).toBe(true);
  });

  it('moves a wall time skipped by the spring jump forward by the jump, and takes the first of a repeated one', () => {
    expect(local('Europe/Berlin', 2026, 3, 29, 2, 30).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(local('Europe/Berlin', 2026, 10, 25, 2, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // the CEST one
  });

  it('reads UNTIL as an instant, in the series\u2019 zone', () => {
    const weekly = series({ start: local('America/New_York', 2026, 3, 1, 9), timezone: 'America/New_York', recurrenceRule: 'FREQ=WEEKLY;UNTIL=20260322T130000Z' });
    // 22 March 09:00 EDT is 13:00Z: included.
    expect(starts(weekly, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toHaveLength(4);
  });
});

describe('rules, exceptions and all-day series', () => {
  it('applies BYDAY with BYSETPOS (last weekday of the month), EXDATE and RDATE', () => {
    const lastWeekday = series({
      start: new Date('2026-01-30T15:00:00Z'),
      recurrenceRule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=5',
      exdates: [new Date('2026-03-31T15:00:00Z')],
      rdates: [new Date('2026-02-14T15:00:00Z')],
    });
    expect(starts(lastWeekday, '2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z')).toEqual([
      '2026-01-30T15:00:00.000Z',
      '2026-02-14T15:00:00.000Z',
      '2026-02-27T15:00:00.000Z',
      '2026-04-30T15:00:00.000Z',
      '2026-05-29T15:00:00.000Z',
    ]);
  });

  it('returns only occurrences overlapping the range, with recurrence ids', () => {
    const daily = series({ start: new Date('2026-01-01T09:00:00Z'), recurrenceRule: 'FREQ=DAILY' });
    const found = expandOccurrences(daily, new Date('2026-01-10T09:30:00Z'), new Date('2026-01-12T09:00:00Z'));
    expect(found.map((o) => [o.start.toISOString(), o.recurrenceId?.toISOString()])).toEqual([
      ['2026-01-10T09:00:00.000Z', '2026-01-10T09:00:00.000Z'], // still running at 09:30
      ['2026-01-11T09:00:00.000Z', '2026-01-11T09:00:00.000Z'],
    ]);
    expect(seriesEnd(daily)).toBeNull();
  });

  it('expands all-day series as whole days, whatever the zone', () => {
    const yearly = series({
      start: new Date('2024-02-29T00:00:00Z'),
      end: new Date('2024-03-01T00:00:00Z'),
      allDay: true,
      timezone: 'Pacific/Auckland',
      recurrenceRule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=3',
    });
    const found = expandOccurrences(yearly, new Date('2024-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    expect(found.map((o) => [o.start.toISOString().slice(0, 10), o.end!.getTime() - o.start.getTime()])).toEqual([
      ['2024-02-29', DAY],
      ['2025-02-28', DAY],
      ['2026-02-28', DAY],
    ]);
    expect(seriesEnd(yearly)!.toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('counts rule instances before an occurrence and re-ends rules for splits', () => {
    const daily = series({ start: new Date('2026-01-01T09:00:00Z'), recurrenceRule: 'FREQ=DAILY;COUNT=10' });
    expect(ruleInstancesBefore(daily, new Date('2026-01-04T09:00:00Z'))).toBe(3);
    expect(withEnding('FREQ=DAILY;COUNT=10', { count: 3 })).toBe('FREQ=DAILY;COUNT=3');
    expect(withEnding('FREQ=WEEKLY;BYDAY=MO', { until: new Date('2026-03-02T08:59:59Z'), allDay: false })).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260302T085959Z');
    expect(withEnding('FREQ=WEEKLY', { until: new Date('2026-03-01T00:00:00Z'), allDay: true })).toBe('FREQ=WEEKLY;UNTIL=20260301');
  });
});

describe('validation', () => {
  it('names what is wrong with an RRULE', () => {
    const reasons: Record<string, RegExp> = {
      'FREQ=WEEKLYX': /FREQ must be one of/,
      'BYDAY=MO': /FREQ is required/,
      'FREQ=DAILY;FOO=1': /unknown part FOO/,
      'FREQ=DAILY;COUNT=0': /COUNT must be a whole number/,
      'FREQ=DAILY;COUNT=3;UNTIL=20260101T000000Z': /COUNT and UNTIL/,
      'FREQ=WEEKLY;BYDAY=XX': /invalid BYDAY/,
      'FREQ=MINUTELY': /FREQ must be one of/,
      '': /empty/,
    };
    for (const [rule, reason] of Object.entries(reasons)) {
      let error: any;
      try {
        normalizeRecurrenceRule(rule);
      } catch (caught) {
        error = caught;
      }
      expect(error?.extensions?.code, rule).toBe('BAD_USER_INPUT');
      expect(error.message, rule).toMatch(reason);
    }
    expect(normalizeRecurrenceRule('RRULE:freq=weekly;byday=mo,we')).toBe('FREQ=WEEKLY;BYDAY=MO,WE');
  });

  it('knows IANA zones and nothing else', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata'); // not ICU's Asia/Calcutta
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});

describe('occurrenceCount', () => {
  it('counts what expandOccurrences returns, single events at every edge of the range included', () => {
    const from = new Date('2026-06-10T00:00:00Z');
    const to = new Date('2026-06-11T00:00:00Z');
    const at = (offset: number) => new Date(from.getTime() + offset);
    const cases: SeriesDefinition[] = [];
    for (const offset of [-DAY - 1, -DAY, -DAY + 1, -HOUR, -1, 0, 1, HOUR, DAY - 1, DAY, DAY + 1]) {
      cases.push(series({ start: at(offset) })); // an hour long
      cases.push(series({ start: at(offset), end: null })); // a moment
      cases.push(series({ start: at(offset), end: at(offset) })); // zero length
      cases.push(series({ start: at(offset), end: null, allDay: true })); // a day
      cases.push(series({ start: at(offset), end: at(offset + 2 * HOUR), allDay: true }));
    }
    cases.push(series({ start: at(-3 * DAY), recurrenceRule: 'FREQ=DAILY;COUNT=5' }));
    cases.push(series({ start: at(-3 * DAY), rdates: [at(HOUR), at(2 * DAY)] }));
    cases.push(series({ start: at(HOUR), recurrenceRule: 'FREQ=HOURLY;COUNT=30', exdates: [at(2 * HOUR)] }));
    const counts = cases.map((definition) => occurrenceCount(definition, from, to));
    expect(counts).toEqual(cases.map((definition) => expandOccurrences(definition, from, to).length));
    expect(counts.filter((count) => count === 1).length).toBeGreaterThan(10);
    expect(counts.filter((count) => count === 0).length).toBeGreaterThan(10);
    expect(counts.slice(-3)).toEqual([1, 1, 22]);
  });
});
