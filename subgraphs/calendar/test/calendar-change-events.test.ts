/**
 * calendar.event.* in the outbox: published by the calendar's own writes and
 * by mirrored domain records, in the writer's transaction, once per actual
 * change (a redelivered, unchanged record announces nothing).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import type { CalendarDatabase } from '../database.js';
import { academyDomainEventDeps, handleDomainEvent, type DomainEventInput } from '../services/domain-event-handler.js';
import { taskPayload } from '../../../test/support/erp-event-payloads.js';

let platform: TestPlatform;
let db: Kysely<CalendarDatabase>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  db = platform.db;
});
afterAll(() => platform?.stop());

const bheem = demoCompanyId('bheem');

async function published(entityKey: string): Promise<{ topic: string; payload: any }[]> {
  const { rows } = await sql<{ topic: string; payload: any }>`
    SELECT topic, payload FROM events.outbox WHERE topic LIKE 'calendar.event.%' AND entity_key = ${entityKey} ORDER BY position`.execute(db);
  return rows;
}

const calendar = subgraphCaller(() => platform, 'calendar');
const ok = async (username: string, query: string, variables: Record<string, unknown>) => dataOf(await calendar(username, query, variables));

describe('calendar.event.* topics', () => {
  it('announces a created, changed and cancelled own event with its participants', async () => {
    const { createCalendarEvent: event } = await ok('tara.teacher', `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
      input: { title: 'Parents evening', start: '2027-02-01T17:00:00Z', end: '2027-02-01T19:00:00Z', eventType: 'MEETING', participantIds: ['4', '8'] },
    });
    await ok('tara.teacher', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Parents evening (hall)" }) { id } }`, { id: event.id });
    await ok('tara.teacher', `mutation($id: ID!) { cancelCalendarEvent(id: $id) { id } }`, { id: event.id });
    const rows = await published(event.id);
    expect(rows.map((row) => row.topic)).toEqual(['calendar.event.created', 'calendar.event.updated', 'calendar.event.cancelled']);
    expect(rows[0]!.payload).toMatchObject({
      event_id: event.id,
      company_id: bheem,
      event_type: 'MEETING',
      source_module: null,
      title: 'Parents evening',
      start: '2027-02-01T17:00:00.000Z',
      end: '2027-02-01T19:00:00.000Z',
      is_cancelled: false,
      organizer_id: '3',
    });
    expect([...rows[0]!.payload.participant_user_ids].sort()).toEqual(['3', '4', '8']);
    expect(rows[1]!.payload.title).toBe('Parents evening (hall)');
    expect(rows[2]!.payload.is_cancelled).toBe(true);
  });

  it('announces a mirrored record once per change, and nothing when a refused write rolls back', async () => {
    const taskId = randomUUID();
    const payload = taskPayload(taskId, { task_name: 'Grade essays', due_date: '2027-05-20T15:00:00.000Z', project_name: 'Term' });
    const handle = (event: DomainEventInput) => db.transaction().execute((trx) => handleDomainEvent(trx, event, academyDomainEventDeps(platform.config)));
    await handle({ topic: 'project.task.created', companyId: bheem, payload } as DomainEventInput);
    await handle({ topic: 'project.task.created', companyId: bheem, payload } as DomainEventInput); // redelivered
    await handle({ topic: 'project.task.deleted', companyId: bheem, payload } as DomainEventInput);
    await handle({ topic: 'project.task.deleted', companyId: bheem, payload } as DomainEventInput);
    const [mirrored] = await db.selectFrom('calendar.calendar_events').select('id').where('entity_id', '=', taskId).execute();
    const rows = await published(mirrored!.id);
    expect(rows.map((row) => row.topic)).toEqual(['calendar.event.created', 'calendar.event.cancelled']);
    expect(rows[0]!.payload).toMatchObject({ event_type: 'TASK_DEADLINE', source_module: 'project', entity_type: 'task', entity_id: taskId, participant_user_ids: ['9'] });

    // A transaction that fails after the write publishes nothing.
    const rolledBack = randomUUID();
    await expect(
      db.transaction().execute(async (trx) => {
        await handleDomainEvent(trx, { topic: 'project.task.created', companyId: bheem, payload: { ...payload, task_id: rolledBack } } as DomainEventInput, {
          courseParticipants: async () => null,
          userName: async () => null,
          outsiders: async () => [],
        });
        throw new Error('later failure');
      }),
    ).rejects.toThrow('later failure');
    const { rows: leaked } = await sql`SELECT 1 FROM events.outbox WHERE payload->>'entity_id' = ${rolledBack}`.execute(db);
    expect(leaked).toEqual([]);
  });
});
