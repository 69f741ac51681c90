/**
 * Apple's "this and following" (RECURRENCE-ID;RANGE=THISANDFUTURE) saved in
 * the app while our PUT of an edit made here is on its way (412): split as a
 * pull splits it, and only as far as the app's owner may change the event.
 * The organiser (tara) and a participant (ravi) sync their own Radicale
 * calendars, the platform's requests through the harness's proxy so that
 * an app can write between two of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedByApp, startCalDAVHarness, unfolded, USER_IDS, veventsOf, type CalDAVHarness } from './caldav-harness.js';

let h: CalDAVHarness;
beforeAll(async () => {
  h = await startCalDAVHarness(['tara', 'ravi'], { countRequests: true });
});
afterAll(async () => {
  await h?.stop();
});

const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!, $scope: EditScope, $occurrence: DateTime) {
  updateCalendarEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) { id } }`;
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!) { respondToEvent(eventId: $id, status: $status) { status } }`;
const OCCURRENCES = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) {
  start recurrenceId participants { user { id } status } event { id title location } } }`;

/** A weekly series of six Mondays at 10:00 Berlin time (08:00Z in summer, 09:00Z in winter), ravi invited and accepting, synced to both calendars. */
async function weeklySeries(title: string, firstMonday: string, utcHour = '08', recurrenceRule = 'FREQ=WEEKLY;COUNT=6'): Promise<string> {
  const { createCalendarEvent } = await h.ok('tara', CREATE, {
    input: {
      title,
      start: `${firstMonday}T${utcHour}:00:00Z`,
      end: `${firstMonday}T${String(Number(utcHour) + 1).padStart(2, '0')}:00:00Z`,
      timezone: 'Europe/Berlin',
      recurrenceRule,
      participantIds: [USER_IDS.ravi],
    },
  });
  await h.ok('ravi', RESPOND, { id: createCalendarEvent.id, status: 'ACCEPTED' });
  await h.sync('tara');
  await h.sync('ravi');
  return createCalendarEvent.id;
}

/** Occurrences of events titled `prefix…` in [from, to), as the user sees them. */
async function occurrencesOf(person: 'tara' | 'ravi', prefix: string, from: string, to: string) {
  const { calendarEvents } = await h.ok(person, OCCURRENCES, { from, to });
  return (calendarEvents as any[]).filter((o) => o.event.title.startsWith(prefix));
}

/** The override VEVENT an app writes for the occurrence at `localStamp` (Berlin), from the series' own VEVENT. */
function overrideOf(master: string, recurrenceId: string, changes: { start: string; end: string; summary: [string, string] }): string {
  return master
    .replace(/RRULE:[^\r]*\r\n/, '')
    .replace(/DTSTART;TZID=Europe\/Berlin:\d{8}T\d{6}/, `DTSTART;TZID=Europe/Berlin:${changes.start}\r\n${recurrenceId}`)
    .replace(/DTEND;TZID=Europe\/Berlin:\d{8}T\d{6}/, `DTEND;TZID=Europe/Berlin:${changes.end}`)
    .replace(changes.summary[0], changes.summary[1]);
}

describe('this and following saved in an app just before our PUT (412)', () => {
  /** Runs `person`'s sync with their app saving `change` of their copy of `title` in between our read and our PUT. */
  async function syncRacing(person: 'tara' | 'ravi', title: string, change: (copy: { data: string }) => string) {
    const copy = (await h.remoteWith(person, `SUMMARY:${title}`))!;
    let appSaved = false;
    h.beforeRequest = async (request) => {
      if (appSaved || request.method !== 'PUT' || request.path !== new URL(copy.href).pathname) return;
      appSaved = true;
      await h.remotePut(person, copy.href, change(copy), copy.etag);
    };
    try {
      await h.sync(person);
    } finally {
      h.beforeRequest = null;
    }
    expect(appSaved).toBe(true);
  }
  /** The copy with Apple's "this and future" from 20 July: 11:00, in room 4. */
  const rangeFromJuly20 = (title: string) => (copy: { data: string }) => {
    const text = unfolded(copy.data);
    const future = overrideOf(veventsOf(text)[0]!, 'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260720T100000', {
      start: '20260720T110000',
      end: '20260720T120000',
      summary: [`SUMMARY:${title}`, `SUMMARY:${title} (room 4)`],
    });
    return editedByApp(text.replace('END:VCALENDAR', `${future}END:VCALENDAR`));
  };

  it('the organiser\u2019s newer RANGE=THISANDFUTURE is split as a pull splits it, not taken as one occurrence', async () => {
    const id = await weeklySeries('Thermo lab', '2026-07-06');
    await h.ok('tara', UPDATE, { id, input: { description: 'Bring goggles' }, scope: 'ALL' });
    await syncRacing('tara', 'Thermo lab', rangeFromJuly20('Thermo lab'));
    const seen = await occurrencesOf('tara', 'Thermo lab', '2026-07-01T00:00:00Z', '2026-09-01T00:00:00Z');
    expect(seen.map((o) => [o.start, o.event.title])).toEqual([
      ['2026-07-06T08:00:00.000Z', 'Thermo lab'],
      ['2026-07-13T08:00:00.000Z', 'Thermo lab'],
      ['2026-07-20T09:00:00.000Z', 'Thermo lab (room 4)'],
      ['2026-07-27T09:00:00.000Z', 'Thermo lab (room 4)'],
      ['2026-08-03T09:00:00.000Z', 'Thermo lab (room 4)'],
      ['2026-08-10T09:00:00.000Z', 'Thermo lab (room 4)'],
    ]);
    // The app's copy is put in the form every app reads, the rest its own series; nothing is left to do.
    await h.sync('tara');
    const objects = (await h.remoteObjects('tara')).filter((o) => o.data.includes('SUMMARY:Thermo lab'));
    expect(objects.some((o) => o.data.includes('RANGE='))).toBe(false);
    expect(objects.some((o) => unfolded(o.data).includes('DTSTART;TZID=Europe/Berlin:20260720T110000'))).toBe(true);
    expect((await h.sync('tara')).total).toBe(0);
  });

  it('a participant\u2019s RANGE=THISANDFUTURE in the same race changes nothing of the series (only answers are theirs)', async () => {
    const id = await weeklySeries('Fluids lab', '2026-07-06');
    await h.ok('tara', UPDATE, { id, input: { description: 'Bring goggles' }, scope: 'ALL' });
    await h.sync('tara');
    await syncRacing('ravi', 'Fluids lab', rangeFromJuly20('Fluids lab'));
    for (const person of ['tara', 'ravi'] as const) {
      const seen = await occurrencesOf(person, 'Fluids lab', '2026-07-01T00:00:00Z', '2026-09-01T00:00:00Z');
      expect(seen.map((o) => [o.start, o.event.title])).toEqual(['07-06', '07-13', '07-20', '07-27', '08-03', '08-10'].map((day) => [`2026-${day}T08:00:00.000Z`, 'Fluids lab']));
    }
  });
});
