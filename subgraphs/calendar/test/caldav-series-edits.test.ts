/**
 * Edits of a whole series, or of its rest, made in calendar apps and here:
 * "this and following" as Apple writes it (RECURRENCE-ID;RANGE=THISANDFUTURE,
 * RFC 5545 3.8.4.4) and as Nextcloud and Thunderbird write it (UNTIL on the
 * series, a new series under a new UID), and a series moved with its edited
 * occurrences. The organiser (tara) and a participant (ravi) sync their own
 * Radicale calendars (the platform's requests through the harness's proxy,
 * so that an app can write between two of them).
 */
import { describe, expect, it } from 'vitest';
import { parseICalendar } from '../caldav/icalendar.js';
import { splitThisAndFuture } from '../caldav/this-and-future.js';
import { editedByApp, useCalDAVHarness, unfolded, USER_IDS, veventsOf } from './caldav-harness.js';
import { overrideOf, seriesOn, UPDATE } from './caldav-series.js';
import { expectStoredJsonTexts } from './stored-json-texts.js';

const h = useCalDAVHarness(['tara', 'ravi'], { countRequests: true });

const DECLINE_ONE = `mutation($id: ID!, $occurrence: DateTime) { respondToEvent(eventId: $id, status: DECLINED, occurrence: $occurrence) { status } }`;
const { weeklySeries, occurrencesOf } = seriesOn(() => h);

