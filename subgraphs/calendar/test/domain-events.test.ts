import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../../platform/database/connection.js';
import { publishEvent } from '../../../platform/events/publish-event.js';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import type { CalendarDatabase } from '../database.js';
import { academyCourseParticipants, handleDomainEvent, type DomainEventInput } from '../services/domain-event-handler.js';

let platform: TestPlatform;
let db: ReturnType<typeof createKysely<CalendarDatabase>>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false, env: { CALENDAR_CONSUME_EVENTS: 'true' } });
  db = createKysely<CalendarDatabase>(platform.database.url);
});
afterAll(() => platform?.stop());

const bheem = demoCompanyId('bheem');
const globex = demoCompanyId('globex');
const handle = (event: DomainEventInput) =>
  db.transaction().execute((trx) => handleDomainEvent(trx, event, { courseParticipants: academyCourseParticipants(platform.config) }));

const eventsOf = (entityId: string) =>
  db.selectFrom('calendar.calendar_events').selectAll().where('entity_id', '=', entityId).execute();
const participantsOf = async (eventId: string) =>
  (await db.selectFrom('calendar.event_participants').selectAll().where('event_id', '=', eventId).orderBy('user_id').orderBy('external_email').execute())
    .map((p) => ({ user: p.user_id, email: p.external_email, name: p.external_name, status: p.status, organizer: p.is_organizer }));

const stamp = '2026-05-01T10:00:00.000Z';
function taskPayload(taskId: string, changes: Record<string, unknown> = {}) {
  return {
    company_id: bheem, actor_id: '8', task_id: taskId, task_name: 'Write the report', description: null, status: 'TODO',
    due_date: '2026-05-20T15:00:00.000Z', project_id: randomUUID(), project_name: 'Reports', assignee_id: '9', created_at: stamp, updated_at: stamp, ...changes,
  };
}

