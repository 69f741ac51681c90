/**
 * A company admin may change any event of the company through GraphQL
 * (event-edit-rules.ts), so their calendar app may too: an object in the
 * admin's CalDAV calendar carrying the UID of an event someone else
 * organised (`<id>@bheem`, as the calendar feed and pushes write it) is
 * that event, also when it was never pushed anywhere (its organiser has no
 * CalDAV account), not a new event of the admin's with the same UID. (The
 * rule stays the owner's view: someone who cannot see the event still gets
 * an event of their own, caldav-authorization.test.ts.) An admin invited to
 * the event is an attendee in their own calendar: their copy answers, as any
 * participant's does (remote-rights.ts).
 */
import { expect, it } from 'vitest';
import { editedByApp, USER_IDS, unfolded, useCalDAVHarness } from './caldav-harness.js';
import { calendarOf, veventOf } from './caldav-hostile-objects.js';

const h = useCalDAVHarness(['admin'], { countRequests: true });
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const EVENT = `query($id: ID!) { calendarEvent(id: $id) { title start end organizer { id } } }`;
const TITLED = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { event { id title } } }`;
const LOG = `query { calDAVAccounts { syncLog(limit: 1) { succeeded pulled conflicts skipped { href reason } } } }`;

/** Maya's one-off meeting (she syncs no calendar), and an app's edit of it: another time and title, saved later than ours. */
async function mayasMeeting(day: string, title: string) {
  const { createCalendarEvent } = await h.ok('maya', CREATE, { input: { title, start: `${day}T08:00:00Z`, end: `${day}T09:00:00Z` } });
  const id: string = createCalendarEvent.id;
  const edit = (newTitle: string) =>
    calendarOf(
      veventOf(`${id}@bheem`, `DTSTART:${day.replace(/-/g, '')}T100000Z`, `DTEND:${day.replace(/-/g, '')}T110000Z`, 'LAST-MODIFIED:20991231T000000Z', `SUMMARY:${newTitle}`),
    );
  return { id, edit };
}

it('an admin\u2019s edit of a one-off event someone else organised, never pushed, applies to that event', async () => {
  const { id, edit } = await mayasMeeting('2026-11-05', 'Budget review');
  await h.remotePut('admin', 'budget-review.ics', edit('Budget review (moved by admin)'));
  await h.sync('admin');
  expect((await h.ok('admin', EVENT, { id })).calendarEvent).toEqual({
    title: 'Budget review (moved by admin)',
    start: '2026-11-05T10:00:00.000Z',
    end: '2026-11-05T11:00:00.000Z',
    organizer: { id: '8' },
  });
  // The same event, not a second one of the admin's beside it.
  const { calendarEvents } = await h.ok('admin', TITLED, { from: '2026-11-05T00:00:00Z', to: '2026-11-06T00:00:00Z' });
  expect(calendarEvents.map((o: any) => o.event)).toEqual([{ id, title: 'Budget review (moved by admin)' }]);
  expect((await h.ok('admin', LOG)).calDAVAccounts[0].syncLog[0]).toMatchObject({ succeeded: true, pulled: 1, skipped: [] });
});

it('an admin invited to someone else\u2019s event answers it from their calendar app, as respondToEvent lets them', async () => {
  const PARTICIPANTS = `query($id: ID!) { calendarEvent(id: $id) { title participants { user { id } status } } }`;
  const { createCalendarEvent } = await h.ok('maya', CREATE, {
    input: { title: 'Hiring panel', start: '2026-11-12T08:00:00Z', end: '2026-11-12T09:00:00Z', participantIds: [USER_IDS.admin] },
  });
  const id: string = createCalendarEvent.id;
  await h.sync('admin');
  const copy = (await h.remoteWith('admin', 'SUMMARY:Hiring panel'))!;
  const unfolded = copy.data.replace(/\r\n[ \t]/g, '');
  expect(unfolded).toMatch(/ATTENDEE;[^\r]*PARTSTAT=NEEDS-ACTION[^\r]*:mailto:admin@/);
  // Accepting in the app: their own ATTENDEE's PARTSTAT, saved later than ours.
  const accepted = unfolded
    .replace(/(ATTENDEE;[^\r]*)PARTSTAT=NEEDS-ACTION([^\r]*:mailto:admin@)/, '$1PARTSTAT=ACCEPTED$2')
    .replace(/LAST-MODIFIED:\d{8}T\d{6}Z/, 'LAST-MODIFIED:20991231T000000Z');
  await h.remotePut('admin', copy.href, accepted, copy.etag);
  await h.sync('admin');
  const { calendarEvent } = await h.ok('maya', PARTICIPANTS, { id });
  expect(calendarEvent.participants).toContainEqual({ user: { id: USER_IDS.admin }, status: 'ACCEPTED' });
  // Their answer stays in their copy, not put back as NEEDS-ACTION.
  await h.sync('admin');
  const after = (await h.remoteWith('admin', 'SUMMARY:Hiring panel'))!.data.replace(/\r\n[ \t]/g, '');
  expect(after).toMatch(/ATTENDEE;[^\r]*PARTSTAT=ACCEPTED[^\r]*:mailto:admin@/);
});

/** The admin's acceptance as an app saves it: with a newer LAST-MODIFIED (their copy wins), or keeping the old one (ours wins). */
const ACCEPT = /(ATTENDEE;[^\r]*)PARTSTAT=NEEDS-ACTION([^\r]*:mailto:admin@)/;
it.each([
  ['newer than the edit made here', 'Vendor demo', (copy: { data: string }) => editedByApp(copy.data, ACCEPT, '$1PARTSTAT=ACCEPTED$2')],
  ['older than the edit made here', 'Supplier demo', (copy: { data: string }) => unfolded(copy.data).replace(ACCEPT, '$1PARTSTAT=ACCEPTED$2')],
])('an admin\u2019s answer saved in their app just before our PUT of an edit made here (412), %s, is taken and goes out', async (_, title, accept) => {
  const PARTICIPANTS = `query($id: ID!) { calendarEvent(id: $id) { title participants { user { id } status } } }`;
  const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!) { updateCalendarEvent(id: $id, input: $input) { id } }`;
  const { createCalendarEvent } = await h.ok('maya', CREATE, {
    input: { title, start: '2026-11-19T08:00:00Z', end: '2026-11-19T09:00:00Z', participantIds: [USER_IDS.admin] },
  });
  const id: string = createCalendarEvent.id;
  await h.sync('admin');
  await h.ok('maya', UPDATE, { id, input: { description: 'Bring the contract' } });
  await h.syncRacing('admin', (await h.remoteWith('admin', `SUMMARY:${title}`))!, accept);
  expect((await h.ok('maya', PARTICIPANTS, { id })).calendarEvent.participants).toContainEqual({ user: { id: USER_IDS.admin }, status: 'ACCEPTED' });
  await h.sync('admin');
  const after = unfolded((await h.remoteWith('admin', `SUMMARY:${title}`))!.data);
  expect(after).toMatch(/ATTENDEE;[^\r]*PARTSTAT=ACCEPTED[^\r]*:mailto:admin@/);
});

