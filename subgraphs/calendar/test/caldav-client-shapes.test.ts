/**
 * Objects shaped as the calendar apps people already run write them (Outlook,
 * Apple Calendar, Google Calendar, Thunderbird), put into the user's real
 * Radicale calendar: what Bheem shows of them after a sync, and what those
 * apps read back after Bheem pushes its own change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { parseICalendar } from '../caldav/icalendar.js';
import { useCalDAVHarness, USER_IDS } from './caldav-harness.js';

const h = useCalDAVHarness(['tara']);
const ok = (query: string, variables?: Record<string, unknown>) => h.ok('tara', query, variables);
const remoteWith = (text: string) => h.remoteWith('tara', text);
const put = (name: string, lines: string[]) => h.remotePut('tara', name, [...lines, ''].join('\r\n'));
const sync = () => h.sync('tara');
const eventTitled = async (title: string, from: string, to: string) =>
  (await ok(`query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start end event { id title } } }`, { from, to })).calendarEvents.filter(
    (o: any) => o.event.title === title,
  );
const rename = (id: string, title: string) => ok(`mutation($id: ID!, $title: String!) { updateCalendarEvent(id: $id, input: { title: $title }) { id } }`, { id, title });
/** The first VEVENT (the series) of an object's text. */
const master = (data: string) => data.split('BEGIN:VEVENT')[1]!.split('END:VEVENT')[0]!;
const vcalendar = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Example Corp.//Groupware 9.1//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');

beforeAll(async () => {
  await sync();
});

const WINDOWS_BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

