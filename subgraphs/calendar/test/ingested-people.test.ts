/**
 * Events that Bheem Core feeds in (POST /events/ingest) and the calendar
 * mirrors: a person they name as assignee, owner or employee must be a user
 * of the event's company, as through GraphQL. An event naming anyone else is
 * refused whole (a dead letter saying why), and the calendar stores nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { calendarOutcome, ingestCoreEvent } from '../../../test/support/core-ingest.js';
import { leavePayload, salesMeetingPayload, taskPayload } from '../../../test/support/erp-event-payloads.js';

let platform: TestPlatform;
let db: TestPlatform['db'];
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'calendar'], gateway: false, env: { CALENDAR_CONSUME_EVENTS: 'true' } });
  db = platform.db;
});
afterAll(async () => {
  await platform?.stop();
});

const ingest = (topic: string, payload: Record<string, unknown>) => ingestCoreEvent(platform, topic, payload);
const outcome = (eventId: string) => calendarOutcome(platform, eventId);

const participantsOf = async (entityId: string) =>
  (
    await db
      .selectFrom('calendar.calendar_events as e')
      .innerJoin('calendar.event_participants as p', 'p.event_id', 'e.id')
      .select(['p.user_id', 'e.organizer_id'])
      .where('e.entity_id', '=', entityId)
      .orderBy('p.user_id')
      .execute()
  ).map((row) => [row.user_id, row.organizer_id]);
const eventsOf = async (entityId: string) => (await db.selectFrom('calendar.calendar_events').select('id').where('entity_id', '=', entityId).execute()).length;

describe('people named by ingested events', () => {
  it('mirrors a task assigned to a user of the event\u2019s company', async () => {
    const taskId = randomUUID();
    expect(await outcome(await ingest('project.task.created', taskPayload(taskId, { assignee_id: '9' })))).toEqual({ handled: true, error: null });
    expect(await participantsOf(taskId)).toEqual([['9', null]]);
  });

  it('refuses a task assigned, a meeting owned or leave taken by a user of another company (or nobody): a dead letter, nothing stored', async () => {
    const cases = [
      { topic: 'project.task.created', id: randomUUID(), payload: (id: string) => taskPayload(id, { assignee_id: '20' }) }, // Globex's admin
      { topic: 'sales.meeting.created', id: randomUUID(), payload: (id: string) => salesMeetingPayload(id, { owner_id: '21' }) },
      { topic: 'hr.leave.approved', id: randomUUID(), payload: (id: string) => leavePayload(id, { employee_id: '22' }) },
      { topic: 'project.task.created', id: randomUUID(), payload: (id: string) => taskPayload(id, { assignee_id: '987654' }) }, // no such user
    ];
    for (const { topic, id, payload } of cases) {
      const { handled, error } = await outcome(await ingest(topic, payload(id)));
      expect({ topic, handled }).toEqual({ topic, handled: false });
      expect(error).toMatch(/is not a user of the event\u2019s company/);
      expect({ topic, stored: await eventsOf(id) }).toEqual({ topic, stored: 0 });
    }
  });

  it('refuses reassigning a mirrored task to another company\u2019s user, and keeps the task as it was', async () => {
    const taskId = randomUUID();
    await outcome(await ingest('project.task.created', taskPayload(taskId, { assignee_id: '9' })));
    const moved = await outcome(await ingest('project.task.updated', { ...taskPayload(taskId, { assignee_id: '20' }), changed_fields: ['assignee_id'] }));
    expect(moved.handled).toBe(false);
    expect(await participantsOf(taskId)).toEqual([['9', null]]);
  });
});
