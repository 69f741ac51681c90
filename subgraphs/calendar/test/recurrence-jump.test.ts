/**
 * Far windows walk a regular rule from an aligned start near the window: the occurrences must be
 * exactly those of the full walk from DTSTART, for every rule, zone and window.
 */
import { describe, expect, it } from 'vitest';
import { expandOccurrences, recurrenceSteps, type SeriesDefinition } from '../recurrence/expand-occurrences.js';
import { instantOf } from '../recurrence/time-zones.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const RULES = [
  ...[1, 2, 3, 4, 5, 6, 7].flatMap((i) => [`FREQ=DAILY;INTERVAL=${i}`, `FREQ=WEEKLY;INTERVAL=${i}`, `FREQ=MONTHLY;INTERVAL=${i}`, `FREQ=YEARLY;INTERVAL=${i}`]),
  'FREQ=DAILY;BYDAY=MO,WE,FR',
  'FREQ=DAILY;INTERVAL=3;BYMONTH=2,3,10',
  'FREQ=DAILY;BYHOUR=8,20;BYMINUTE=15',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU',
  'FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SU;WKST=MO',
  'FREQ=WEEKLY;BYDAY=MO,FR;BYMONTH=3,10,11',
  'FREQ=WEEKLY;INTERVAL=5;BYDAY=SA',
  'FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1',
  'FREQ=MONTHLY;BYMONTHDAY=1,15,29',
  'FREQ=MONTHLY;BYDAY=2TU',
  'FREQ=MONTHLY;INTERVAL=5;BYDAY=-1SU',
  'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=MONTHLY;INTERVAL=4;BYDAY=5FR',
  'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29,30',
  'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'FREQ=YEARLY;BYMONTH=10,11;BYDAY=1SU;BYSETPOS=1',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
  'FREQ=YEARLY;INTERVAL=2;BYDAY=20MO',
  'FREQ=YEARLY;INTERVAL=3;BYMONTH=1,7;BYMONTHDAY=31',
];
const UNTIL_RULES = [
  'FREQ=DAILY;INTERVAL=2;UNTIL=20330315T120000Z',
  'FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20311030T000000Z',
  'FREQ=MONTHLY;BYDAY=-1SU;UNTIL=20360101',
  'FREQ=YEARLY;UNTIL=20400301T000000Z',
];

/** DTSTARTs: a 31st, a leap day, a time skipped by Berlin's spring jump, a time New York repeats in autumn. */
const STARTS: [number, number, number, number, number][] = [
  [2026, 1, 31, 9, 0],
  [2028, 2, 29, 18, 45],
  [2026, 3, 29, 2, 30],
  [2026, 11, 1, 1, 30],
];
const ZONES = ['Europe/Berlin', 'America/New_York', 'UTC', 'all-day'];

/** Ascending windows: near, across DST changes of both zones, across leap days (and 2100, which has none), a whole year. */
const WINDOWS: [string, string][] = [
  ['2026-03-01T00:00:00Z', '2026-04-15T00:00:00Z'],
  ['2031-03-25T00:00:00Z', '2031-04-02T00:00:00Z'],
  ['2032-02-27T00:00:00Z', '2032-03-02T00:00:00Z'],
  ['2033-10-28T00:00:00Z', '2033-11-10T00:00:00Z'],
  ['2035-03-10T06:00:00Z', '2035-03-12T06:00:00Z'],
  ['2036-01-01T00:00:00Z', '2037-01-01T00:00:00Z'],
  ['2040-02-28T12:00:00Z', '2040-03-01T12:00:00Z'],
];
const FAR_WINDOWS: [string, string][] = [
  ['2100-02-27T00:00:00Z', '2100-03-02T00:00:00Z'],
  ['2104-10-20T00:00:00Z', '2104-11-10T00:00:00Z'],
];

