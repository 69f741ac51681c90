/**
 * Reminders: defaults per user and an event's own, as VALARMs in the feed,
 * and as notifications at their time through the event backbone and
 * Subscription.calendarReminder (through the real gateway), sent once also
 * when the scheduler restarts. The scheduler is run with chosen clocks.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { subscribeWs, wsUrlOf } from '../../../gateway/test/subscriptions-support.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import type { CalendarDatabase } from '../database.js';
import { EventRepository } from '../repositories/event-repository.js';
import { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import { ParticipantRepository } from '../repositories/participant-repository.js';
import { ReminderRepository } from '../repositories/reminder-repository.js';
import { ReminderScheduler } from '../services/reminder-scheduler.js';

let platform: TestPlatform;
let db: Kysely<CalendarDatabase>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'] });
  db = platform.db;
});
afterAll(() => platform?.stop());

async function ok(username: string, query: string, variables?: Record<string, unknown>) {
  const result = await platform.query(username, query, variables);
  expect(result.errors).toBeUndefined();
  return result.data;
}
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id reminderMinutes } }`;
/** A scheduler as a freshly started process would have it. */
const scheduler = () =>
  new ReminderScheduler(
    db,
    new ReminderRepository(db),
    new EventRepository(db),
    new ParticipantRepository(db),
    new OccurrenceResponseRepository(db),
    createLogger('reminders-test', 'silent'),
  );
const sentFor = async (eventId: string) =>
  (
    await db
      .selectFrom('events.outbox' as any)
      .select(['payload'])
      .where('topic', '=', 'calendar.event.reminder')
      .execute()
  )
    .map((row: any) => row.payload)
    .filter((payload: any) => payload.event_id === eventId)
    .map((payload: any) => [payload.user_id, payload.minutes_before, payload.occurrence_start])
    .sort();
const at = (iso: string, deltaSeconds: number) => new Date(new Date(iso).getTime() + deltaSeconds * 1000);

