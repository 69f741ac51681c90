/**
 * Rooms and resources pulled before they were told apart from people
 * (838bfd3: CUTYPE=ROOM or RESOURCE is no participant) were stored as
 * outside guests, and stay so: a pull reads an object again only once its
 * ETag changes. Migration 0013 has such objects read again on each
 * account's next sync; the app's copy still says which ATTENDEE is a room.
 */
import { beforeAll, expect, it } from 'vitest';
import { calendarMigrations } from '../migrations/index.js';
import { useCalDAVHarness } from './caldav-harness.js';

const h = useCalDAVHarness(['tara']);
beforeAll(async () => {
  await h.sync('tara');
});

const BOOKED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//IDN nextcloud.com//Calendar app 4.7.0//EN',
  'BEGIN:VEVENT',
  'UID:booked-room-1',
  'DTSTAMP:20260401T080000Z',
  'DTSTART:20260518T080000Z',
  'DTEND:20260518T090000Z',
  'SUMMARY:Booked review',
  'ORGANIZER;CN=Tara Teacher:mailto:tara.teacher@bheem.example',
  'ATTENDEE;CN=Tara Teacher;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:tara.teacher@bheem.example',
  'ATTENDEE;CN=Priya Shah;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:priya.shah@example.org',
  'ATTENDEE;CN=Room 4;CUTYPE=ROOM;PARTSTAT=ACCEPTED;ROLE=NON-PARTICIPANT:mailto:room-4@rooms.example.org',
  'ATTENDEE;CN=Projector 2;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT:mailto:projector-2@rooms.example.org',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const guestsOf = async () => {
  const { calendarEvents } = await h.ok(
    'tara',
    `{ calendarEvents(from: "2026-05-18T00:00:00Z", to: "2026-05-19T00:00:00Z") { event { id title participants { externalEmail } } } }`,
  );
  const booked = calendarEvents.find((o: any) => o.event.title === 'Booked review').event;
  return { id: booked.id as string, guests: booked.participants.flatMap((p: any) => (p.externalEmail ? [p.externalEmail] : [])).sort() };
};

it('a room and a resource stored as guests by an older pull are no guests after the next sync', async () => {
  await h.remotePut('tara', 'booked-room.ics', BOOKED);
  await h.sync('tara');
  const { id } = await guestsOf();
  // The event as the pull before 838bfd3 stored it: the room and the projector among its guests.
  await h.platform.db
    .insertInto('calendar.event_participants')
    .values([
      { event_id: id, external_email: 'room-4@rooms.example.org', external_name: 'Room 4', status: 'ACCEPTED' },
      { event_id: id, external_email: 'projector-2@rooms.example.org', external_name: 'Projector 2', status: 'PENDING' },
    ])
    .execute();
  expect((await guestsOf()).guests).toEqual(['priya.shah@example.org', 'projector-2@rooms.example.org', 'room-4@rooms.example.org']);
  await calendarMigrations['0013-caldav-reread-guests']!.up(h.platform.db);
  await h.sync('tara');
  expect((await guestsOf()).guests).toEqual(['priya.shah@example.org']);
  // The app's copy still books them as it wrote them.
  const copy = (await h.remoteWith('tara', 'UID:booked-room-1'))!.data.replace(/\r\n[ \t]/g, '');
  expect(copy).toMatch(/ATTENDEE;[^\r\n]*CUTYPE=ROOM[^\r\n]*:mailto:room-4@rooms\.example\.org/);
}, 600_000);
