/**
 * Events a user marks private (CLASS:PRIVATE) or confidential in their own
 * calendar app: synced from their real Radicale calendar, the user sees them
 * in full, while admins and managers who see the user's calendar see only a
 * busy time, on every way out. The class travels back with Bheem's pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import * as caldav from './caldav-client.js';

const PASSWORD = 'tara-app-password';
const TARA = '3';
let radicale: RunningRadicale;
let platform: TestPlatform;
let accountId: string;
let calendarUrl: string;

const calendar = subgraphCaller(() => platform, 'calendar');
const as = async (user: string, query: string, variables?: Record<string, unknown>) => dataOf(await calendar(user, query, variables));
const auth = caldav.basicAuth('tara', PASSWORD);
const put = (name: string, lines: string[]) => caldav.remotePut(new URL(name, calendarUrl).toString(), [...lines, ''].join('\r\n'), auth);
async function sync() {
  const status = (await as('tara.teacher', `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`, { id: accountId })).syncCalDAV;
  expect(status).toEqual({ state: 'IDLE', lastError: null });
}
const FROM = '2026-07-01T00:00:00Z';
const TO = '2026-07-10T00:00:00Z';
const EVENT_FIELDS = 'id externalId title description location metadata participants { externalEmail externalName }';
const occurrences = async (user: string) =>
  (
    await as(user, `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start end participants { externalEmail } event { ${EVENT_FIELDS} } } }`, {
      from: FROM,
      to: TO,
    })
  ).calendarEvents.filter((o: any) => o.event.externalId?.endsWith('@nextcloud'));
const entity = async (user: string, id: string) =>
  (await as(user, `query($r: [_Any!]!) { _entities(representations: $r) { ... on CalendarEvent { ${EVENT_FIELDS} } } }`, { r: [{ __typename: 'CalendarEvent', id }] }))
    ._entities[0];

const object = (uid: string, klass: string, day: string) => [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Nextcloud calendar v4.7.0',
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTAMP:20260601T080000Z',
  `DTSTART:202607${day}T090000Z`,
  `DTEND:202607${day}T100000Z`,
  `SUMMARY:Therapy session ${klass}`,
  'DESCRIPTION:Dr. Weiss\\, second floor',
  'LOCATION:Praxis am Park',
  `CLASS:${klass}`,
  'ORGANIZER:mailto:tara@example.org',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:dr.weiss@example.org',
  'END:VEVENT',
  'END:VCALENDAR',
];

beforeAll(async () => {
  radicale = await startRadicale([{ username: 'tara', password: PASSWORD }]);
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  const { connectCalDAVAccount } = await as('tara.teacher', caldav.CONNECT_CALDAV, { url: radicale.url, username: 'tara', password: PASSWORD });
  accountId = connectCalDAVAccount.id;
  calendarUrl = connectCalDAVAccount.calendarUrl;
  await put('private.ics', object('private-1@nextcloud', 'PRIVATE', '02'));
  await put('confidential.ics', object('confidential-1@nextcloud', 'CONFIDENTIAL', '03'));
  await sync();
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

describe('private and confidential events of a synced calendar', () => {
  it('the owner sees them in full', async () => {
    const own = await occurrences('tara.teacher');
    expect(own.map((o: any) => o.event.title)).toEqual(['Therapy session PRIVATE', 'Therapy session CONFIDENTIAL']);
    for (const o of own) {
      expect(o.event.description).toBe('Dr. Weiss, second floor');
      expect(o.event.location).toBe('Praxis am Park');
      expect(o.event.participants.map((p: any) => p.externalEmail)).toContain('dr.weiss@example.org');
    }
  });

  it('admins and managers see only a busy time: no title, description, location or attendees', async () => {
    for (const user of ['admin', 'maya.manager']) {
      const seen = await occurrences(user);
      expect(seen.map((o: any) => [o.start, o.end])).toEqual([
        ['2026-07-02T09:00:00.000Z', '2026-07-02T10:00:00.000Z'],
        ['2026-07-03T09:00:00.000Z', '2026-07-03T10:00:00.000Z'],
      ]);
      for (const o of seen) {
        expect(o.event).toMatchObject({ title: 'Busy', description: null, location: null, participants: [] });
        expect(o.participants).toEqual([]);
        expect(JSON.stringify(o.event)).not.toMatch(/Therapy|Weiss|Praxis/);
        // Through the gateway's entity path too.
        const byEntity = await entity(user, o.event.id);
        expect(byEntity).toMatchObject({ title: 'Busy', description: null, location: null, participants: [] });
        expect(JSON.stringify(byEntity)).not.toMatch(/Therapy|Weiss|Praxis/);
      }
    }
  });

  it('free/busy still counts them as busy', async () => {
    const [tara] = (
      await as('admin', `query($u: [ID!]!, $from: DateTime!, $to: DateTime!) { freeBusy(userIds: $u, from: $from, to: $to) { busy { start end } } }`, {
        u: [TARA],
        from: FROM,
        to: TO,
      })
    ).freeBusy;
    expect(tara.busy).toEqual(
      expect.arrayContaining([
        { start: '2026-07-02T09:00:00.000Z', end: '2026-07-02T10:00:00.000Z' },
        { start: '2026-07-03T09:00:00.000Z', end: '2026-07-03T10:00:00.000Z' },
      ]),
    );
  });

  it('a change made here goes back to the calendar with its CLASS', async () => {
    const [own] = await occurrences('tara.teacher');
    await as('tara.teacher', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Therapy (moved room)" }) { id } }`, { id: own.event.id });
    await sync();
    const pushed = (await caldav.remoteObjects(calendarUrl, auth)).find((o) => o.data.includes('SUMMARY:Therapy (moved room)'))!;
    expect(pushed.data).toMatch(/^CLASS:PRIVATE\r?$/m);
    expect((await occurrences('admin'))[0].event.title).toBe('Busy');
  });
});