describe('objects written by other calendar apps', () => {
  it('an Outlook series at SEQUENCE:7 goes back, after an edit here, with a higher SEQUENCE', async () => {
    // Outlook counts every change it makes in SEQUENCE; scheduling clients drop an update whose SEQUENCE is not higher than theirs.
    await put('outlook-budget.ics', [
      'BEGIN:VCALENDAR',
      'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
      'VERSION:2.0',
      ...WINDOWS_BERLIN,
      'BEGIN:VEVENT',
      'UID:040000008200E00074C5B7101A82E0080000000030A1B2C3D4E5F601000000000000000010000000',
      'DTSTAMP:20260301T100000Z',
      'LAST-MODIFIED:20260301T100000Z',
      'SEQUENCE:7',
      'DTSTART;TZID=W. Europe Standard Time:20260324T090000',
      'DTEND;TZID=W. Europe Standard Time:20260324T093000',
      'RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=TU',
      'SUMMARY:Budget sync',
      'X-MICROSOFT-CDO-BUSYSTATUS:BUSY',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:040000008200E00074C5B7101A82E0080000000030A1B2C3D4E5F601000000000000000010000000',
      'DTSTAMP:20260301T100000Z',
      'LAST-MODIFIED:20260301T100000Z',
      'SEQUENCE:9',
      'RECURRENCE-ID;TZID=W. Europe Standard Time:20260331T090000',
      'DTSTART;TZID=W. Europe Standard Time:20260331T140000',
      'DTEND;TZID=W. Europe Standard Time:20260331T143000',
      'SUMMARY:Budget sync (moved)',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    await sync();
    const [first] = await eventTitled('Budget sync', '2026-03-23T00:00:00Z', '2026-04-10T00:00:00Z');
    expect(first.start).toBe('2026-03-24T08:00:00.000Z'); // CET; the moved one is after the change to CEST
    expect((await eventTitled('Budget sync (moved)', '2026-03-23T00:00:00Z', '2026-04-10T00:00:00Z'))[0].start).toBe('2026-03-31T12:00:00.000Z');
    await rename(first.event.id, 'Budget sync (Q2)');
    await sync();
    const data = (await remoteWith('SUMMARY:Budget sync (Q2)'))!.data;
    expect(Number(/SEQUENCE:(\d+)/.exec(master(data))![1])).toBeGreaterThan(7);
    const override = data.split('BEGIN:VEVENT').find((part) => part.includes('RECURRENCE-ID'))!;
    expect(Number(/SEQUENCE:(\d+)/.exec(override)![1])).toBeGreaterThanOrEqual(9);
    expect(master(data)).toContain('DTSTART;TZID=W. Europe Standard Time:20260324T090000');

    // One occurrence changed here for the first time: its VEVENT is no older than the series it leaves.
    await ok(`mutation($id: ID!) { updateCalendarEvent(id: $id, scope: THIS, occurrence: "2026-04-07T07:00:00Z", input: { title: "Budget sync (room 4)" }) { id } }`, {
      id: first.event.id,
    });
    await sync();
    const after = (await remoteWith('SUMMARY:Budget sync (room 4)'))!.data;
    const moved = after.split('BEGIN:VEVENT').find((part) => part.includes('SUMMARY:Budget sync (room 4)'))!;
    expect(Number(/SEQUENCE:(\d+)/.exec(moved)![1])).toBeGreaterThanOrEqual(Number(/SEQUENCE:(\d+)/.exec(master(after))![1]));
  });

  it('an Outlook all-day event (midnight to midnight in its zone, X-MICROSOFT-CDO-ALLDAYEVENT) is all-day on its dates', async () => {
    // Outlook writes all-day events as DATE-TIMEs at local midnight, flagged; read as times they would be a 48-hour event shifted by the zone.
    await put('outlook-offsite.ics', [
      'BEGIN:VCALENDAR',
      'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
      'VERSION:2.0',
      ...WINDOWS_BERLIN,
      'BEGIN:VEVENT',
      'UID:040000008200E00074C5B7101A82E00800000000AA11BB22CC33DD4401000000000000000010000000',
      'DTSTAMP:20260601T100000Z',
      'DTSTART;TZID=W. Europe Standard Time:20260715T000000',
      'DTEND;TZID=W. Europe Standard Time:20260717T000000',
      'SUMMARY:Team offsite',
      'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE',
      'X-MICROSOFT-CDO-BUSYSTATUS:OOF',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    await sync();
    const found = await ok(`query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start end event { title allDay } } }`, {
      from: '2026-07-13T00:00:00Z',
      to: '2026-07-20T00:00:00Z',
    });
    expect(found.calendarEvents.filter((o: any) => o.event.title === 'Team offsite')).toEqual([
      { start: '2026-07-15T00:00:00.000Z', end: '2026-07-17T00:00:00.000Z', event: { title: 'Team offsite', allDay: true } },
    ]);
  });

  it('events shown as free there (TRANSP, Outlook\u2019s busy status) do not make the user busy, and stay free after a push', async () => {
    // Apple: an all-day event marked "show as free"; Outlook: a timed one whose busy status is Free; Google: a plain busy one.
    await put('apple-conference.ics', [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Apple Inc.//macOS 15.1//EN',
      'CALSCALE:GREGORIAN',
      'BEGIN:VEVENT',
      'UID:7F1C2B9A-3D4E-4F50-9A8B-1C2D3E4F5A6B',
      'DTSTAMP:20260501T080000Z',
      'CREATED:20260501T080000Z',
      'DTSTART;VALUE=DATE:20260601',
      'DTEND;VALUE=DATE:20260603',
      'SUMMARY:Physics conference',
      'TRANSP:TRANSPARENT',
      'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    await put('outlook-free.ics', [
      'BEGIN:VCALENDAR',
      'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
      'VERSION:2.0',
      ...WINDOWS_BERLIN,
      'BEGIN:VEVENT',
      'UID:040000008200E00074C5B7101A82E00800000000FREE0000000000000000000000000000000000000',
      'DTSTAMP:20260501T080000Z',
      'DTSTART;TZID=W. Europe Standard Time:20260602T150000',
      'DTEND;TZID=W. Europe Standard Time:20260602T160000',
      'SUMMARY:Optional reading hour',
      'X-MICROSOFT-CDO-BUSYSTATUS:FREE',
      'X-MICROSOFT-CDO-ALLDAYEVENT:FALSE',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    await put('google-busy.ics', [
      'BEGIN:VCALENDAR',
      'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
      'VERSION:2.0',
      'BEGIN:VEVENT',
      'UID:2k9v3c8f7l1m0n4b6q5r@google.com',
      'DTSTAMP:20260501T080000Z',
      'DTSTART:20260602T100000Z',
      'DTEND:20260602T110000Z',
      'SUMMARY:Faculty meeting',
      'TRANSP:OPAQUE',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    await sync();
    const FREE_BUSY = `query { freeBusy(userIds: ["${USER_IDS.tara}"], from: "2026-06-01T00:00:00Z", to: "2026-06-03T00:00:00Z") { busy { start end } } }`;
    expect((await ok(FREE_BUSY)).freeBusy[0].busy).toEqual([{ start: '2026-06-02T10:00:00.000Z', end: '2026-06-02T11:00:00.000Z' }]);
    // Shown all the same.
    expect(await eventTitled('Physics conference', '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z')).toHaveLength(1);

    // Renamed here: what goes back still says free, and the user is still free.
    const [conference] = await eventTitled('Physics conference', '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z');
    await rename(conference.event.id, 'Physics conference (Leipzig)');
    const [reading] = await eventTitled('Optional reading hour', '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z');
    await rename(reading.event.id, 'Optional reading hour (room 2)');
    await sync();
    expect(master((await remoteWith('SUMMARY:Physics conference (Leipzig)'))!.data)).toContain('TRANSP:TRANSPARENT');
    expect(master((await remoteWith('SUMMARY:Optional reading hour (room 2)'))!.data)).toContain('TRANSP:TRANSPARENT');
    expect((await ok(FREE_BUSY)).freeBusy[0].busy).toEqual([{ start: '2026-06-02T10:00:00.000Z', end: '2026-06-02T11:00:00.000Z' }]);

    // Made busy there: busy here.
    const apple = (await remoteWith('SUMMARY:Physics conference (Leipzig)'))!;
    await h.remotePut('tara', apple.href, apple.data.replace('TRANSP:TRANSPARENT', 'TRANSP:OPAQUE'), apple.etag);
    await sync();
    expect((await ok(FREE_BUSY)).freeBusy[0].busy).toEqual([{ start: '2026-06-01T00:00:00.000Z', end: '2026-06-03T00:00:00.000Z' }]);

    // A deadline, which makes nobody busy here, is pushed as free too.
    expect(master((await remoteWith(`X-BHEEM-SOURCE:project/task/${DEMO_ERP.tasks[2].id}`))!.data)).toContain('TRANSP:TRANSPARENT');
  });

  it('reads EXDATE dates and RDATEs of a timed series, and a Google series with a cancelled instance in another zone', async () => {
    const series = (uid: string, title: string, extra: string[]) => [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example Corp.//Groupware 9.1//EN',
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20260601T080000Z',
      'DTSTART;TZID=Europe/Berlin:20260706T090000',
      'DTEND;TZID=Europe/Berlin:20260706T100000',
      `SUMMARY:${title}`,
      ...extra,
      'END:VEVENT',
      'END:VCALENDAR',
    ];
    await put('rdates.ics', series('rdates-1', 'Lab rota', ['RDATE:20260711T080000Z,20260712T080000Z']));
    // An EXDATE given as a DATE removes that day's occurrence of a timed series.
    await put('exdate-day.ics', series('exdate-day-1', 'Reading group', ['RRULE:FREQ=DAILY;COUNT=4', 'EXDATE;VALUE=DATE:20260707']));
    // Google: an instance cancelled by an override whose RECURRENCE-ID is in another zone than the series.
    await put('google-cancelled.ics', [
      ...series('gcal-cancel-1@google.com', 'Tutorial', ['RRULE:FREQ=DAILY;COUNT=3', 'SEQUENCE:2']).slice(0, -1),
      'BEGIN:VEVENT',
      'UID:gcal-cancel-1@google.com',
      'DTSTAMP:20260601T080000Z',
      'RECURRENCE-ID;TZID=America/New_York:20260707T030000',
      'DTSTART;TZID=America/New_York:20260707T030000',
      'DTEND;TZID=America/New_York:20260707T040000',
      'SUMMARY:Tutorial',
      'STATUS:CANCELLED',
      'SEQUENCE:3',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    await sync();
    const starts = async (title: string) => (await eventTitled(title, '2026-07-01T00:00:00Z', '2026-07-20T00:00:00Z')).map((o: any) => o.start);
    expect(await starts('Lab rota')).toEqual(['2026-07-06T07:00:00.000Z', '2026-07-11T08:00:00.000Z', '2026-07-12T08:00:00.000Z']);
    expect(await starts('Reading group')).toEqual(['2026-07-06T07:00:00.000Z', '2026-07-08T07:00:00.000Z', '2026-07-09T07:00:00.000Z']);
    expect(await starts('Tutorial')).toEqual(['2026-07-06T07:00:00.000Z', '2026-07-08T07:00:00.000Z']);
    const FREE_BUSY = `query { freeBusy(userIds: ["${USER_IDS.tara}"], from: "2026-07-07T00:00:00Z", to: "2026-07-08T00:00:00Z") { busy { start end } } }`;
    expect((await ok(FREE_BUSY)).freeBusy[0].busy).toEqual([]);
  });

  it('reads floating times and a TZID nobody defines in the owner\u2019s zone, writes them back as they came, and shows an event ending before it starts', async () => {
    await ok(`mutation { setWorkingHours(input: { timezone: "Europe/Berlin", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }) { timezone } }`);
    const object = (uid: string, title: string, times: string[], extra: string[] = []) => [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Apple Inc.//iPhone OS 18.1//EN',
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20260801T080000Z',
      ...times,
      `SUMMARY:${title}`,
      ...extra,
      'END:VEVENT',
      'END:VCALENDAR',
    ];
    // Apple: a floating time (no TZID, no Z) is 09:00 wherever the user is.
    await put(
      'apple-floating.ics',
      object(
        'A1B2C3D4-FLOAT',
        'Morning run',
        ['DTSTART:20260810T090000', 'DTEND:20260810T100000'],
        ['LOCATION:Stadtpark', 'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-APPLE-RADIUS=70;X-TITLE=Stadtpark:geo:53.59,10.03'],
      ),
    );
    await put('unknown-zone.ics', object('unknown-zone-1', 'Site visit', ['DTSTART;TZID=Office local time:20260811T090000', 'DTEND;TZID=Office local time:20260811T100000']));
    await put('backwards.ics', object('backwards-1', 'Backwards', ['DTSTART:20260812T090000Z', 'DTEND:20260812T080000Z']));
    await sync();
    const [run] = await eventTitled('Morning run', '2026-08-01T00:00:00Z', '2026-08-20T00:00:00Z');
    expect(run.start).toBe('2026-08-10T07:00:00.000Z'); // 09:00 in Berlin, where tara works
    const [visit] = await eventTitled('Site visit', '2026-08-01T00:00:00Z', '2026-08-20T00:00:00Z');
    expect(visit.start).toBe('2026-08-11T07:00:00.000Z');
    // RFC 5545 wants DTEND after DTSTART; shown as a moment rather than dropped.
    expect(await eventTitled('Backwards', '2026-08-01T00:00:00Z', '2026-08-20T00:00:00Z')).toEqual([
      { start: '2026-08-12T09:00:00.000Z', end: '2026-08-12T09:00:00.000Z', event: expect.objectContaining({ title: 'Backwards' }) },
    ]);

    await rename(run.event.id, 'Morning run (long)');
    await rename(visit.event.id, 'Site visit (plant 2)');
    await sync();
    expect(master((await remoteWith('SUMMARY:Morning run (long)'))!.data)).toContain('DTSTART:20260810T090000\r\n');
    const site = (await remoteWith('SUMMARY:Site visit (plant 2)'))!.data;
    expect(master(site)).toContain('DTSTART;TZID=Office local time:20260811T090000');
    expect(site).toContain('TZID:Office local time');
  });

  it('writes UNTIL in the form RFC 5545 asks by DTSTART\u2019s: UTC for a zoned series, a DATE for an all-day one', async () => {
    // A DATE UNTIL on a zoned series includes that day here; written as it came, strict readers end the series a day early.
    await ok(`mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
      input: { title: 'Exam week', start: '2026-09-07T07:00:00Z', end: '2026-09-07T08:00:00Z', timezone: 'Europe/Berlin', recurrenceRule: 'FREQ=DAILY;UNTIL=20260911' },
    });
    expect(await eventTitled('Exam week', '2026-09-01T00:00:00Z', '2026-09-20T00:00:00Z')).toHaveLength(5);
    await put('allday-until.ics', [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Example Corp.//Groupware 9.1//EN',
      'BEGIN:VEVENT',
      'UID:allday-until-1',
      'DTSTAMP:20260801T080000Z',
      'DTSTART;VALUE=DATE:20260914',
      'RRULE:FREQ=DAILY;UNTIL=20260916T220000Z',
      'SUMMARY:Open days',
      'END:VEVENT',
      'END:VCALENDAR',
    ]);
    await sync();
    const openDays = await eventTitled('Open days', '2026-09-01T00:00:00Z', '2026-09-20T00:00:00Z');
    expect(openDays).toHaveLength(3);
    await rename(openDays[0].event.id, 'Open days (campus)');
    await sync();
    expect(master((await remoteWith('SUMMARY:Exam week'))!.data)).toMatch(/RRULE:FREQ=DAILY;UNTIL=20260911T215959Z\r\n/);
    expect(master((await remoteWith('SUMMARY:Open days (campus)'))!.data)).toMatch(/RRULE:FREQ=DAILY;UNTIL=20260916\r\n/);
  });

  it('reads what Radicale refuses or rewrites but other servers keep: an RDATE PERIOD, an EXDATE DATE of a timed series', () => {
    // RFC 5545 3.8.5.2: an RDATE may be a PERIOD (start/end or start/duration): its start counts (the object was skipped whole).
    // An EXDATE DATE removes that day's occurrence (it removed none): Radicale rewrites it to DTSTART's TZID, Nextcloud keeps it.
    const { master: event } = parseICalendar(
      vcalendar(
        'BEGIN:VEVENT',
        'UID:periods-1',
        'DTSTAMP:20260601T080000Z',
        'DTSTART;TZID=Europe/Berlin:20260706T090000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;COUNT=4',
        'EXDATE;VALUE=DATE:20260707,20260708',
        'RDATE;VALUE=PERIOD:20260711T080000Z/PT1H,20260712T080000Z/20260712T090000Z',
        'SUMMARY:Lab rota',
        'END:VEVENT',
      ),
    );
    expect(event!.exdates.map((date) => date.toISOString())).toEqual(['2026-07-07T07:00:00.000Z', '2026-07-08T07:00:00.000Z']);
    expect(event!.rdates.map((date) => date.toISOString())).toEqual(['2026-07-11T08:00:00.000Z', '2026-07-12T08:00:00.000Z']);
  });
});