describe('this and following, edited in a calendar app', () => {
  it('RANGE=THISANDFUTURE (Apple): that occurrence and every later one change, the earlier ones stay', async () => {
    await weeklySeries('Optics lab', '2026-06-01');
    const copy = (await h.remoteWith('tara', 'SUMMARY:Optics lab'))!;
    const text = unfolded(copy.data);
    const master = veventsOf(text)[0]!;
    const future = overrideOf(master, 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260615T100000', {
      start: '20260615T110000',
      end: '20260615T123000',
      summary: ['SUMMARY:Optics lab', 'SUMMARY:Optics lab (room 4)'],
    });
    await h.remotePut('tara', copy.href, editedByApp(text.replace('END:VCALENDAR', `${future}END:VCALENDAR`)), copy.etag);
    await h.sync('tara');

    const seen = await occurrencesOf('tara', 'Optics lab', '2026-05-25T00:00:00Z', '2026-08-01T00:00:00Z');
    expect(seen.map((o) => [o.start, o.event.title])).toEqual([
      ['2026-06-01T08:00:00.000Z', 'Optics lab'],
      ['2026-06-08T08:00:00.000Z', 'Optics lab'],
      ['2026-06-15T09:00:00.000Z', 'Optics lab (room 4)'],
      ['2026-06-22T09:00:00.000Z', 'Optics lab (room 4)'],
      ['2026-06-29T09:00:00.000Z', 'Optics lab (room 4)'],
      ['2026-07-06T09:00:00.000Z', 'Optics lab (room 4)'],
    ]);
    // Ravi still takes part in the changed ones, with his answer.
    expect(seen[3].participants).toContainEqual({ user: { id: USER_IDS.ravi }, status: 'ACCEPTED' });

    // Both calendars end up with the form every app reads: the series up to then, and the rest as its own series.
    await h.sync('tara');
    await h.sync('ravi');
    for (const person of ['tara', 'ravi'] as const) {
      const objects = (await h.remoteObjects(person)).filter((o) => o.data.includes('SUMMARY:Optics lab'));
      expect(objects.some((o) => o.data.includes('RANGE='))).toBe(false);
      const rest = objects.find((o) => o.data.includes('SUMMARY:Optics lab (room 4)'))!;
      expect(unfolded(rest.data)).toContain('DTSTART;TZID=Europe/Berlin:20260615T110000');
      expect(unfolded(rest.data)).toMatch(/RRULE:FREQ=WEEKLY;COUNT=4/);
      const first = objects.find((o) => o !== rest)!;
      expect(unfolded(first.data)).toMatch(/RRULE:FREQ=WEEKLY;COUNT=2/);
    }
    expect((await occurrencesOf('ravi', 'Optics lab', '2026-05-25T00:00:00Z', '2026-08-01T00:00:00Z')).map((o) => o.start)).toEqual(seen.map((o) => o.start));
    // Nothing is left to do.
    expect((await h.sync('tara')).total).toBe(0);
  });

  it('RANGE=THISANDFUTURE moved across a DST change: the rest keeps its wall-clock times, exceptions and answers follow', async () => {
    // Fridays 10:00 Berlin from 6 March; Apple moves "this and future" from Friday 27 March to Monday 30 March, past the change to summer time (29 March).
    const id = await weeklySeries('Spectra lab', '2026-03-06', '09', 'FREQ=WEEKLY;COUNT=8');
    await h.ok('ravi', DECLINE_ONE, { id, occurrence: '2026-04-03T08:00:00Z' });
    await h.sync('tara');
    const copy = (await h.remoteWith('tara', 'SUMMARY:Spectra lab'))!;
    const text = unfolded(copy.data);
    const master = veventsOf(text)[0]!;
    const future = overrideOf(master, 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260327T100000', {
      start: '20260330T100000',
      end: '20260330T110000',
      summary: ['SUMMARY:Spectra lab', 'SUMMARY:Spectra lab (Mondays)'],
    });
    // An occurrence edited earlier in the app (10 April, renamed), and one deleted there (17 April).
    const edited = overrideOf(master, 'RECURRENCE-ID;TZID=Europe/Berlin:20260410T100000', {
      start: '20260410T100000',
      end: '20260410T110000',
      summary: ['SUMMARY:Spectra lab', 'SUMMARY:Spectra lab (room 9)'],
    });
    const withExdate = master.replace(/(RRULE:[^\r]*\r\n)/, '$1EXDATE;TZID=Europe/Berlin:20260417T100000\r\n');
    const changed = text.replace(master, withExdate).replace('END:VCALENDAR', `${edited}${future}END:VCALENDAR`);
    await h.remotePut('tara', copy.href, editedByApp(changed), copy.etag);
    await h.sync('tara');

    const seen = await occurrencesOf('tara', 'Spectra lab', '2026-03-01T00:00:00Z', '2026-05-15T00:00:00Z');
    expect(seen.map((o) => [o.start, o.event.title])).toEqual([
      ['2026-03-06T09:00:00.000Z', 'Spectra lab'],
      ['2026-03-13T09:00:00.000Z', 'Spectra lab'],
      ['2026-03-20T09:00:00.000Z', 'Spectra lab'],
      // Mondays 10:00 summer time (08:00Z): 3 April's answers go to 6 April, 10 April's edit to 13 April, 17 April's deletion to 20 April.
      ['2026-03-30T08:00:00.000Z', 'Spectra lab (Mondays)'],
      ['2026-04-06T08:00:00.000Z', 'Spectra lab (Mondays)'],
      ['2026-04-13T08:00:00.000Z', 'Spectra lab (room 9)'],
      ['2026-04-27T08:00:00.000Z', 'Spectra lab (Mondays)'],
    ]);
    expect(seen[5].recurrenceId).toBe('2026-04-13T08:00:00.000Z');
    // Ravi's decline of 3 April is his answer to that occurrence, now on 6 April.
    expect(seen[4].participants).toContainEqual({ user: { id: USER_IDS.ravi }, status: 'DECLINED' });
    expect(seen[6].participants).toContainEqual({ user: { id: USER_IDS.ravi }, status: 'ACCEPTED' });
  });

  it('RANGE=THISANDFUTURE over an occurrence the app had moved on its own: that one keeps its time (RFC 5545 3.8.4.4)', async () => {
    // Fridays 10:00 Berlin from 2 October 2026; 6 November moved in the app to 14:00, then "this and future" from
    // Friday 23 October to Monday 26 October, past the change to winter time (25 October).
    await weeklySeries('Lens workshop', '2026-10-02', '08');
    const copy = (await h.remoteWith('tara', 'SUMMARY:Lens workshop'))!;
    const text = unfolded(copy.data);
    const master = veventsOf(text)[0]!;
    const moved = overrideOf(master, 'RECURRENCE-ID;TZID=Europe/Berlin:20261106T100000', {
      start: '20261106T140000',
      end: '20261106T150000',
      summary: ['SUMMARY:Lens workshop', 'SUMMARY:Lens workshop (guest)'],
    });
    const future = overrideOf(master, 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20261023T100000', {
      start: '20261026T100000',
      end: '20261026T110000',
      summary: ['SUMMARY:Lens workshop', 'SUMMARY:Lens workshop (Mondays)'],
    });
    await h.remotePut('tara', copy.href, editedByApp(text.replace('END:VCALENDAR', `${moved}${future}END:VCALENDAR`)), copy.etag);
    await h.sync('tara');

    const seen = await occurrencesOf('tara', 'Lens workshop', '2026-09-28T00:00:00Z', '2026-12-01T00:00:00Z');
    // Mondays 10:00 winter time (09:00Z); the guest talk stays on Friday 6 November 14:00 (13:00Z), in place of the Monday its occurrence became.
    expect(seen.map((o) => [o.start, o.recurrenceId, o.event.title])).toEqual([
      ['2026-10-02T08:00:00.000Z', '2026-10-02T08:00:00.000Z', 'Lens workshop'],
      ['2026-10-09T08:00:00.000Z', '2026-10-09T08:00:00.000Z', 'Lens workshop'],
      ['2026-10-16T08:00:00.000Z', '2026-10-16T08:00:00.000Z', 'Lens workshop'],
      ['2026-10-26T09:00:00.000Z', '2026-10-26T09:00:00.000Z', 'Lens workshop (Mondays)'],
      ['2026-11-02T09:00:00.000Z', '2026-11-02T09:00:00.000Z', 'Lens workshop (Mondays)'],
      ['2026-11-06T13:00:00.000Z', '2026-11-09T09:00:00.000Z', 'Lens workshop (guest)'],
    ]);
    // Both calendars hold it so: the rest's override names its Monday and keeps the app's Friday 14:00.
    await h.sync('tara');
    await h.sync('ravi');
    for (const person of ['tara', 'ravi'] as const) {
      const rest = unfolded((await h.remoteWith(person, 'SUMMARY:Lens workshop (Mondays)'))!.data);
      const guest = veventsOf(rest).find((o) => o.includes('SUMMARY:Lens workshop (guest)'))!;
      expect(guest).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20261109T100000');
      expect(guest).toContain('DTSTART;TZID=Europe/Berlin:20261106T140000');
    }
    expect((await occurrencesOf('ravi', 'Lens workshop', '2026-09-28T00:00:00Z', '2026-12-01T00:00:00Z')).map((o) => o.start)).toEqual(seen.map((o) => o.start));
  });

  it('UNTIL and a new UID (Nextcloud, Thunderbird): the series ends, the new one goes on, nothing is doubled', async () => {
    const id = await weeklySeries('Acoustics lab', '2026-09-07');
    const copy = (await h.remoteWith('tara', 'SUMMARY:Acoustics lab'))!;
    const text = unfolded(copy.data);
    const master = veventsOf(text)[0]!;
    const ended = text.replace('RRULE:FREQ=WEEKLY;COUNT=6', 'RRULE:FREQ=WEEKLY;UNTIL=20260920T215959Z');
    await h.remotePut('tara', copy.href, editedByApp(ended), copy.etag);
    const rest = master
      .replace(/UID:[^\r]*/, 'UID:nextcloud-split-1')
      .replace('RRULE:FREQ=WEEKLY;COUNT=6', 'RRULE:FREQ=WEEKLY;COUNT=4')
      .replace(/DTSTART;TZID=Europe\/Berlin:\d{8}T\d{6}/, 'DTSTART;TZID=Europe/Berlin:20260921T110000')
      .replace(/DTEND;TZID=Europe\/Berlin:\d{8}T\d{6}/, 'DTEND;TZID=Europe/Berlin:20260921T120000')
      .replace('SUMMARY:Acoustics lab', 'SUMMARY:Acoustics lab (hall)');
    const vtimezone = /BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE\r\n/.exec(text)![0];
    await h.remotePut('tara', 'nextcloud-split-1.ics', `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Nextcloud calendar v4//EN\r\n${vtimezone}${rest}END:VCALENDAR\r\n`);
    await h.sync('tara');

    const seen = await occurrencesOf('tara', 'Acoustics lab', '2026-09-01T00:00:00Z', '2026-11-01T00:00:00Z');
    expect(seen.map((o) => [o.start, o.event.title])).toEqual([
      ['2026-09-07T08:00:00.000Z', 'Acoustics lab'],
      ['2026-09-14T08:00:00.000Z', 'Acoustics lab'],
      ['2026-09-21T09:00:00.000Z', 'Acoustics lab (hall)'],
      ['2026-09-28T09:00:00.000Z', 'Acoustics lab (hall)'],
      ['2026-10-05T09:00:00.000Z', 'Acoustics lab (hall)'],
      ['2026-10-12T09:00:00.000Z', 'Acoustics lab (hall)'],
    ]);
    expect(seen[0].event.id).toBe(id);
    await h.sync('ravi');
    expect((await occurrencesOf('ravi', 'Acoustics lab', '2026-09-01T00:00:00Z', '2026-11-01T00:00:00Z')).map((o) => o.start)).toEqual(seen.map((o) => o.start));
  });

  it('a RANGE override naming no occurrence of the series changes no other occurrence and fails nothing', async () => {
    await weeklySeries('Optics seminar', '2026-11-02');
    const copy = (await h.remoteWith('tara', 'SUMMARY:Optics seminar'))!;
    const text = unfolded(copy.data);
    const master = veventsOf(text)[0]!;
    const stray = overrideOf(master, 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20261104T100000', {
      start: '20261104T110000',
      end: '20261104T120000',
      summary: ['SUMMARY:Optics seminar', 'SUMMARY:Optics seminar (moved)'],
    });
    await h.remotePut('tara', copy.href, editedByApp(text.replace('END:VCALENDAR', `${stray}END:VCALENDAR`)), copy.etag);
    await h.sync('tara');
    const seen = await occurrencesOf('tara', 'Optics seminar', '2026-11-01T00:00:00Z', '2026-12-31T00:00:00Z');
    expect(seen.map((o) => o.event.title)).toEqual(Array(6).fill('Optics seminar'));
  });

  it('two RANGE overrides make three series; one on an object without its series is read as one occurrence', () => {
    const vevent = (lines: string[]) => ['BEGIN:VEVENT', 'UID:apple-1', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];
    const object = (events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Apple Inc.//iCal//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
    const series = vevent(['DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'RRULE:FREQ=DAILY;COUNT=10', 'SUMMARY:Standup']);
    const from = (day: string, hour: string, title: string) =>
      vevent([`RECURRENCE-ID;RANGE=THISANDFUTURE:202601${day}T090000Z`, `DTSTART:202601${day}T${hour}0000Z`, `DTEND:202601${day}T${hour}3000Z`, `SUMMARY:${title}`]);
    const { remote, following } = splitThisAndFuture(parseICalendar(object([series, from('12', '10', 'Late standup'), from('08', '08', 'Early standup')])));
    expect(remote.master?.recurrenceRule).toBe('FREQ=DAILY;COUNT=3');
    expect(
      following.map((rest) => [
        rest.remote.uid,
        rest.remote.master?.start.toISOString(),
        rest.remote.master?.end?.toISOString(),
        rest.remote.master?.recurrenceRule,
        rest.remote.master?.title,
      ]),
    ).toEqual([
      ['apple-1-from-20260108T090000Z', '2026-01-08T08:00:00.000Z', '2026-01-08T08:30:00.000Z', 'FREQ=DAILY;COUNT=4', 'Early standup'],
      ['apple-1-from-20260112T090000Z', '2026-01-12T10:00:00.000Z', '2026-01-12T10:30:00.000Z', 'FREQ=DAILY;COUNT=3', 'Late standup'],
    ]);
    const alone = splitThisAndFuture(parseICalendar(object([from('08', '08', 'Early standup')])));
    expect(alone.following).toEqual([]);
    expect(alone.remote.overrides.map((o) => [o.recurrenceId?.toISOString(), o.thisAndFuture])).toEqual([['2026-01-08T09:00:00.000Z', false]]);
  });
});

describe('this and following moved to another weekday (a BYDAY=MO series, as Nextcloud writes weekly ones)', () => {
  const MONDAYS = 'FREQ=WEEKLY;BYDAY=MO;COUNT=6';

  /** Both calendars hold the rest of the series on Tuesdays, and ravi sees what tara sees. */
  async function expectRestOnTuesdays(title: string, seen: { start: string }[]) {
    await h.sync('tara');
    await h.sync('ravi');
    for (const person of ['tara', 'ravi'] as const) {
      const rest = (await h.remoteObjects(person)).find((o) => o.data.includes(`SUMMARY:${title} (Tuesdays)`))!;
      expect(unfolded(rest.data)).toMatch(/RRULE:FREQ=WEEKLY;(BYDAY=TU;COUNT=4|COUNT=4;BYDAY=TU)\r\n/);
    }
    expect((await occurrencesOf('ravi', title, '2027-06-01T00:00:00Z', '2027-11-01T00:00:00Z')).map((o) => o.start)).toEqual(seen.map((o) => o.start));
  }

  it('here (GraphQL THIS_AND_FOLLOWING): the new series goes on on Tuesdays', async () => {
    const id = await weeklySeries('Thermo lab', '2027-06-07', '08', MONDAYS);
    const input = { start: '2027-06-22T08:00:00Z', title: 'Thermo lab (Tuesdays)' };
    await h.ok('tara', UPDATE, { id, input, scope: 'THIS_AND_FOLLOWING', occurrence: '2027-06-21T08:00:00Z' });
    const seen = await occurrencesOf('tara', 'Thermo lab', '2027-06-01T00:00:00Z', '2027-08-01T00:00:00Z');
    expect(seen.map((o) => o.start)).toEqual([
      '2027-06-07T08:00:00.000Z',
      '2027-06-14T08:00:00.000Z',
      '2027-06-22T08:00:00.000Z',
      '2027-06-29T08:00:00.000Z',
      '2027-07-06T08:00:00.000Z',
      '2027-07-13T08:00:00.000Z',
    ]);
    await expectRestOnTuesdays('Thermo lab', seen);
  });

  it('in an app (RANGE=THISANDFUTURE moved to Tuesday): the split-off series goes on on Tuesdays', async () => {
    await weeklySeries('Optics studio', '2027-09-06', '08', MONDAYS);
    const copy = (await h.remoteWith('tara', 'SUMMARY:Optics studio'))!;
    const text = unfolded(copy.data);
    const future = overrideOf(veventsOf(text)[0]!, 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20270920T100000', {
      start: '20270921T100000',
      end: '20270921T110000',
      summary: ['SUMMARY:Optics studio', 'SUMMARY:Optics studio (Tuesdays)'],
    });
    await h.remotePut('tara', copy.href, editedByApp(text.replace('END:VCALENDAR', `${future}END:VCALENDAR`)), copy.etag);
    await h.sync('tara');
    const seen = await occurrencesOf('tara', 'Optics studio', '2027-09-01T00:00:00Z', '2027-11-01T00:00:00Z');
    expect(seen.map((o) => o.start)).toEqual([
      '2027-09-06T08:00:00.000Z',
      '2027-09-13T08:00:00.000Z',
      '2027-09-21T08:00:00.000Z',
      '2027-09-28T08:00:00.000Z',
      '2027-10-05T08:00:00.000Z',
      '2027-10-12T08:00:00.000Z',
    ]);
    await expectRestOnTuesdays('Optics studio', seen);
  });
});

