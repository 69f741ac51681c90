/**
 * The iCalendar we write defines every TZID it uses (VTIMEZONE), so that
 * other software reads the same instants we mean, across DST changes: ical.js
 * (a second parser, expanding the series itself) and a real Radicale (its
 * time-range queries place the occurrences in UTC).
 */
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { parseICalendar, toICalendar, toICalendarFeed } from '../caldav/icalendar.js';
import type { CalendarEventModel } from '../models.js';
import { expandOccurrences } from '../recurrence/expand-occurrences.js';

const at = (iso: string) => new Date(iso);

function event(fields: Partial<CalendarEventModel> & Pick<CalendarEventModel, 'id' | 'title' | 'start' | 'timezone'>): CalendarEventModel {
  return {
    companyId: 'c1',
    parentId: null,
    recurrenceId: null,
    description: null,
    location: null,
    end: new Date(fields.start.getTime() + 3_600_000),
    allDay: false,
    recurrenceRule: null,
    exdates: [],
    rdates: [],
    seriesUntil: null,
    eventType: 'CUSTOM',
    sourceModule: null,
    entityType: null,
    entityId: null,
    courseId: null,
    organizerId: null,
    isCancelled: false,
    externalId: null,
    lastSyncedAt: null,
    metadata: {},
    createdAt: at('2026-01-01T00:00:00Z'),
    updatedAt: at('2026-01-01T00:00:00Z'),
    sequence: 0,
    completed: false,
    reminderMinutes: null,
    ...fields,
  };
}

// Expected UTC instants worked out by hand from each zone's offsets.
const CASES = [
  {
    // Mondays 09:00 in Berlin; summer time from 29 March 2026 (UTC+1 -> UTC+2). The 30 March occurrence is moved to 11:00, 6 April is excluded.
    series: event({
      id: '00000000-0000-4000-8000-000000000001',
      title: 'Berlin standup',
      start: at('2026-03-16T08:00:00Z'),
      timezone: 'Europe/Berlin',
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=5',
      exdates: [at('2026-04-06T07:00:00Z')],
    }),
    override: { recurrenceId: at('2026-03-30T07:00:00Z'), start: at('2026-03-30T09:00:00Z') },
    expected: ['2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', '2026-03-30T09:00:00.000Z', '2026-04-13T07:00:00.000Z'],
  },
  {
    // Fridays 09:00 in New York; standard time from 1 November 2026 (UTC-4 -> UTC-5).
    series: event({
      id: '00000000-0000-4000-8000-000000000002',
      title: 'NY review',
      start: at('2026-10-23T13:00:00Z'),
      timezone: 'America/New_York',
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=3',
    }),
    override: null,
    expected: ['2026-10-23T13:00:00.000Z', '2026-10-30T13:00:00.000Z', '2026-11-06T14:00:00.000Z'],
  },
  {
    // Daily 10:00 in Kolkata (UTC+5:30, no DST) over the dates Europe changes its clocks.
    series: event({
      id: '00000000-0000-4000-8000-000000000003',
      title: 'Kolkata sync',
      start: at('2026-03-28T04:30:00Z'),
      timezone: 'Asia/Kolkata',
      recurrenceRule: 'FREQ=DAILY;COUNT=3',
    }),
    override: null,
    expected: ['2026-03-28T04:30:00.000Z', '2026-03-29T04:30:00.000Z', '2026-03-30T04:30:00.000Z'],
  },
];

function icsOf(testCase: (typeof CASES)[number]): string {
  const { series, override } = testCase;
  const overrides = override
    ? [
        event({
          ...series,
          id: '00000000-0000-4000-8000-0000000000ff',
          parentId: series.id,
          recurrenceRule: null,
          exdates: [],
          ...override,
          end: new Date(override.start.getTime() + 3_600_000),
        }),
      ]
    : [];
  return toICalendar({ series, overrides });
}

/** Occurrence starts as ical.js expands the object on its own, from its VTIMEZONE definitions. */
function expandWithIcalJs(ics: string): string[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const [master, ...exceptions] = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
  for (const exception of exceptions) master!.relateException(exception);
  const iterator = master!.iterator();
  const starts: string[] = [];
  for (let next = iterator.next(); next; next = iterator.next()) starts.push(master!.getOccurrenceDetails(next).startDate.toJSDate().toISOString());
  return starts.sort();
}

