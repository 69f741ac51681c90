/**
 * Bheem Core's events may reach /events/ingest out of order (a retry after a
 * newer change, a delete before the create it follows). The ERP's record
 * carries `updated_at`: the calendar mirrors the newest version it has seen
 * and never brings back a deleted record with an older one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { calendarOutcome, ingestCoreEvent } from '../../../test/support/core-ingest.js';
import { leavePayload, milestonePayload, taskPayload } from '../../../test/support/erp-event-payloads.js';

let platform: TestPlatform;
let db: TestPlatform['db'];
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'calendar'], gateway: false, env: { CALENDAR_CONSUME_EVENTS: 'true' } });
  db = platform.db;
});
afterAll(async () => {
  await platform?.stop();
});

const earlier = '2026-05-01T10:00:00.000Z';
const later = '2026-05-01T11:00:00.000Z';

/** Ingests the event and waits until the calendar has handled it (a dead letter fails the test). */
async function ingest(topic: string, payload: Record<string, unknown>): Promise<void> {
  const { handled, error } = await calendarOutcome(platform, await ingestCoreEvent(platform, topic, payload));
  if (!handled) throw new Error(`dead letter: ${error}`);
}

const mirrored = (entityId: string) =>
  db.selectFrom('calendar.calendar_events').select(['title', 'is_cancelled']).where('entity_id', '=', entityId).where('parent_id', 'is', null).executeTakeFirst();

describe('ERP events out of order', () => {
  it('keeps the newer version of a task when an older update comes after it', async () => {
    const taskId = randomUUID();
    await ingest('project.task.updated', taskPayload(taskId, { task_name: 'Newer name', updated_at: later, changed_fields: ['task_name'] }));
    await ingest('project.task.updated', taskPayload(taskId, { task_name: 'Older name', updated_at: earlier, changed_fields: ['task_name'] }));
    expect(await mirrored(taskId)).toEqual({ title: 'Due: Newer name', is_cancelled: false });
  });

  it('does not bring back a deleted task, milestone or leave with an older create', async () => {
    const taskId = randomUUID();
    await ingest('project.task.deleted', taskPayload(taskId, { updated_at: later }));
    await ingest('project.task.created', taskPayload(taskId, { updated_at: earlier }));
    expect(await mirrored(taskId)).toBeUndefined();

    const milestoneId = randomUUID();
    await ingest('project.milestone.created', milestonePayload(milestoneId, { updated_at: earlier }));
    await ingest('project.milestone.deleted', milestonePayload(milestoneId, { updated_at: later }));
    await ingest('project.milestone.updated', milestonePayload(milestoneId, { milestone_name: 'Stale', updated_at: earlier, changed_fields: ['milestone_name'] }));
    expect(await mirrored(milestoneId)).toMatchObject({ is_cancelled: true });

    const leaveId = randomUUID();
    await ingest('hr.leave.cancelled', leavePayload(leaveId, { status: 'CANCELLED', previous_status: 'APPROVED', updated_at: later }));
    await ingest('hr.leave.approved', leavePayload(leaveId, { updated_at: earlier }));
    expect(await mirrored(leaveId)).toBeUndefined();
  });

  it('follows a newer version after a delete (the record came back) and equal versions as they come', async () => {
    const taskId = randomUUID();
    await ingest('project.task.deleted', taskPayload(taskId, { updated_at: earlier }));
    await ingest('project.task.created', taskPayload(taskId, { task_name: 'Restored', updated_at: later }));
    expect(await mirrored(taskId)).toEqual({ title: 'Due: Restored', is_cancelled: false });
    await ingest('project.task.updated', taskPayload(taskId, { task_name: 'Same instant', updated_at: later, changed_fields: ['task_name'] }));
    expect(await mirrored(taskId)).toEqual({ title: 'Due: Same instant', is_cancelled: false });
    await ingest('project.task.deleted', taskPayload(taskId, { updated_at: later }));
    expect(await mirrored(taskId)).toMatchObject({ is_cancelled: true });
  });
});