/*
 * In their own calendar an invited admin is an attendee, as calendar apps see them (Nextcloud, Outlook, Apple):
 * deleting the invitation there declines it (RFC 6638's DECLINED reply), and an edit of their copy stays theirs,
 * never sent to the organiser. Changing the meeting for everyone is done as its organiser or through Bheem.
 */
it('an admin invited to someone else\u2019s event who deletes their copy declines it; the event is not cancelled', async () => {
  const STATE = `query($id: ID!) { calendarEvent(id: $id) { isCancelled participants { user { id } status } } }`;
  const { createCalendarEvent } = await h.ok('maya', CREATE, {
    input: { title: 'Quarterly planning', start: '2026-11-26T08:00:00Z', end: '2026-11-26T09:00:00Z', participantIds: [USER_IDS.admin] },
  });
  const id: string = createCalendarEvent.id;
  await h.sync('admin');
  await h.remoteDelete('admin', (await h.remoteWith('admin', 'SUMMARY:Quarterly planning'))!.href);
  await h.sync('admin');
  const { calendarEvent } = await h.ok('maya', STATE, { id });
  expect(calendarEvent.isCancelled).toBe(false);
  expect(calendarEvent.participants).toContainEqual({ user: { id: USER_IDS.admin }, status: 'DECLINED' });
});

it('an admin invited to someone else\u2019s event who moves and renames their copy changes nothing for the others; ours goes back', async () => {
  const { createCalendarEvent } = await h.ok('maya', CREATE, {
    input: { title: 'Team lunch', start: '2026-12-03T11:00:00Z', end: '2026-12-03T12:00:00Z', participantIds: [USER_IDS.admin] },
  });
  const id: string = createCalendarEvent.id;
  await h.sync('admin');
  const copy = (await h.remoteWith('admin', 'SUMMARY:Team lunch'))!;
  const moved = editedByApp(copy.data, 'SUMMARY:Team lunch', 'SUMMARY:Team lunch (admin)')
    .replace(/DTSTART:20261203T110000Z/, 'DTSTART:20261203T130000Z')
    .replace(/DTEND:20261203T120000Z/, 'DTEND:20261203T140000Z');
  expect(moved).toContain('DTSTART:20261203T130000Z');
  await h.remotePut('admin', copy.href, moved, copy.etag);
  await h.sync('admin');
  expect((await h.ok('maya', EVENT, { id })).calendarEvent).toEqual({
    title: 'Team lunch',
    start: '2026-12-03T11:00:00.000Z',
    end: '2026-12-03T12:00:00.000Z',
    organizer: { id: '8' },
  });
  expect((await h.remoteWith('admin', 'SUMMARY:Team lunch'))!.data).not.toContain('Team lunch (admin)');
});