describe('reminders', () => {
  it('keeps each user\u2019s defaults, refusing what is not a reminder', async () => {
    expect((await ok('tara.teacher', '{ defaultReminders }')).defaultReminders).toEqual([]);
    expect((await ok('tara.teacher', 'mutation { setDefaultReminders(minutesBefore: [10, 60, 10]) }')).setDefaultReminders).toEqual([60, 10]);
    expect((await ok('tara.teacher', '{ defaultReminders }')).defaultReminders).toEqual([60, 10]);
    expect((await ok('sam.student', '{ defaultReminders }')).defaultReminders).toEqual([]);
    const refused = await platform.query('tara.teacher', 'mutation { setDefaultReminders(minutesBefore: [-5]) }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await platform.query('tara.teacher', CREATE, { input: { title: 'x', start: '2027-01-01T09:00:00Z', reminderMinutes: [1, 2, 3, 4, 5, 6] } });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('writes VALARMs to the feed: the event\u2019s own reminders, else the reader\u2019s defaults', async () => {
    const soon = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3 * 86_400_000);
    const plain = (await ok('tara.teacher', CREATE, { input: { title: 'Plain review', start: soon.toISOString(), end: at(soon.toISOString(), 3600).toISOString() } }))
      .createCalendarEvent;
    expect(plain.reminderMinutes).toBeNull();
    const own = (
      await ok('tara.teacher', CREATE, { input: { title: 'Own review', start: soon.toISOString(), end: at(soon.toISOString(), 3600).toISOString(), reminderMinutes: [45] } })
    ).createCalendarEvent;
    expect(own.reminderMinutes).toEqual([45]);
    const url = (await ok('tara.teacher', 'mutation { rotateCalendarFeedUrl }')).rotateCalendarFeedUrl;
    const ics = (await (await fetch(new URL(new URL(url).pathname, platform.subgraphs.calendar!.url))).text()).replace(/\r\n[ \t]/g, '');
    const vevent = (title: string) => ics.split('BEGIN:VEVENT').find((part) => part.includes(`SUMMARY:${title}`))!;
    const triggers = (part: string) => [...part.matchAll(/TRIGGER;RELATED=START:(-P[^\r]+)/g)].map((m) => m[1]);
    expect(triggers(vevent('Plain review'))).toEqual(['-PT1H', '-PT10M']);
    expect(vevent('Plain review')).toContain('BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Plain review\r\n');
    expect(triggers(vevent('Own review'))).toEqual(['-PT45M']);
    // Clearing the event's own reminders brings the defaults back.
    const { updateCalendarEvent } = await ok('tara.teacher', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { reminderMinutes: null }) { reminderMinutes } }`, {
      id: own.id,
    });
    expect(updateCalendarEvent.reminderMinutes).toBeNull();
  });

  it('notifies each participant who has not declined at the reminder time, once, across restarts', async () => {
    const START = '2027-06-01T10:00:00.000Z'; // a Tuesday: no demo meeting near
    const { id } = (
      await ok('maya.manager', CREATE, {
        input: {
          title: 'Budget call',
          start: START,
          end: '2027-06-01T11:00:00.000Z',
          participantIds: ['3', '9', '5'],
          reminderMinutes: [15],
        },
      })
    ).createCalendarEvent;
    await ok('emil.employee', `mutation($id: ID!) { respondToEvent(eventId: $id, status: DECLINED) { status } }`, { id });

    const url = wsUrlOf(platform.gateway!.url);
    const tara = subscribeWs(url, await platform.tokenFor('tara.teacher'), 'subscription { calendarReminder { event { id title } occurrenceStart minutesBefore remindAt } }');
    const emil = subscribeWs(url, await platform.tokenFor('emil.employee'), 'subscription { calendarReminder { event { id } } }');
    await expect.poll(() => activeSubscriptions('calendar'), { timeout: 60_000 }).toBe(2);

    const reminderTime = at(START, -15 * 60).toISOString();
    expect(await scheduler().deliverDue(at(reminderTime, -20))).toBe(0);
    expect(await sentFor(id)).toEqual([]);
    const first = scheduler();
    await first.deliverDue(at(reminderTime, 20));
    const expected = [
      ['3', 15, START],
      ['5', 15, START],
      ['8', 15, START],
    ];
    expect(await sentFor(id)).toEqual(expected);
    expect((await tara.event(1)).data.calendarReminder).toEqual({ event: { id, title: 'Budget call' }, occurrenceStart: START, minutesBefore: 15, remindAt: reminderTime });

    // Again, and from a restarted process: nothing more.
    await first.deliverDue(at(reminderTime, 40));
    await scheduler().deliverDue(at(reminderTime, 60));
    expect(await sentFor(id)).toEqual(expected);
    // Even when the progress row is lost, the deliveries' keys hold.
    await db.deleteFrom('calendar.reminder_progress').execute();
    await db
      .insertInto('calendar.reminder_progress')
      .values({ id: 1, sent_until: at(reminderTime, -600) })
      .execute();
    await scheduler().deliverDue(at(reminderTime, 70));
    expect(await sentFor(id)).toEqual(expected);

    // Fell due while nothing ran: a restarted process sends it late (within the hour), once.
    const LATER = '2027-06-02T10:00:00.000Z';
    const { id: later } = (await ok('maya.manager', CREATE, { input: { title: 'Follow-up', start: LATER, end: '2027-06-02T10:30:00.000Z', reminderMinutes: [30] } }))
      .createCalendarEvent;
    await scheduler().deliverDue(at(LATER, -45 * 60));
    await scheduler().deliverDue(at(LATER, -10 * 60));
    expect(await sentFor(later)).toEqual([['8', 30, LATER]]);

    expect(emil.events).toHaveLength(0);
    expect(tara.events).toHaveLength(1);
    tara.dispose();
    emil.dispose();
  });
});
