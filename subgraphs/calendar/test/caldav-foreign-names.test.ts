/**
 * A calendar that already holds one of our events under a name of its own
 * (Apple Calendar names objects as it likes; a copy moved over from another
 * calendar keeps its UID): a collection holds one object per UID, so our PUT
 * to the name we would choose is refused (409, no-uid-conflict). The sync
 * once failed on that, at every run, and synced nothing more; it now finds
 * the object by its UID and merges with it there, as with any conflict.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import * as caldav from './caldav-client.js';

let radicale: RunningRadicale;
let platform: TestPlatform;
const calendar = subgraphCaller(() => platform, 'calendar');
const ok = async (query: string, variables?: Record<string, unknown>) => dataOf(await calendar('tara.teacher', query, variables));
const auth = caldav.basicAuth('tara', 'tara-app-password');
beforeAll(async () => {
  radicale = await startRadicale([{ username: 'tara', password: 'tara-app-password' }]);
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

const copy = (uid: string, summary: string, lastModified: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Apple Inc.//macOS//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260401T000000Z',
    `LAST-MODIFIED:${lastModified}`,
    'DTSTART:20260504T080000Z',
    'DTEND:20260504T090000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

it('an event the calendar already holds under another name is merged there, and the sync goes on', async () => {
  const { createCalendarEvent } = await ok(`mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
    input: { title: 'Moved meeting', start: '2026-05-04T08:00:00Z', end: '2026-05-04T09:00:00Z', timezone: 'Europe/Berlin' },
  });
  const id = createCalendarEvent.id;
  const { connectCalDAVAccount: account } = await ok(caldav.CONNECT_CALDAV, { url: radicale.url, username: 'tara', password: 'tara-app-password' });
  const foreign = new URL('A1B2-C3D4.ics', account.calendarUrl).toString();
  await caldav.remotePut(foreign, copy(`${id}@bheem`, 'Moved meeting (an old copy)', '20260101T000000Z'), auth);
  const sync = async () => (await ok(`mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`, { id: account.id })).syncCalDAV;

  expect(await sync()).toEqual({ state: 'IDLE', lastError: null });
  // Ours is newer: it went to the object's own name, the only object of that UID; the other events were pushed too.
  const remote = await caldav.remoteObjects(account.calendarUrl, auth);
  const ofUid = remote.filter((object) => object.data.includes(`UID:${id}@bheem`));
  expect(ofUid.map((object) => object.href)).toEqual([foreign]);
  expect(ofUid[0]!.data).toContain('SUMMARY:Moved meeting\r\n');
  expect(remote.length).toBeGreaterThan(1);

  // An edit made in the app at that name comes back to the event, and no second event is made of it.
  const edited = copy(`${id}@bheem`, 'Moved meeting (edited in the app)', '20991231T000000Z');
  await caldav.remotePut(foreign, edited, auth, ofUid[0]!.etag);
  expect(await sync()).toEqual({ state: 'IDLE', lastError: null });
  const { calendarEvents } = await ok(`{ calendarEvents(from: "2026-05-04T00:00:00Z", to: "2026-05-05T00:00:00Z") { event { id title } } }`);
  expect(calendarEvents.map((o: any) => o.event)).toEqual([{ id, title: 'Moved meeting (edited in the app)' }]);
});