describe('domain events mirrored as calendar events', () => {
  it('turns a task with a due date into one all-day deadline, however often the event comes', async () => {
    const taskId = randomUUID();
    const created = { topic: 'project.task.created', companyId: bheem, payload: taskPayload(taskId) } as DomainEventInput;
    await handle(created);
    await handle(created);
    const [event, ...others] = await eventsOf(taskId);
    expect(others).toEqual([]);
    expect(event).toMatchObject({ title: 'Due: Write the report', all_day: true, event_type: 'TASK_DEADLINE', source_module: 'project', entity_type: 'task', sequence: 0, is_cancelled: false });
    expect(event!.start_time.toISOString()).toBe('2026-05-20T00:00:00.000Z');
    expect(event!.end_time!.toISOString()).toBe('2026-05-21T00:00:00.000Z');
    expect(await participantsOf(event!.id)).toEqual([{ user: '9', email: null, name: null, status: 'ACCEPTED', organizer: false }]);

    await handle({ topic: 'project.task.updated', companyId: bheem, payload: { ...taskPayload(taskId, { due_date: '2026-05-22T09:00:00.000Z' }), changed_fields: ['due_date'] } } as DomainEventInput);
    const [moved] = await eventsOf(taskId);
    expect([moved!.start_time.toISOString(), moved!.sequence]).toEqual(['2026-05-22T00:00:00.000Z', 1]);

    await handle({ topic: 'project.task.deleted', companyId: bheem, payload: taskPayload(taskId) } as DomainEventInput);
    await handle({ topic: 'project.task.deleted', companyId: bheem, payload: taskPayload(taskId) } as DomainEventInput);
    const [deleted] = await eventsOf(taskId);
    expect([deleted!.is_cancelled, deleted!.sequence]).toEqual([true, 2]);
  });

  it('ignores tasks without a due date', async () => {
    const taskId = randomUUID();
    await handle({ topic: 'project.task.created', companyId: bheem, payload: taskPayload(taskId, { due_date: null }) } as DomainEventInput);
    expect(await eventsOf(taskId)).toEqual([]);
  });

  it('mirrors sales meetings with the customer as an outside participant, and their cancellation', async () => {
    const meetingId = randomUUID();
    const payload = {
      company_id: bheem, actor_id: '8', meeting_id: meetingId, customer_name: 'Acme School', customer_email: 'head@acme.example', location: 'Acme HQ',
      description: null, scheduled_at: '2026-06-01T09:00:00.000Z', end_at: '2026-06-01T10:30:00.000Z', owner_id: '8', status: 'SCHEDULED',
      cancellation_reason: null, created_at: stamp, updated_at: stamp,
    };
    await handle({ topic: 'sales.meeting.created', companyId: bheem, payload } as DomainEventInput);
    const [event] = await eventsOf(meetingId);
    expect(event).toMatchObject({ title: 'Meeting: Acme School', event_type: 'MEETING', location: 'Acme HQ', organizer_id: '8', all_day: false });
    expect(event!.end_time!.toISOString()).toBe('2026-06-01T10:30:00.000Z');
    expect(await participantsOf(event!.id)).toEqual([
      { user: '8', email: null, name: null, status: 'ACCEPTED', organizer: true },
      { user: null, email: 'head@acme.example', name: 'Acme School', status: 'PENDING', organizer: false },
    ]);
    await handle({ topic: 'sales.meeting.cancelled', companyId: bheem, payload: { ...payload, status: 'CANCELLED' } } as DomainEventInput);
    expect((await eventsOf(meetingId))[0]!.is_cancelled).toBe(true);
  });

  it('mirrors milestones and approved leave (spanning its days), and removes cancelled leave', async () => {
    const milestoneId = randomUUID();
    await handle({ topic: 'project.milestone.created', companyId: bheem, payload: {
      company_id: bheem, milestone_id: milestoneId, milestone_name: 'Beta', description: null, due_date: '2026-07-01T00:00:00.000Z', completed_at: null,
      project_id: randomUUID(), project_name: 'Site', created_at: stamp, updated_at: stamp,
    } } as DomainEventInput);
    expect((await eventsOf(milestoneId))[0]).toMatchObject({ title: 'Milestone: Beta', event_type: 'MILESTONE', all_day: true });

    const leaveId = randomUUID();
    const leave = {
      company_id: bheem, leave_id: leaveId, employee_id: '9', start_date: '2026-08-03T00:00:00.000Z', end_date: '2026-08-06T00:00:00.000Z', status: 'APPROVED',
      leave_type: 'ANNUAL', reason: null, reviewed_by: '8', reviewed_at: stamp, review_comment: null, created_at: stamp, updated_at: stamp,
    };
    await handle({ topic: 'hr.leave.approved', companyId: bheem, payload: leave } as DomainEventInput);
    const [event] = await eventsOf(leaveId);
    expect([event!.event_type, event!.start_time.toISOString(), event!.end_time!.toISOString(), event!.organizer_id]).toEqual(['LEAVE', '2026-08-03T00:00:00.000Z', '2026-08-06T00:00:00.000Z', '9']);
    await handle({ topic: 'hr.leave.cancelled', companyId: bheem, payload: { ...leave, status: 'CANCELLED', previous_status: 'APPROVED' } } as DomainEventInput);
    expect((await eventsOf(leaveId))[0]!.is_cancelled).toBe(true);
  });

  it('gives a scheduled live class the course\u2019s teachers and students (asked of academy), and keeps what an update leaves out', async () => {
    const classId = randomUUID();
    const scheduled = { company_id: bheem, live_class_id: classId, course_id: '101', title: 'Vectors, live', scheduled_at: '2026-06-10T08:00:00.000Z', duration_minutes: 45, status: 'SCHEDULED', host_user_id: '3' };
    await handle({ topic: 'meet.class.scheduled', companyId: bheem, payload: scheduled } as DomainEventInput);
    const [event] = await eventsOf(classId);
    expect(event).toMatchObject({ event_type: 'LIVE_CLASS', course_id: '101', organizer_id: '3', title: 'Vectors, live' });
    expect(event!.end_time!.toISOString()).toBe('2026-06-10T08:45:00.000Z');
    expect((await participantsOf(event!.id)).map((p) => [p.user, p.organizer])).toEqual([['3', true], ['5', false], ['6', false]]);
    // Sam (a student of the course) now sees it; Neil (not enrolled) does not.
    const seen = async (username: string) => (await callSubgraph({
      url: platform.subgraphs.calendar!.url, audience: 'calendar', secret: platform.config.internalSigningSecret, viewer: demoViewer(username),
      query: `query($id: ID!) { calendarEvent(id: $id) { id } }`, variables: { id: event!.id },
    })).body.data.calendarEvent;
    expect(await seen('sam.student')).toEqual({ id: event!.id });
    expect(await seen('neil.student')).toBeNull();

    await handle({ topic: 'meet.class.updated', companyId: bheem, payload: { company_id: bheem, live_class_id: classId, course_id: '101', title: 'Vectors and matrices, live' } } as DomainEventInput);
    const [renamed] = await eventsOf(classId);
    expect([renamed!.title, renamed!.start_time.toISOString(), renamed!.end_time!.toISOString()]).toEqual(['Vectors and matrices, live', '2026-06-10T08:00:00.000Z', '2026-06-10T08:45:00.000Z']);
    await handle({ topic: 'meet.class.cancelled', companyId: bheem, payload: { ...scheduled, status: 'CANCELLED' } } as DomainEventInput);
    expect((await eventsOf(classId))[0]!.is_cancelled).toBe(true);
  });

  it('keeps events in the company they were published for: another company\u2019s course gives no participants', async () => {
    const classId = randomUUID();
    await handle({ topic: 'meet.class.scheduled', companyId: globex, payload: { company_id: globex, live_class_id: classId, course_id: '101', title: 'Sneaky', scheduled_at: '2026-06-10T08:00:00.000Z', duration_minutes: 30 } } as DomainEventInput);
    const [event] = await eventsOf(classId);
    expect(event!.company_id).toBe(globex);
    expect(await participantsOf(event!.id)).toEqual([]);
  });

  it('follows the event backbone: a published task appears in the calendar', async () => {
    const taskId = randomUUID();
    await db.transaction().execute((trx) =>
      publishEvent(trx, { topic: 'project.task.created', companyId: bheem, key: taskId, source: 'erp', payload: taskPayload(taskId) }),
    );
    const deadline = Date.now() + 60_000; // a bound for a task that never comes; a busy machine only slows it
    let rows = await eventsOf(taskId);
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await eventsOf(taskId);
    }
    expect(rows.map((row) => [row.event_type, row.start_time.toISOString()])).toEqual([['TASK_DEADLINE', '2026-05-20T00:00:00.000Z']]);
  });
});