function seriesFor(rule: string, zoneIndex: number, startIndex: number, end: number | null): SeriesDefinition {
  const zone = ZONES[zoneIndex]!;
  const [year, month, day, hour, minute] = STARTS[startIndex]!;
  const allDay = zone === 'all-day';
  const start = allDay ? new Date(Date.UTC(year, month - 1, day)) : instantOf({ year, month, day, hour, minute, second: 0 }, zone);
  const duration = allDay ? DAY : end;
  return {
    start,
    end: duration === null ? null : new Date(start.getTime() + duration),
    allDay,
    timezone: allDay ? 'UTC' : zone,
    recurrenceRule: rule,
    exdates: [new Date(start.getTime() + 7 * DAY)],
    rdates: [new Date(start.getTime() + 3 * HOUR)],
  };
}

const shown = (def: SeriesDefinition, from: string, to: string, fullWalk: boolean) =>
  expandOccurrences(def, new Date(from), new Date(to), { fullWalk }).map((o) => `${o.start.toISOString()}/${o.end?.toISOString()}`);

describe('walking far windows from an aligned start', () => {
  // A test a zone: the whole sweep takes some 20 s of CPU, which a machine at load 50 stretched past the hang bound.
  it.each(ZONES.map((zone, zoneIndex) => [zone, zoneIndex] as const))(
    'gives exactly the full walk\u2019s occurrences in %s for every rule, DTSTART and window',
    (zone, zoneIndex) => {
      let cases = 0;
      let jumped = 0;
      const mismatches: string[] = [];
      const rules = [...RULES, ...UNTIL_RULES];
      rules.forEach((rule, ruleIndex) => {
        if (zone === 'all-day' && rule.includes('BYHOUR')) return; // dates have no hours
        // Each rule meets two of the DTSTARTs in each zone, with and without a duration (a 3-day one reaches back over the window's start).
        for (const [startIndex, end] of [
          [(ruleIndex + zoneIndex) % STARTS.length, HOUR],
          [(ruleIndex + zoneIndex + 2) % STARTS.length, (ruleIndex % 2 ? 3 * DAY : null) as number | null],
        ] as const) {
          const def = seriesFor(rule, zoneIndex, startIndex, end);
          const far = !rule.startsWith('FREQ=DAILY') && end === HOUR; // far windows cost the full walk many steps: a subset
          for (const [from, to] of far ? [...WINDOWS, ...FAR_WINDOWS] : WINDOWS) {
            const before = recurrenceSteps();
            const fast = shown(def, from, to, false); // first: the full walk below caches its starts
            const fastSteps = recurrenceSteps() - before;
            const full = shown(def, from, to, true);
            if (JSON.stringify(fast) !== JSON.stringify(full)) mismatches.push(`${rule} ${zone} from ${def.start.toISOString()} in [${from}, ${to}): ${fast} != ${full}`);
            cases++;
            if (fastSteps < recurrenceSteps() - before - fastSteps) jumped++;
          }
        }
      });
      expect(mismatches).toEqual([]);
      expect(cases).toBeGreaterThan(2000 / ZONES.length);
      expect(jumped).toBeGreaterThan(cases / 2);
    },
  );

  it('reads a daily series in year 2199 with a few steps, not one per day since 2026', () => {
    const daily: SeriesDefinition = {
      start: instantOf({ year: 2026, month: 3, day: 1, hour: 9, minute: 0, second: 0 }, 'Europe/Berlin'),
      end: instantOf({ year: 2026, month: 3, day: 1, hour: 10, minute: 0, second: 0 }, 'Europe/Berlin'),
      allDay: false,
      timezone: 'Europe/Berlin',
      recurrenceRule: 'FREQ=DAILY',
      exdates: [],
      rdates: [],
    };
    const before = recurrenceSteps();
    const week = expandOccurrences(daily, new Date('2199-03-25T00:00:00Z'), new Date('2199-04-01T00:00:00Z'));
    expect(recurrenceSteps() - before).toBeLessThan(20);
    expect(week.map((o) => o.start.toISOString())).toEqual([
      '2199-03-25T08:00:00.000Z',
      '2199-03-26T08:00:00.000Z',
      '2199-03-27T08:00:00.000Z',
      '2199-03-28T08:00:00.000Z',
      '2199-03-29T08:00:00.000Z',
      '2199-03-30T08:00:00.000Z',
      '2199-03-31T07:00:00.000Z', // CEST from the last Sunday of March, the 31st in 2199
    ]);
  });
});