describe('a series moved keeps its edited occurrences', () => {
  const CANCEL = `mutation($id: ID!, $occurrence: DateTime) { cancelCalendarEvent(id: $id, scope: THIS, occurrence: $occurrence) { id } }`;

  /** Six Mondays from 15 March 2027 at 10:00 Berlin (over the change to summer time); the 2nd in room 9, ravi out on the 3rd, the 4th cancelled. */
  async function editedSeries(title: string): Promise<string> {
    const id = await weeklySeries(title, '2027-03-15', '09');
    await h.ok('tara', UPDATE, { id, input: { location: 'Room 9' }, scope: 'THIS', occurrence: '2027-03-22T09:00:00Z' });
    await h.ok('ravi', DECLINE_ONE, { id, occurrence: '2027-03-29T08:00:00Z' });
    await h.ok('tara', CANCEL, { id, occurrence: '2027-04-05T08:00:00Z' });
    await h.sync('tara');
    await h.sync('ravi');
    return id;
  }

  async function expectMovedToEleven(title: string) {
    const seen = await occurrencesOf('tara', title, '2027-03-01T00:00:00Z', '2027-05-01T00:00:00Z');
    // 11:00 Berlin: 10:00Z before the change to summer time, 09:00Z after; the cancelled Monday stays cancelled.
    expect(seen.map((o) => [o.start, o.event.location])).toEqual([
      ['2027-03-15T10:00:00.000Z', null],
      ['2027-03-22T10:00:00.000Z', 'Room 9'],
      ['2027-03-29T09:00:00.000Z', null],
      ['2027-04-12T09:00:00.000Z', null],
      ['2027-04-19T09:00:00.000Z', null],
    ]);
    expect(seen[2].participants).toContainEqual({ user: { id: USER_IDS.ravi }, status: 'DECLINED' });
    expect(seen[3].participants).toContainEqual({ user: { id: USER_IDS.ravi }, status: 'ACCEPTED' });
  }

  /** Both calendars: the override and the EXDATE name the moved occurrences (11:00 Berlin). */
  async function expectCopiesMoved(title: string) {
    await h.sync('tara');
    await h.sync('ravi');
    for (const person of ['tara', 'ravi'] as const) {
      const data = unfolded((await h.remoteWith(person, `SUMMARY:${title}`))!.data);
      const [series, ...overrides] = veventsOf(data);
      expect(series).toContain('DTSTART;TZID=Europe/Berlin:20270315T110000');
      expect(series).toContain('EXDATE;TZID=Europe/Berlin:20270405T110000');
      const room = overrides.find((o) => o.includes('LOCATION:Room 9'))!;
      expect(room).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20270322T110000');
      expect(overrides.every((o) => /RECURRENCE-ID;TZID=Europe\/Berlin:\d{8}T110000/.test(o))).toBe(true);
    }
  }

  it('moved here (10:00 to 11:00): the edited occurrence, the declined one and the cancelled one move with it', async () => {
    const id = await editedSeries('Mechanics lab');
    await h.ok('tara', UPDATE, { id, input: { start: '2027-03-15T10:00:00Z' }, scope: 'ALL' });
    await expectMovedToEleven('Mechanics lab');
    await expectCopiesMoved('Mechanics lab');
  });

  /** The copy as an app saves it after moving the series to 11:00 and leaving its overrides at 10:00. */
  function movedInApp(copy: { data: string }): string {
    const [series] = veventsOf(copy.data);
    const moved = series!
      .replace('DTSTART;TZID=Europe/Berlin:20270315T100000', 'DTSTART;TZID=Europe/Berlin:20270315T110000')
      .replace('DTEND;TZID=Europe/Berlin:20270315T110000', 'DTEND;TZID=Europe/Berlin:20270315T120000')
      .replace('EXDATE;TZID=Europe/Berlin:20270405T100000', 'EXDATE;TZID=Europe/Berlin:20270405T110000');
    return editedByApp(unfolded(copy.data).replace(series!, moved));
  }

  it('moved in an app that leaves its overrides behind: they follow the series, and the app\u2019s copy is put right', async () => {
    await editedSeries('Statics lab');
    const copy = (await h.remoteWith('tara', 'SUMMARY:Statics lab'))!;
    await h.remotePut('tara', copy.href, movedInApp(copy), copy.etag);
    await h.sync('tara');
    await expectMovedToEleven('Statics lab');
    await expectCopiesMoved('Statics lab');
  });

  it('moved in an app just before our PUT of an edit made here (412): the app\u2019s newer move is taken as a pull takes it', async () => {
    const id = await editedSeries('Dynamics lab');
    const copy = (await h.remoteWith('tara', 'SUMMARY:Dynamics lab'))!;
    await h.ok('tara', UPDATE, { id, input: { description: 'Bring goggles' }, scope: 'ALL' });
    await h.syncRacing('tara', copy, movedInApp);
    await expectMovedToEleven('Dynamics lab');
    await expectCopiesMoved('Dynamics lab');
  });
});

