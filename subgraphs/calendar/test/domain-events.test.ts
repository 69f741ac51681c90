import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../../../platform/events/publish-event.js';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import type { CalendarDatabase } from '../database.js';
import { academyDomainEventDeps, handleDomainEvent, type DomainEventInput } from '../services/domain-event-handler.js';
import { leavePayload, milestonePayload, salesMeetingPayload, taskPayload } from '../../../test/support/erp-event-payloads.js';
import { expectStoredJsonTexts } from './stored-json-texts.js';

let platform: TestPlatform;
let db: Kysely<CalendarDatabase>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false, env: { CALENDAR_CONSUME_EVENTS: 'true' } });
  db = platform.db;
});
afterAll(() => platform?.stop());

const bheem = demoCompanyId('bheem');
const globex = demoCompanyId('globex');
const handle = (event: DomainEventInput) => db.transaction().execute((trx) => handleDomainEvent(trx, event, academyDomainEventDeps(platform.config)));

const eventsOf = (entityId: string) => db.selectFrom('calendar.calendar_events').selectAll().where('entity_id', '=', entityId).execute();
const participantsOf = async (eventId: string) =>
  (await db.selectFrom('calendar.event_participants').selectAll().where('event_id', '=', eventId).orderBy('user_id').orderBy('external_email').execute()).map((p) => ({
    user: p.user_id,
    email: p.external_email,
    name: p.external_name,
    status: p.status,
    organizer: p.is_organizer,
  }));

