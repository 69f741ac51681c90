/**
 * Subscription.calendarEventChanged through the real gateway with the
 * graphql-ws client: an event created with the createCalendarEvent mutation
 * reaches its participant with fields of calendar and academy, and neither a
 * non-participant who may not see it nor a user of another company; a
 * cancellation arrives as one more change; the type filter holds.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { subscribeWs, wsUrlOf } from '../../../gateway/test/subscriptions-support.js';

const CHANGES = `subscription($eventTypes: [EventType!], $from: DateTime, $to: DateTime) {
  calendarEventChanged(eventTypes: $eventTypes, from: $from, to: $to) {
    id title eventType isCancelled
    organizer { id fullName }
    participants { user { id } isOrganizer }
  }
}`;
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const CANCEL = `mutation($id: ID!) { cancelCalendarEvent(id: $id) { id } }`;

let platform: TestPlatform;
let url: string;

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'] });
  url = wsUrlOf(platform.gateway!.url);
});
afterAll(async () => {
  await platform?.stop();
});

async function create(username: string, input: Record<string, unknown>): Promise<string> {
  const result = await platform.query(username, CREATE, { input: { start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z', eventType: 'MEETING', ...input } });
  expect(result.errors).toBeUndefined();
  return result.data.createCalendarEvent.id;
}

/** Until calendar serves `count` upstream subscriptions (one per caller and operation). */
const waitUntilSubscribed = (count: number) => expect.poll(() => activeSubscriptions('calendar'), { timeout: 60_000 }).toBe(count);

describe('calendarEventChanged through the gateway', () => {
  beforeEach(() => waitUntilSubscribed(0));

  it('delivers a created event to its participant only, with academy fields, then its cancellation', async () => {
    const token = (username: string) => platform.tokenFor(username);
    const sam = subscribeWs(url, await token('sam.student'), CHANGES); // invited
    const neil = subscribeWs(url, await token('neil.student'), CHANGES); // same company, not invited
    const emil = subscribeWs(url, await token('emil.employee'), CHANGES); // an employee: meetings only when invited
    const globex = subscribeWs(url, await token('globex.admin'), CHANGES); // another company's admin
    await waitUntilSubscribed(4);

    const meeting = await create('tara.teacher', { title: 'Lab safety briefing', participantIds: ['5'] });
    const first = await sam.event(1);
    expect(first.errors).toBeUndefined();
    expect(first.data.calendarEventChanged).toMatchObject({
      id: meeting,
      title: 'Lab safety briefing',
      eventType: 'MEETING',
      isCancelled: false,
      organizer: { id: '3', fullName: 'Tara Iyer' },
    });
    expect(first.data.calendarEventChanged.participants.map((p: any) => p.user.id).sort()).toEqual(['3', '5']);

    // Later events these callers may see arrive as their first: the meeting never reached them.
    const neilsMeeting = await create('tara.teacher', { title: 'Office hour', participantIds: ['7', '9'] });
    expect((await neil.event(1)).data.calendarEventChanged.id).toBe(neilsMeeting);
    expect((await emil.event(1)).data.calendarEventChanged.id).toBe(neilsMeeting);
    const globexEvent = await create('globex.admin', { title: 'Globex all-hands' });
    expect((await globex.event(1)).data.calendarEventChanged).toMatchObject({ id: globexEvent, organizer: { fullName: 'Greta Lind' } });

    expect((await platform.query('tara.teacher', CANCEL, { id: meeting })).errors).toBeUndefined();
    expect((await sam.event(2)).data.calendarEventChanged).toMatchObject({ id: meeting, isCancelled: true });
    expect(sam.events).toHaveLength(2);
    expect(neil.events).toHaveLength(1);
    expect(emil.events).toHaveLength(1);
    expect(globex.events).toHaveLength(1);
    for (const subscription of [sam, neil, emil, globex]) subscription.dispose();
  });

  it('filters by event type and range', async () => {
    const reminders = subscribeWs(url, await platform.tokenFor('sam.student'), CHANGES, { eventTypes: ['REMINDER'], from: '2027-05-01T00:00:00Z', to: '2027-06-01T00:00:00Z' });
    await waitUntilSubscribed(1);
    await create('sam.student', { title: 'A meeting in May', start: '2027-05-10T09:00:00Z', end: '2027-05-10T10:00:00Z' });
    await create('sam.student', { title: 'A reminder in July', eventType: 'REMINDER', start: '2027-07-10T09:00:00Z', end: null });
    const may = await create('sam.student', { title: 'A reminder in May', eventType: 'REMINDER', start: '2027-05-11T09:00:00Z', end: null });
    expect((await reminders.event(1)).data.calendarEventChanged).toMatchObject({ id: may, title: 'A reminder in May' });
    expect(reminders.events).toHaveLength(1);
    reminders.dispose();
  });
});