describe('the organiser\u2019s app changes what was answered or edited here', () => {
  /** The organiser's copy as an app saves it with the series' VEVENT changed by `edit` and the overrides `keep` accepts. */
  async function editInApp(title: string, edit: (series: string) => string, keep: (override: string) => boolean = () => true) {
    const copy = (await h.remoteWith('tara', `SUMMARY:${title}`))!;
    const [series, ...overrides] = veventsOf(copy.data);
    const text = unfolded(copy.data);
    const head = text.slice(0, text.indexOf('BEGIN:VEVENT'));
    const events = [edit(series!), ...overrides.filter(keep)].join('');
    await h.remotePut('tara', copy.href, editedByApp(`${head}${events}END:VCALENDAR\r\n`), copy.etag);
    await h.sync('tara');
    await h.sync('ravi');
  }

  it('an occurrence ravi declined, deleted there (EXDATE): gone for both, in both calendars', async () => {
    const id = await weeklySeries('Chemistry lab', '2027-05-03');
    await h.ok('ravi', DECLINE_ONE, { id, occurrence: '2027-05-17T08:00:00Z' });
    await h.sync('tara');
    await h.sync('ravi');
    await editInApp(
      'Chemistry lab',
      (series) => series.replace('END:VEVENT', 'EXDATE;TZID=Europe/Berlin:20270517T100000\r\nEND:VEVENT'),
      (override) => !override.includes('RECURRENCE-ID;TZID=Europe/Berlin:20270517T100000'),
    );
    for (const person of ['tara', 'ravi'] as const) {
      const seen = await occurrencesOf(person, 'Chemistry lab', '2027-05-01T00:00:00Z', '2027-07-01T00:00:00Z');
      expect(seen.map((o) => o.start)).toEqual(['2027-05-03', '2027-05-10', '2027-05-24', '2027-05-31', '2027-06-07'].map((day) => `${day}T08:00:00.000Z`));
      const data = unfolded((await h.remoteWith(person, 'SUMMARY:Chemistry lab'))!.data);
      expect(data).toContain('EXDATE;TZID=Europe/Berlin:20270517T100000');
      expect(data).not.toContain('RECURRENCE-ID;TZID=Europe/Berlin:20270517T100000');
    }
  });

  it('the series renamed there while an occurrence was edited here: the newer rename and the occurrence\u2019s edit both stay', async () => {
    const id = await weeklySeries('Biology lab', '2027-05-03');
    await h.ok('tara', UPDATE, { id, input: { location: 'Greenhouse' }, scope: 'THIS', occurrence: '2027-05-17T08:00:00Z' });
    // The app renames the series (a minute later than the edit here) before the next sync.
    const copy = (await h.remoteWith('tara', 'SUMMARY:Biology lab'))!;
    await h.remotePut('tara', copy.href, editedByApp(copy.data, /SUMMARY:Biology lab/g, 'SUMMARY:Biology lab (wing B)'), copy.etag);
    await h.sync('tara');
    await h.sync('ravi');
    for (const person of ['tara', 'ravi'] as const) {
      const seen = await occurrencesOf(person, 'Biology lab', '2027-05-01T00:00:00Z', '2027-07-01T00:00:00Z');
      expect(seen.map((o) => [o.start, o.event.title, o.event.location])).toEqual(
        ['2027-05-03', '2027-05-10', '2027-05-17', '2027-05-24', '2027-05-31', '2027-06-07'].map((day) => [
          `${day}T08:00:00.000Z`,
          'Biology lab (wing B)',
          day === '2027-05-17' ? 'Greenhouse' : null,
        ]),
      );
      const data = unfolded((await h.remoteWith(person, 'SUMMARY:Biology lab (wing B)'))!.data);
      expect(veventsOf(data).find((o) => o.includes('RECURRENCE-ID;TZID=Europe/Berlin:20270517T100000'))).toContain('LOCATION:Greenhouse');
    }
  });

  it('a series made all-day there keeps its edited occurrence and ravi\u2019s answer to another, on their days', async () => {
    const id = await weeklySeries('Field trip', '2027-10-04');
    await h.ok('tara', UPDATE, { id, input: { location: 'Quarry' }, scope: 'THIS', occurrence: '2027-10-11T08:00:00Z' });
    await h.ok('ravi', DECLINE_ONE, { id, occurrence: '2027-10-18T08:00:00Z' });
    await h.sync('tara');
    await h.sync('ravi');
    // As Thunderbird writes it: DATE values, the overrides' RECURRENCE-IDs left as they were.
    await editInApp('Field trip', (series) =>
      series.replace('DTSTART;TZID=Europe/Berlin:20271004T100000', 'DTSTART;VALUE=DATE:20271004').replace('DTEND;TZID=Europe/Berlin:20271004T110000', 'DTEND;VALUE=DATE:20271005'),
    );
    for (const person of ['tara', 'ravi'] as const) {
      const seen = await occurrencesOf(person, 'Field trip', '2027-10-01T00:00:00Z', '2027-11-15T00:00:00Z');
      expect(seen.map((o) => [o.start, o.event.location])).toEqual([
        ['2027-10-04T00:00:00.000Z', null],
        ['2027-10-11T00:00:00.000Z', 'Quarry'],
        ['2027-10-18T00:00:00.000Z', null],
        ['2027-10-25T00:00:00.000Z', null],
        ['2027-11-01T00:00:00.000Z', null],
        ['2027-11-08T00:00:00.000Z', null],
      ]);
      expect(seen[2].participants).toContainEqual({ user: { id: USER_IDS.ravi }, status: 'DECLINED' });
      expect(seen[3].participants).toContainEqual({ user: { id: USER_IDS.ravi }, status: 'ACCEPTED' });
    }
  });
});

describe('the stored JSON texts (migrations/event-json-texts.ts)', () => {
  it('are the scalar\u2019s and JSON.stringify\u2019s texts of every event the apps\u2019 series edits wrote (pulled splits and overrides)', async () => {
    expect(await expectStoredJsonTexts(h.platform.db)).toBeGreaterThan(3);
  });
});