/** Central European rules (UTC+1, summer UTC+2) under any TZID, as Outlook writes them. */
const centralEuropeVTimezone = (tzid: string) => [
  'BEGIN:VTIMEZONE',
  `TZID:${tzid}`,
  'BEGIN:STANDARD',
  'DTSTART:16011028T030000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010325T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

describe('VTIMEZONE in the iCalendar we write', () => {
  it('defines each zone it names, once, with the TZID the times use', () => {
    for (const testCase of CASES) {
      const ics = icsOf(testCase);
      const zone = testCase.series.timezone;
      expect(ics.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
      expect(ics).toContain(`TZID:${zone}\r\n`);
      expect(ics).toContain(`DTSTART;TZID=${zone}:`);
      expect(ics.indexOf('BEGIN:VTIMEZONE')).toBeLessThan(ics.indexOf('BEGIN:VEVENT'));
    }
    // A feed defines every zone its events use, UTC and all-day times need none.
    const feed = toICalendarFeed([
      ...CASES.map((testCase) => ({ series: testCase.series, overrides: [] })),
      { series: event({ id: '00000000-0000-4000-8000-000000000004', title: 'UTC call', start: at('2026-05-01T10:00:00Z'), timezone: 'UTC' }), overrides: [] },
      {
        series: event({ id: '00000000-0000-4000-8000-000000000005', title: 'Holiday', start: at('2026-05-01T00:00:00Z'), timezone: 'Europe/Berlin', allDay: true, end: null }),
        overrides: [],
      },
    ]);
    expect([...feed.matchAll(/^TZID:(.+)\r$/gm)].map((m) => m[1]).sort()).toEqual(['America/New_York', 'Asia/Kolkata', 'Europe/Berlin']);
    expect(feed).toContain('DTSTART:20260501T100000Z');
    expect(feed).toContain('DTSTART;VALUE=DATE:20260501');
  });

  it('names a zone alias by the TZID of its definition', () => {
    const ics = toICalendar({
      series: event({ id: '00000000-0000-4000-8000-000000000006', title: 'Alias', start: at('2026-03-28T04:30:00Z'), timezone: 'Asia/Calcutta' }),
      overrides: [],
    });
    expect(ics).toContain('TZID:Asia/Kolkata\r\n');
    expect(ics).toContain('DTSTART;TZID=Asia/Kolkata:20260328T100000');
  });

  it('gives ical.js the same UTC instants across DST changes (Berlin, New York, Kolkata)', () => {
    for (const testCase of CASES) expect(expandWithIcalJs(icsOf(testCase))).toEqual(testCase.expected);
  });

  it('reads times in a zone the object defines under a non-IANA name (Outlook) at their right instants', () => {
    const outlook = (start: string, end: string) =>
      parseICalendar(
        [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
          ...centralEuropeVTimezone('W. Europe Standard Time'),
          'BEGIN:VEVENT',
          'UID:outlook-1',
          'DTSTAMP:20260101T000000Z',
          `DTSTART;TZID=W. Europe Standard Time:${start}`,
          `DTEND;TZID=W. Europe Standard Time:${end}`,
          'SUMMARY:Outlook meeting',
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
      ).master!;
    expect(outlook('20260114T090000', '20260114T100000')).toMatchObject({ start: at('2026-01-14T08:00:00Z'), end: at('2026-01-14T09:00:00Z') });
    expect(outlook('20260714T090000', '20260714T100000')).toMatchObject({ start: at('2026-07-14T07:00:00Z'), end: at('2026-07-14T08:00:00Z') });
  });

  it('expands an Outlook-style series (Windows name, or a name only its VTIMEZONE defines) to the same UTC instants as Europe/Berlin, and writes its TZID back', () => {
    const series = (tzid: string) =>
      parseICalendar(
        [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
          ...(tzid.includes('/') ? [] : centralEuropeVTimezone(tzid)),
          'BEGIN:VEVENT',
          `UID:series-${tzid}`,
          'DTSTAMP:20260101T000000Z',
          `DTSTART;TZID=${tzid}:20260316T090000`,
          `DTEND;TZID=${tzid}:20260316T100000`,
          'RRULE:FREQ=WEEKLY;COUNT=4',
          'EXDATE;TZID=' + tzid + ':20260406T090000',
          'SUMMARY:Weekly',
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
      ).master!;
    const instants = (remote: ReturnType<typeof series>) =>
      expandOccurrences(
        { start: remote.start, end: remote.end, allDay: false, timezone: remote.timezone, recurrenceRule: remote.recurrenceRule, exdates: remote.exdates, rdates: [] },
        at('2026-03-01T00:00:00Z'),
        at('2026-05-01T00:00:00Z'),
      ).map((o) => o.start.toISOString());
    const iana = instants(series('Europe/Berlin'));
    expect(iana).toEqual(['2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    for (const tzid of ['W. Europe Standard Time', 'Customised Central Europe']) {
      const remote = series(tzid);
      expect(instants(remote), tzid).toEqual(iana);
      expect(remote.tzid).toBe(tzid);
      // Written back under the TZID it came with, defined with the rules of the zone it expands in.
      const back = toICalendar({
        series: event({
          id: '00000000-0000-4000-8000-000000000042',
          title: 'Weekly',
          start: remote.start,
          timezone: remote.timezone,
          recurrenceRule: remote.recurrenceRule,
          metadata: { tzid },
        }),
        overrides: [],
      });
      expect(back).toContain(`DTSTART;TZID=${tzid}:20260316T090000`);
      expect(back).toContain(`BEGIN:VTIMEZONE\r\nTZID:${tzid}\r\n`);
    }
  });

  it('reads a TZID nobody defines or names as the owner\u2019s wall time, and reports it (ical.js would read it floating)', () => {
    const object = (tzid: string, zone: string[] = []) =>
      parseICalendar(
        [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
          ...zone,
          'BEGIN:VEVENT',
          'UID:unknown-zone',
          'DTSTAMP:20260101T000000Z',
          `DTSTART;TZID=${tzid}:20260714T090000`,
          `DTEND;TZID=${tzid}:20260714T100000`,
          'SUMMARY:Somewhere',
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
        'Asia/Kolkata',
      );
    const unknown = object('Customized Time Zone 7');
    expect(unknown.unknownTzids).toEqual(['Customized Time Zone 7']);
    expect(unknown.master).toMatchObject({ start: at('2026-07-14T03:30:00Z'), timezone: 'Asia/Kolkata', tzid: 'Customized Time Zone 7', floating: false });
    // Known names and defined zones are not reported.
    expect(object('Pacific Standard Time').unknownTzids).toEqual([]);
    expect(object('Customized Time Zone 7', centralEuropeVTimezone('Customized Time Zone 7')).unknownTzids).toEqual([]);
  });

  describe('on a real Radicale', () => {
    const PASSWORD = 'tz-app-password';
    const auth = { authorization: `Basic ${Buffer.from(`zoe:${PASSWORD}`).toString('base64')}` };
    let radicale: RunningRadicale;
    let calendarUrl: string;
    beforeAll(async () => {
      radicale = await startRadicale([{ username: 'zoe', password: PASSWORD }]);
      calendarUrl = `${radicale.homeUrl('zoe')}zones/`;
      await (await fetch(radicale.homeUrl('zoe'), { method: 'PROPFIND', headers: { ...auth, depth: '0' } })).arrayBuffer();
      const made = await fetch(calendarUrl, { method: 'MKCALENDAR', headers: auth });
      expect(made.status).toBe(201);
    });
    afterAll(() => radicale?.stop());

    /** Hrefs of the objects with an occurrence overlapping [from, to), by Radicale's own expansion. */
    async function inRange(from: Date, to: Date): Promise<string[]> {
      const stamp = (date: Date) =>
        date
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, '');
      const response = await fetch(calendarUrl, {
        method: 'REPORT',
        headers: { ...auth, depth: '1', 'content-type': 'application/xml; charset=utf-8' },
        body: `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${stamp(from)}" end="${stamp(to)}"/></C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`,
      });
      expect(response.status).toBe(207);
      return [...(await response.text()).matchAll(/<(?:\w+:)?href>[^<]*\/([^/<]+)\.ics<\/(?:\w+:)?href>/g)].map((m) => m[1]!);
    }

    it('accepts the objects and places every occurrence at the same UTC instant', async () => {
      for (const testCase of CASES) {
        const response = await fetch(`${calendarUrl}${testCase.series.id}.ics`, {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' },
          body: icsOf(testCase),
        });
        expect(response.status).toBe(201);
      }
      for (const testCase of CASES) {
        for (const start of testCase.expected) {
          // A one-minute window 30 minutes into the occurrence: an hour's error either way misses it.
          const from = new Date(Date.parse(start) + 30 * 60_000);
          expect(await inRange(from, new Date(from.getTime() + 60_000)), `${testCase.series.title} at ${start}`).toContain(testCase.series.id);
        }
      }
      // And nothing where a floating reading (wall time taken as UTC) would have put the Berlin standup after the change.
      expect(await inRange(at('2026-04-13T09:30:00Z'), at('2026-04-13T09:31:00Z'))).not.toContain(CASES[0]!.series.id);
    });
  });
});
