/**
 * An object in someone's CalDAV calendar carrying the UID of a Bheem event
 * they cannot see becomes an event of their own (caldav-authorization.test.ts).
 * Syncing it must end, and so must the next sync and the platform's shutdown
 * (which waits for every pooled connection back): no sync may be left holding
 * a transaction, a lock or a promise that never settles. A hang shows as this
 * test's timeout, the only bound on it.
 */
import { expect, it } from 'vitest';
import { startCalDAVHarness } from './caldav-harness.js';
import { calendarOf, veventOf } from './caldav-hostile-objects.js';

const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const LOG = `query { calDAVAccounts { syncLog(limit: 3) { succeeded pulled } } }`;
const OWN = `{ calendarEvents(from: "2026-09-07T00:00:00Z", to: "2026-09-08T00:00:00Z") { event { id title organizer { id } } } }`;

it('syncing an object with the UID of an event the user cannot see ends, as do the next sync and shutdown', async () => {
  const h = await startCalDAVHarness(['neil']);
  let stopping: Promise<void> | undefined;
  try {
    // Tara's meeting (she syncs no calendar), which the student Neil is not part of.
    const { createCalendarEvent } = await h.ok('tara', CREATE, { input: { title: 'Staff meeting', start: '2026-09-07T08:00:00Z', end: '2026-09-07T09:00:00Z' } });
    const id: string = createCalendarEvent.id;
    await h.remotePut(
      'neil',
      'foreign-uid.ics',
      calendarOf(veventOf(`${id}@bheem`, 'DTSTART:20260907T080000Z', 'DTEND:20260907T090000Z', 'LAST-MODIFIED:20991231T000000Z', 'SUMMARY:Not yours')),
    );
    await h.sync('neil');
    await h.sync('neil');
    // Both runs ended and were logged (newest first): the first took the object as Neil's own event, the second had nothing new.
    expect((await h.ok('neil', LOG)).calDAVAccounts[0].syncLog).toEqual([
      { succeeded: true, pulled: 0 },
      { succeeded: true, pulled: 1 },
    ]);
    expect((await h.ok('neil', OWN)).calendarEvents.map((o: any) => o.event)).toEqual([{ id: expect.not.stringMatching(id), title: 'Not yours', organizer: { id: '7' } }]);
    stopping = h.stop();
    await expect(stopping).resolves.toBeUndefined();
  } finally {
    if (!stopping) await h.stop();
  }
}, 120_000);
