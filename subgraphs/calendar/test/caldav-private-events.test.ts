/**
 * Events a user marks private (CLASS:PRIVATE) or confidential in their own
 * calendar app: synced from their real Radicale calendar, the user sees them
 * in full, while admins and managers who see the user's calendar see only a
 * busy time, on every way out (the event backbone, which every consumer of
 * the company's bus reads, included). The class travels back with Bheem's pushes.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { EventRepository } from '../repositories/event-repository.js';
import { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import { ParticipantRepository } from '../repositories/participant-repository.js';
import { ReminderRepository } from '../repositories/reminder-repository.js';
import { ReminderScheduler } from '../services/reminder-scheduler.js';
import { useCalDAVHarness, USER_IDS, type Person } from './caldav-harness.js';

const h = useCalDAVHarness(['tara']);
const put = (name: string, lines: string[]) => h.remotePut('tara', name, [...lines, ''].join('\r\n'));
const FROM = '2026-07-01T00:00:00Z';
const TO = '2026-07-10T00:00:00Z';
const EVENT_FIELDS = 'id externalId title description location metadata participants { externalEmail externalName }';
const occurrences = async (user: Person) =>
  (
    await h.ok(user, `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start end participants { externalEmail } event { ${EVENT_FIELDS} } } }`, {
      from: FROM,
      to: TO,
    })
  ).calendarEvents.filter((o: any) => o.event.externalId?.endsWith('@nextcloud'));
const entity = async (user: Person, id: string) =>
  (await h.ok(user, `query($r: [_Any!]!) { _entities(representations: $r) { ... on CalendarEvent { ${EVENT_FIELDS} } } }`, { r: [{ __typename: 'CalendarEvent', id }] }))
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
  await put('private.ics', object('private-1@nextcloud', 'PRIVATE', '02'));
  await put('confidential.ics', object('confidential-1@nextcloud', 'CONFIDENTIAL', '03'));
  await h.sync('tara');
});

describe('private and confidential events of a synced calendar', () => {
  it('the owner sees them in full', async () => {
    const own = await occurrences('tara');
    expect(own.map((o: any) => o.event.title)).toEqual(['Therapy session PRIVATE', 'Therapy session CONFIDENTIAL']);
    for (const o of own) {
      expect(o.event.description).toBe('Dr. Weiss, second floor');
      expect(o.event.location).toBe('Praxis am Park');
      expect(o.event.participants.map((p: any) => p.externalEmail)).toContain('dr.weiss@example.org');
    }
  });

  it('admins and managers see only a busy time: no title, description, location or attendees', async () => {
    for (const user of ['admin', 'maya'] as const) {
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
      await h.ok('admin', `query($u: [ID!]!, $from: DateTime!, $to: DateTime!) { freeBusy(userIds: $u, from: $from, to: $to) { busy { start end } } }`, {
        u: [USER_IDS.tara],
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
    const [own] = await occurrences('tara');
    await h.ok('tara', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Therapy (moved room)" }) { id } }`, { id: own.event.id });
    await h.sync('tara');
    const pushed = (await h.remoteWith('tara', 'SUMMARY:Therapy (moved room)'))!;
    expect(pushed.data).toMatch(/^CLASS:PRIVATE\r?$/m);
    expect((await occurrences('admin'))[0].event.title).toBe('Busy');
  });

  it('the event backbone tells them as others see them: "Busy", no participants, their class', async () => {
    const own = await occurrences('tara');
    const ids = own.map((o: any) => o.event.id);
    const { db } = h.platform;
    const published = async (topic: string) => {
      const { rows } = await sql<{ topic: string; payload: any }>`
        SELECT topic, payload FROM events.outbox WHERE topic LIKE ${topic} AND payload->>'event_id' = ANY(${ids}) ORDER BY position`.execute(db);
      return rows;
    };
    // Announced by the pull that brought them, and by the change made here above.
    const changes = await published('calendar.event.%');
    const told = changes.map((row) => [row.topic, row.payload.class, row.payload.title, row.payload.participant_user_ids]);
    expect(told.sort()).toEqual([
      ['calendar.event.created', 'CONFIDENTIAL', 'Busy', []],
      ['calendar.event.created', 'PRIVATE', 'Busy', []],
      ['calendar.event.updated', 'PRIVATE', 'Busy', []],
    ]);
    const privateOne = changes.find((row) => row.payload.class === 'PRIVATE')!.payload;
    expect(privateOne).toMatchObject({ start: '2026-07-02T09:00:00.000Z', end: '2026-07-02T10:00:00.000Z', organizer_id: USER_IDS.tara, event_type: 'CUSTOM' });

    // A reminder names whom it is for; its title stays withheld on the bus too.
    await h.ok('tara', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { reminderMinutes: [10] }) { id } }`, { id: ids[1] });
    const reminders = new ReminderScheduler(
      db,
      new ReminderRepository(db),
      new EventRepository(db),
      new ParticipantRepository(db),
      new OccurrenceResponseRepository(db),
      createLogger('private-reminders-test', 'silent'),
    );
    expect(await reminders.deliverDue(new Date('2026-07-03T08:50:20Z'))).toBe(1);
    const [reminder] = await published('calendar.event.reminder');
    expect(reminder!.payload).toMatchObject({ user_id: USER_IDS.tara, title: 'Busy', class: 'CONFIDENTIAL', minutes_before: 10 });
    expect(JSON.stringify([...changes, reminder])).not.toMatch(/Therapy|Weiss|Praxis/);
  });
});