const calendar = subgraphCaller(() => platform, 'calendar');
const readAs = async (username: string, query: string, variables: Record<string, unknown> = {}) => dataOf(await calendar(username, query, variables));
describe('domain events mirrored as calendar events', () => {
  it('turns a task with a due date into one deadline at its time, however often the event comes', async () => {
    const taskId = randomUUID();
    const created = { topic: 'project.task.created', companyId: bheem, payload: taskPayload(taskId) } as DomainEventInput;
    await handle(created);
    await handle(created);
    const [event, ...others] = await eventsOf(taskId);
    expect(others).toEqual([]);
    expect(event).toMatchObject({
      title: 'Due: Write the report',
      all_day: false,
      event_type: 'TASK_DEADLINE',
      source_module: 'project',
      entity_type: 'task',
      sequence: 0,
      is_cancelled: false,
      completed: false,
    });
    expect([event!.start_time.toISOString(), event!.end_time, event!.timezone]).toEqual(['2026-05-20T15:00:00.000Z', null, 'Asia/Kolkata']);
    expect(await participantsOf(event!.id)).toEqual([{ user: '9', email: null, name: null, status: 'ACCEPTED', organizer: false }]);

    await handle({
      topic: 'project.task.updated',
      companyId: bheem,
      payload: { ...taskPayload(taskId, { due_date: '2026-05-22T09:00:00.000Z' }), changed_fields: ['due_date'] },
    } as DomainEventInput);
    const [moved] = await eventsOf(taskId);
    expect([moved!.start_time.toISOString(), moved!.sequence]).toEqual(['2026-05-22T09:00:00.000Z', 1]);

    await handle({ topic: 'project.task.deleted', companyId: bheem, payload: taskPayload(taskId) } as DomainEventInput);
    await handle({ topic: 'project.task.deleted', companyId: bheem, payload: taskPayload(taskId) } as DomainEventInput);
    const [deleted] = await eventsOf(taskId);
    expect([deleted!.is_cancelled, deleted!.sequence]).toEqual([true, 2]);
  });

  it('dates a deadline in the company\u2019s zone: 20:00Z is 01:30 the next day in Kolkata; a date only is an all-day event on that date', async () => {
    const late = randomUUID();
    await handle({ topic: 'project.task.created', companyId: bheem, payload: taskPayload(late, { due_date: '2026-05-20T20:00:00.000Z' }) } as DomainEventInput);
    const occurrences = await readAs(
      'emil.employee',
      `query { calendarEvents(from: "2026-05-20T00:00:00Z", to: "2026-05-22T00:00:00Z", types: [TASK_DEADLINE]) { start end event { entityId allDay timezone } } }`,
    );
    expect(occurrences.calendarEvents.find((o: any) => o.event.entityId === late)).toEqual({
      start: '2026-05-20T20:00:00.000Z',
      end: null,
      event: { entityId: late, allDay: false, timezone: 'Asia/Kolkata' },
    });

    // Midnight in Kolkata (18:30Z the day before) is how a date without a time arrives.
    const dateOnly = randomUUID();
    await handle({ topic: 'project.task.created', companyId: bheem, payload: taskPayload(dateOnly, { due_date: '2026-05-21T18:30:00.000Z' }) } as DomainEventInput);
    const [event] = await eventsOf(dateOnly);
    expect([event!.all_day, event!.start_time.toISOString(), event!.end_time!.toISOString()]).toEqual([true, '2026-05-22T00:00:00.000Z', '2026-05-23T00:00:00.000Z']);

    // Globex dates its records in New York.
    const globexTask = randomUUID();
    await handle({
      topic: 'project.task.created',
      companyId: globex,
      payload: taskPayload(globexTask, { company_id: globex, due_date: '2026-05-21T04:00:00.000Z', assignee_id: '21' }), // Gina, of Globex
    } as DomainEventInput);
    expect((await eventsOf(globexTask))[0]!.timezone).toBe('America/New_York');
  });

  it('shows a done task and a reached milestone as such, in the API and in iCalendar', async () => {
    const taskId = randomUUID();
    const due = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 7 * 86_400_000 + 600_000).toISOString(); // within the feed's window
    await handle({ topic: 'project.task.created', companyId: bheem, payload: taskPayload(taskId, { due_date: due }) } as DomainEventInput);
    await handle({
      topic: 'project.task.updated',
      companyId: bheem,
      payload: { ...taskPayload(taskId, { due_date: due, status: 'DONE' }), changed_fields: ['status'] },
    } as DomainEventInput);
    const [done] = await eventsOf(taskId);
    expect([done!.title, done!.completed, done!.is_cancelled]).toEqual(['Done: Write the report', true, false]);
    const read = await readAs('emil.employee', `query($id: ID!) { calendarEvent(id: $id) { title completed } }`, { id: done!.id });
    expect(read.calendarEvent).toEqual({ title: 'Done: Write the report', completed: true });

    const milestoneId = randomUUID();
    const milestone = milestonePayload(milestoneId);
    await handle({ topic: 'project.milestone.created', companyId: bheem, payload: milestone } as DomainEventInput);
    await handle({
      topic: 'project.milestone.updated',
      companyId: bheem,
      payload: { ...milestone, completed_at: '2026-06-29T10:00:00.000Z', changed_fields: ['completed_at'] },
    } as DomainEventInput);
    const [reached] = await eventsOf(milestoneId);
    expect([reached!.title, reached!.completed, reached!.all_day, reached!.start_time.toISOString()]).toEqual(['Milestone reached: Beta', true, true, '2026-07-01T00:00:00.000Z']);
    const url = (await readAs('emil.employee', 'mutation { rotateCalendarFeedUrl }')).rotateCalendarFeedUrl;
    const ics = (await (await fetch(new URL(new URL(url).pathname, platform.subgraphs.calendar!.url))).text()).replace(/\r\n[ \t]/g, '');
    const vevent = ics.split('BEGIN:VEVENT').find((part) => part.includes(`X-BHEEM-SOURCE:project/task/${taskId}`))!;
    expect(vevent).toContain('SUMMARY:Done: Write the report\r\n');
    expect(vevent).toContain('X-BHEEM-COMPLETED:TRUE\r\n');
  });

  it('ignores tasks without a due date', async () => {
    const taskId = randomUUID();
    await handle({ topic: 'project.task.created', companyId: bheem, payload: taskPayload(taskId, { due_date: null }) } as DomainEventInput);
    expect(await eventsOf(taskId)).toEqual([]);
  });

  it('mirrors sales meetings with the customer as an outside participant, and their cancellation', async () => {
    const meetingId = randomUUID();
    const payload = salesMeetingPayload(meetingId, {
      customer_name: 'Acme School',
      customer_email: 'head@acme.example',
      location: 'Acme HQ',
      scheduled_at: '2026-06-01T09:00:00.000Z',
      end_at: '2026-06-01T10:30:00.000Z',
    });
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

  it('mirrors milestones and approved leave (spanning its days in the company\u2019s zone, named after the person), and removes cancelled leave', async () => {
    const milestoneId = randomUUID();
    await handle({ topic: 'project.milestone.created', companyId: bheem, payload: milestonePayload(milestoneId) } as DomainEventInput);
    expect((await eventsOf(milestoneId))[0]).toMatchObject({ title: 'Milestone: Beta', event_type: 'MILESTONE', all_day: true, completed: false });

    const leaveId = randomUUID();
    const leave = leavePayload(leaveId);
    await handle({ topic: 'hr.leave.approved', companyId: bheem, payload: leave } as DomainEventInput);
    const [event] = await eventsOf(leaveId);
    expect([event!.title, event!.event_type, event!.start_time.toISOString(), event!.end_time!.toISOString(), event!.organizer_id]).toEqual([
      'Emil Nair on leave',
      'LEAVE',
      '2026-08-03T00:00:00.000Z',
      '2026-08-06T00:00:00.000Z',
      '9',
    ]);
    await handle({ topic: 'hr.leave.cancelled', companyId: bheem, payload: { ...leave, status: 'CANCELLED', previous_status: 'APPROVED' } } as DomainEventInput);
    expect((await eventsOf(leaveId))[0]!.is_cancelled).toBe(true);
  });

  it('gives a scheduled live class the course\u2019s teachers and students (asked of academy), and keeps what an update leaves out', async () => {
    const classId = randomUUID();
    const scheduled = {
      company_id: bheem,
      live_class_id: classId,
      course_id: '101',
      title: 'Vectors, live',
      scheduled_at: '2026-06-10T08:00:00.000Z',
      duration_minutes: 45,
      status: 'SCHEDULED',
      host_user_id: '3',
    };
    await handle({ topic: 'meet.class.scheduled', companyId: bheem, payload: scheduled } as DomainEventInput);
    const [event] = await eventsOf(classId);
    expect(event).toMatchObject({ event_type: 'LIVE_CLASS', course_id: '101', organizer_id: '3', title: 'Vectors, live' });
    expect(event!.end_time!.toISOString()).toBe('2026-06-10T08:45:00.000Z');
    expect((await participantsOf(event!.id)).map((p) => [p.user, p.organizer])).toEqual([
      ['3', true],
      ['5', false],
      ['6', false],
    ]);
    // Sam (a student of the course) now sees it; Neil (not enrolled) does not.
    const seen = async (username: string) => (await calendar(username, `query($id: ID!) { calendarEvent(id: $id) { id } }`, { id: event!.id })).body.data.calendarEvent;
    expect(await seen('sam.student')).toEqual({ id: event!.id });
    expect(await seen('neil.student')).toBeNull();

    await handle({
      topic: 'meet.class.updated',
      companyId: bheem,
      payload: { company_id: bheem, live_class_id: classId, course_id: '101', title: 'Vectors and matrices, live' },
    } as DomainEventInput);
    const [renamed] = await eventsOf(classId);
    expect([renamed!.title, renamed!.start_time.toISOString(), renamed!.end_time!.toISOString()]).toEqual([
      'Vectors and matrices, live',
      '2026-06-10T08:00:00.000Z',
      '2026-06-10T08:45:00.000Z',
    ]);
    await handle({ topic: 'meet.class.cancelled', companyId: bheem, payload: { ...scheduled, status: 'CANCELLED' } } as DomainEventInput);
    expect((await eventsOf(classId))[0]!.is_cancelled).toBe(true);
  });

  it('keeps events in the company they were published for: another company\u2019s course gives no participants', async () => {
    const classId = randomUUID();
    await handle({
      topic: 'meet.class.scheduled',
      companyId: globex,
      payload: { company_id: globex, live_class_id: classId, course_id: '101', title: 'Sneaky', scheduled_at: '2026-06-10T08:00:00.000Z', duration_minutes: 30 },
    } as DomainEventInput);
    const [event] = await eventsOf(classId);
    expect(event!.company_id).toBe(globex);
    expect(await participantsOf(event!.id)).toEqual([]);
  });

  it('lets company admins set the company\u2019s time zone, and everybody read it', async () => {
    expect((await readAs('emil.employee', '{ companyTimeZone }')).companyTimeZone).toBe('Asia/Kolkata');
    const { body } = await calendar('maya.manager', 'mutation { setCompanyTimeZone(timezone: "Europe/Berlin") }');
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await calendar('admin', 'mutation { setCompanyTimeZone(timezone: "Mars/Olympus") }');
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await readAs('admin', 'mutation { setCompanyTimeZone(timezone: "Europe/Berlin") }')).setCompanyTimeZone).toBe('Europe/Berlin');
    const berlin = randomUUID();
    await handle({ topic: 'project.task.created', companyId: bheem, payload: taskPayload(berlin, { due_date: '2026-05-20T22:00:00.000Z' }) } as DomainEventInput);
    const [event] = await eventsOf(berlin);
    expect([event!.all_day, event!.start_time.toISOString()]).toEqual([true, '2026-05-21T00:00:00.000Z']); // midnight in Berlin: a date
    expect((await readAs('globex.admin', '{ companyTimeZone }')).companyTimeZone).toBe('America/New_York');
    await readAs('admin', 'mutation { setCompanyTimeZone(timezone: "Asia/Kolkata") }');
  });

  it('agrees with the ERP\u2019s demo records: the same instants for sales meetings, deadlines and leave', async () => {
    const erp = platform.db;
    const meetings = await erp.selectFrom('erp.sales_meetings').select(['id', 'scheduled_at', 'end_at']).execute();
    const tasks = await erp.selectFrom('erp.tasks').select(['id', 'due_date']).execute();
    const leave = await erp.selectFrom('erp.leave_requests').select(['id', 'start_date']).where('status', '=', 'APPROVED').execute();
    expect(meetings.length * tasks.length * leave.length).toBeGreaterThan(0);
    for (const meeting of meetings) {
      const [event] = await eventsOf(meeting.id);
      expect([event!.start_time.toISOString(), event!.end_time!.toISOString()]).toEqual([meeting.scheduled_at.toISOString(), meeting.end_at.toISOString()]);
    }
    for (const task of tasks) expect((await eventsOf(task.id))[0]!.start_time.toISOString()).toBe(task.due_date.toISOString());
    // Leave starts at midnight in Kolkata: its event is that date.
    const [emil] = await eventsOf(leave[0]!.id);
    expect(emil!.title).toBe('Emil Nair on leave');
    expect(emil!.start_time.toISOString().slice(0, 10)).toBe(new Date(leave[0]!.start_date.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10));
  });

  it('follows the event backbone: a published task appears in the calendar', async () => {
    const taskId = randomUUID();
    await db.transaction().execute((trx) => publishEvent(trx, { topic: 'project.task.created', companyId: bheem, key: taskId, source: 'erp', payload: taskPayload(taskId) }));
    const deadline = Date.now() + 60_000; // a bound for a task that never comes; a busy machine only slows it
    let rows = await eventsOf(taskId);
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await eventsOf(taskId);
    }
    expect(rows.map((row) => [row.event_type, row.start_time.toISOString()])).toEqual([['TASK_DEADLINE', '2026-05-20T15:00:00.000Z']]);
  });
});

describe('the stored JSON texts (migrations/event-json-texts.ts)', () => {
  it('are the scalar\u2019s and JSON.stringify\u2019s texts of every event the domain events wrote (upserts of mirrored records)', async () => {
    expect(await expectStoredJsonTexts(db)).toBeGreaterThan(3);
  });
});
