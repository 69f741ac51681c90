/**
 * Outlook's time zones, as Outlook desktop and Exchange feeds synced into
 * Nextcloud write them into the user's real Radicale calendar: Windows zone
 * names in TZID ("Pacific Standard Time"), sometimes the name Windows shows
 * ("(UTC+01:00) Amsterdam, Berlin, ..."), with the VTIMEZONE Outlook wrote
 * (its rules govern, RFC 5545 3.2.19) or none at all (the name is mapped).
 * Each series must land at its right instants across a DST change, and go
 * back under the TZID it came with after an edit here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { editedByApp, useCalDAVHarness, unfolded } from './caldav-harness.js';

const h = useCalDAVHarness(['tara']);
const ok = (query: string, variables?: Record<string, unknown>) => h.ok('tara', query, variables);
const put = (name: string, lines: string[]) => h.remotePut('tara', name, [...lines, ''].join('\r\n'));
const sync = () => h.sync('tara');
const starts = async (title: string, from: string, to: string): Promise<string[]> =>
  (await ok(`query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start event { id title } } }`, { from, to })).calendarEvents
    .filter((o: any) => o.event.title === title)
    .map((o: any) => o.start);
/** Starts of `title`'s occurrences in [from, to) once a sync has pulled what the app saved. */
const pulledStarts = async (title: string, from: string, to: string): Promise<string[]> => {
  await sync();
  return starts(title, from, to);
};
/** Renames `title`'s series here (its occurrences in [from, to) find it) and syncs: the copy pushed to the calendar. */
const renamedAndPushed = async (title: string, renamed: string, from: string, to: string) => {
  const { id } = (await ok(`query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { event { id title } } }`, { from, to })).calendarEvents.find(
    (o: any) => o.event.title === title,
  ).event;
  await ok(`mutation($id: ID!, $title: String!) { updateCalendarEvent(id: $id, input: { title: $title }) { id } }`, { id, title: renamed });
  await sync();
  return (await h.remoteWith('tara', renamed))!;
};

/** An Outlook object: one weekly series under `tzid`, with `zone` lines (a VTIMEZONE, or none). */
const outlook = (uid: string, tzid: string, zone: string[], start: string, title: string, rule = 'FREQ=WEEKLY;COUNT=3') => [
  'BEGIN:VCALENDAR',
  'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
  'VERSION:2.0',
  ...zone,
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20260201T100000Z',
  'LAST-MODIFIED:20260201T100000Z',
  'SEQUENCE:0',
  // A parameter value with a colon or comma is quoted (RFC 5545 3.2), as Outlook quotes its display names.
  `DTSTART;TZID=${/[:;,]/.test(tzid) ? `"${tzid}"` : tzid}:${start}`,
  `RRULE:${rule}`,
  'DURATION:PT30M',
  `SUMMARY:${title}`,
  'END:VEVENT',
  'END:VCALENDAR',
];

beforeAll(async () => {
  // Tara works in Kolkata: a TZID nobody defines is read as her wall time (neither UTC nor the server's zone).
  await ok(`mutation { setWorkingHours(input: { timezone: "Asia/Kolkata", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }) { timezone } }`);
  await sync();
});

describe("Outlook's time zones over CalDAV", () => {
  it('Windows names without a VTIMEZONE are their zones: Pacific across the US change, India without one', async () => {
    // US summer time from 8 March 2026: 09:00 PST is 17:00Z, 09:00 PDT 16:00Z.
    await put('outlook-pacific.ics', outlook('outlook-pacific', 'Pacific Standard Time', [], '20260303T090000', 'Pacific weekly'));
    await put('outlook-india.ics', outlook('outlook-india', 'India Standard Time', [], '20260303T090000', 'India weekly'));
    expect(await pulledStarts('Pacific weekly', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-03T17:00:00.000Z',
      '2026-03-10T16:00:00.000Z',
      '2026-03-17T16:00:00.000Z',
    ]);
    expect(await starts('India weekly', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-03T03:30:00.000Z',
      '2026-03-10T03:30:00.000Z',
      '2026-03-17T03:30:00.000Z',
    ]);
  });

  it('a zone named as Windows shows it, without a VTIMEZONE, is that zone (EU change on 29 March)', async () => {
    const tzid = '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna';
    await put('outlook-display-name.ics', outlook('outlook-display-name', tzid, [], '20260324T090000', 'Amsterdam weekly'));
    expect(await pulledStarts('Amsterdam weekly', '2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z')).toEqual([
      '2026-03-24T08:00:00.000Z',
      '2026-03-31T07:00:00.000Z',
      '2026-04-07T07:00:00.000Z',
    ]);
    // Renamed here: it goes back under the display name, quoted, and defined.
    const data = unfolded((await renamedAndPushed('Amsterdam weekly', 'Amsterdam weekly (renamed)', '2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z')).data);
    expect(data).toContain(`DTSTART;TZID="${tzid}":20260324T090000`);
    expect(data).toContain(`TZID:${tzid.replaceAll(',', '\\,')}`); // a TEXT value: its commas escaped
  });

  it("the VTIMEZONE Outlook wrote governs over its name's usual zone (summer time switched off)", async () => {
    // Outlook with "adjust for daylight saving time" off writes its zone's name with standard time only: +01:00 all year.
    const fixed = [
      'BEGIN:VTIMEZONE',
      'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:16010101T000000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    await put('outlook-no-dst.ics', outlook('outlook-no-dst', 'W. Europe Standard Time', fixed, '20260324T090000', 'No DST weekly'));
    expect(await pulledStarts('No DST weekly', '2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z')).toEqual([
      '2026-03-24T08:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
      '2026-04-07T08:00:00.000Z',
    ]);
  });

  it('an edit here goes back under Outlook\u2019s TZID, defined, and an edit there moves the series by its wall time', async () => {
    const pushed = await renamedAndPushed('Pacific weekly', 'Pacific weekly (Q2)', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z');
    expect(pushed.data).toContain('DTSTART;TZID=Pacific Standard Time:20260303T090000');
    expect(pushed.data).toContain('TZID:Pacific Standard Time');
    // Outlook moves the series to 10:00: read by the zone's rules, the change to summer time still moves the UTC hour.
    await h.remotePut('tara', pushed.href, editedByApp(pushed.data, /T090000/g, 'T100000'), pushed.etag);
    expect(await pulledStarts('Pacific weekly (Q2)', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-03T18:00:00.000Z',
      '2026-03-10T17:00:00.000Z',
      '2026-03-17T17:00:00.000Z',
    ]);
  });

  it('a TZID defined nowhere is the owner\u2019s wall time, and goes back as it came', async () => {
    await put('outlook-unknown.ics', outlook('outlook-unknown', 'Customized Time Zone 7', [], '20260303T090000', 'Unknown zone weekly', 'FREQ=WEEKLY;COUNT=2'));
    // 09:00 in Kolkata (the owner's zone), not 09:00 UTC.
    expect(await pulledStarts('Unknown zone weekly', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual(['2026-03-03T03:30:00.000Z', '2026-03-10T03:30:00.000Z']);
    const pushed = await renamedAndPushed('Unknown zone weekly', 'Unknown zone weekly (renamed)', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z');
    expect(pushed.data).toContain('DTSTART;TZID=Customized Time Zone 7:20260303T090000');
  });
});
