import { describe, expect, it } from 'vitest';
import { DEMO_COMPANIES } from '../../../platform/demo/demo-ids.js';
import { DEMO, inDays, type OutboxRow, useErpPlatform } from './erp-test-kit.js';

const erp = useErpPlatform();

const BHEEM = DEMO_COMPANIES.bheem.id;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Runs a mutation that must succeed; returns its data and the one event it published. */
async function mutate(username: string, query: string, variables: Record<string, unknown>) {
  const mark = await erp.db.outboxMark();
  const { data, errors } = await erp.call(username, query, variables);
  expect(errors).toBeUndefined();
  const events = await erp.db.eventsSince(mark);
  return { data, events };
}

/** The one event, written by the same transaction that last wrote the row. */
async function expectOneEventWithRow(events: OutboxRow[], table: string, id: string, topic: string): Promise<OutboxRow> {
  expect(events.map((event) => event.topic)).toEqual([topic]);
  const [event] = events;
  expect(event).toMatchObject({ topic, entity_key: id, company_id: BHEEM, source: 'erp' });
  expect(event!.payload.company_id).toBe(BHEEM);
  expect(await erp.db.writerOf(table, id)).toBe(event!.xid);
  return event!;
}

const CREATE_TASK = `mutation($input: CreateTaskInput!) {
  createTask(input: $input) { id title description status dueDate projectId project { name } assignee { id } createdAt updatedAt }
}`;
const UPDATE_TASK = 'mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { id title status dueDate assignee { id } } }';

describe('erp mutations publish their domain event in the same transaction', () => {
  it('creates a task and publishes project.task.created with Bheem Core\u2019s field names', async () => {
    const dueDate = '2031-03-14T17:00:00.000Z';
    const { data, events } = await mutate('maya.manager', CREATE_TASK, {
      input: { projectId: DEMO.websiteProject, title: '  Write the launch post ', dueDate, assigneeId: '9', description: 'For the blog' },
    });
    const task = data.createTask;
    expect(task).toMatchObject({
      title: 'Write the launch post',
      description: 'For the blog',
      status: 'TODO',
      dueDate,
      projectId: DEMO.websiteProject,
      project: { name: 'Campus website relaunch' },
      assignee: { id: '9' },
    });
    const event = await expectOneEventWithRow(events, 'tasks', task.id, 'project.task.created');
    expect(event.payload).toEqual({
      company_id: BHEEM,
      actor_id: '8',
      task_id: task.id,
      task_name: 'Write the launch post',
      description: 'For the blog',
      status: 'TODO',
      due_date: dueDate,
      project_id: DEMO.websiteProject,
      project_name: 'Campus website relaunch',
      assignee_id: '9',
      created_at: task.createdAt,
      updated_at: task.updatedAt,
    });
    const read = await erp.call('emil.employee', `query($id: ID!) { task(id: $id) { title } }`, { id: task.id });
    expect(read.data.task).toEqual({ title: 'Write the launch post' });
  });

  it('updates a task (manager: any field; assignee: the status) with project.task.updated and the changed fields', async () => {
    const created = await erp.call('admin', CREATE_TASK, { input: { projectId: DEMO.labProject, title: 'Calibrate scales', assigneeId: '9' } });
    const id = created.data.createTask.id;

    const byManager = await mutate('maya.manager', UPDATE_TASK, { id, input: { dueDate: '2031-01-01T09:00:00+02:00', title: 'Calibrate the scales' } });
    expect(byManager.data.updateTask).toMatchObject({ title: 'Calibrate the scales', dueDate: '2031-01-01T07:00:00.000Z' });
    const managerEvent = await expectOneEventWithRow(byManager.events, 'tasks', id, 'project.task.updated');
    expect(managerEvent.payload).toMatchObject({
      task_id: id,
      task_name: 'Calibrate the scales',
      due_date: '2031-01-01T07:00:00.000Z',
      actor_id: '8',
      project_name: 'Physics lab equipment',
    });
    expect((managerEvent.payload.changed_fields as string[]).sort()).toEqual(['due_date', 'task_name']);

    const byAssignee = await mutate('emil.employee', UPDATE_TASK, { id, input: { status: 'DONE' } });
    expect(byAssignee.data.updateTask.status).toBe('DONE');
    const assigneeEvent = await expectOneEventWithRow(byAssignee.events, 'tasks', id, 'project.task.updated');
    expect(assigneeEvent.payload).toMatchObject({ status: 'DONE', changed_fields: ['status'], actor_id: '9' });

    const unassign = await mutate('admin', UPDATE_TASK, { id, input: { assigneeId: null, projectId: DEMO.websiteProject } });
    expect(unassign.data.updateTask.assignee).toBeNull();
    const moved = await expectOneEventWithRow(unassign.events, 'tasks', id, 'project.task.updated');
    expect(moved.payload).toMatchObject({ assignee_id: null, project_id: DEMO.websiteProject, project_name: 'Campus website relaunch' });
    expect((moved.payload.changed_fields as string[]).sort()).toEqual(['assignee_id', 'project_id']);

    // Setting what is already there changes nothing and publishes nothing.
    const before = await erp.db.fingerprint();
    const same = await erp.call('admin', UPDATE_TASK, { id, input: { status: 'DONE' } });
    expect(same.errors).toBeUndefined();
    expect(await erp.db.fingerprint()).toBe(before);
  });

  it('deletes a task and publishes project.task.deleted with its last state', async () => {
    const created = await erp.call('admin', CREATE_TASK, { input: { projectId: DEMO.labProject, title: 'Throw away', dueDate: inDays(2) } });
    const task = created.data.createTask;
    const { data, events } = await mutate('maya.manager', 'mutation($id: ID!) { deleteTask(id: $id) }', { id: task.id });
    expect(data.deleteTask).toBe(task.id);
    expect(events.map((event) => event.topic)).toEqual(['project.task.deleted']);
    expect(events[0]).toMatchObject({ entity_key: task.id, company_id: BHEEM, payload: { task_id: task.id, task_name: 'Throw away', due_date: task.dueDate, actor_id: '8' } });
    expect(await erp.db.writerOf('tasks', task.id)).toBeNull();
    const read = await erp.call('admin', `query($id: ID!) { task(id: $id) { id } }`, { id: task.id });
    expect(read.data.task).toBeNull();
  });

  it('creates, completes and deletes a milestone with project.milestone.* events', async () => {
    const dueDate = '2031-06-30T00:00:00.000Z';
    const created = await mutate('maya.manager', 'mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { id name dueDate isCompleted project { id } } }', {
      input: { projectId: DEMO.labProject, name: 'Lab open', dueDate },
    });
    const milestone = created.data.createMilestone;
    expect(milestone).toMatchObject({ name: 'Lab open', dueDate, isCompleted: false, project: { id: DEMO.labProject } });
    const createdEvent = await expectOneEventWithRow(created.events, 'milestones', milestone.id, 'project.milestone.created');
    expect(createdEvent.payload).toMatchObject({
      milestone_id: milestone.id,
      milestone_name: 'Lab open',
      due_date: dueDate,
      completed_at: null,
      project_id: DEMO.labProject,
      project_name: 'Physics lab equipment',
    });

    const updated = await mutate('admin', 'mutation($id: ID!, $input: UpdateMilestoneInput!) { updateMilestone(id: $id, input: $input) { isCompleted completedAt } }', {
      id: milestone.id,
      input: { completed: true },
    });
    expect(updated.data.updateMilestone.isCompleted).toBe(true);
    const updatedEvent = await expectOneEventWithRow(updated.events, 'milestones', milestone.id, 'project.milestone.updated');
    expect(updatedEvent.payload).toMatchObject({ changed_fields: ['completed_at'], completed_at: updated.data.updateMilestone.completedAt });
    expect(updatedEvent.payload.completed_at).toMatch(ISO);

    const deleted = await mutate('admin', 'mutation($id: ID!) { deleteMilestone(id: $id) }', { id: milestone.id });
    expect(deleted.events.map((event) => event.topic)).toEqual(['project.milestone.deleted']);
    expect(deleted.events[0]!.payload).toMatchObject({ milestone_id: milestone.id, milestone_name: 'Lab open' });
    expect(await erp.db.writerOf('milestones', milestone.id)).toBeNull();
  });

  it('schedules, reschedules and cancels a sales meeting with sales.meeting.* events', async () => {
    const scheduledAt = '2031-02-03T10:00:00.000Z';
    const endAt = '2031-02-03T11:30:00.000Z';
    const scheduled = await mutate(
      'maya.manager',
      `mutation($input: ScheduleSalesMeetingInput!) {
      scheduleSalesMeeting(input: $input) { id customerName customerEmail location owner { id } scheduledAt endAt status }
    }`,
      { input: { customerName: 'Hillside College', customerEmail: 'dean@hillside.example', location: 'Their campus', scheduledAt, endAt } },
    );
    const meeting = scheduled.data.scheduleSalesMeeting;
    expect(meeting).toMatchObject({ customerName: 'Hillside College', owner: { id: '8' }, scheduledAt, endAt, status: 'SCHEDULED' });
    const createdEvent = await expectOneEventWithRow(scheduled.events, 'sales_meetings', meeting.id, 'sales.meeting.created');
    expect(createdEvent.payload).toMatchObject({
      meeting_id: meeting.id,
      customer_name: 'Hillside College',
      customer_email: 'dean@hillside.example',
      location: 'Their campus',
      scheduled_at: scheduledAt,
      end_at: endAt,
      owner_id: '8',
      status: 'SCHEDULED',
      actor_id: '8',
    });

    const moved = await mutate('admin', 'mutation($id: ID!, $input: UpdateSalesMeetingInput!) { updateSalesMeeting(id: $id, input: $input) { scheduledAt endAt owner { id } } }', {
      id: meeting.id,
      input: { scheduledAt: '2031-02-04T10:00:00Z', endAt: '2031-02-04T11:00:00Z', ownerId: '2' },
    });
    const movedEvent = await expectOneEventWithRow(moved.events, 'sales_meetings', meeting.id, 'sales.meeting.updated');
    expect(movedEvent.payload).toMatchObject({ scheduled_at: '2031-02-04T10:00:00.000Z', end_at: '2031-02-04T11:00:00.000Z', owner_id: '2' });
    expect((movedEvent.payload.changed_fields as string[]).sort()).toEqual(['end_at', 'owner_id', 'scheduled_at']);

    const cancelled = await mutate('maya.manager', 'mutation($id: ID!) { cancelSalesMeeting(id: $id, reason: "Budget frozen") { status cancellationReason } }', { id: meeting.id });
    expect(cancelled.data.cancelSalesMeeting).toEqual({ status: 'CANCELLED', cancellationReason: 'Budget frozen' });
    const cancelledEvent = await expectOneEventWithRow(cancelled.events, 'sales_meetings', meeting.id, 'sales.meeting.cancelled');
    expect(cancelledEvent.payload).toMatchObject({ status: 'CANCELLED', cancellation_reason: 'Budget frozen', meeting_id: meeting.id });

    const before = await erp.db.fingerprint();
    const again = await erp.call('admin', 'mutation($id: ID!) { updateSalesMeeting(id: $id, input: { location: "Online" }) { id } }', { id: meeting.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const twice = await erp.call('admin', 'mutation($id: ID!) { cancelSalesMeeting(id: $id) { id } }', { id: meeting.id });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await erp.db.fingerprint()).toBe(before);
  });

  it('runs a leave request through requested, approved and cancelled', async () => {
    const requested = await mutate(
      'emil.employee',
      `mutation($input: RequestLeaveInput!) {
      requestLeave(input: $input) { id status leaveType reason employee { id } startDate endDate approvedBy { id } }
    }`,
      { input: { startDate: '2031-07-01T00:00:00Z', endDate: '2031-07-08T00:00:00Z', leaveType: 'ANNUAL', reason: 'Summer' } },
    );
    const leave = requested.data.requestLeave;
    expect(leave).toMatchObject({ status: 'PENDING', leaveType: 'ANNUAL', reason: 'Summer', employee: { id: '9' }, approvedBy: null });
    const requestedEvent = await expectOneEventWithRow(requested.events, 'leave_requests', leave.id, 'hr.leave.requested');
    expect(requestedEvent.payload).toMatchObject({
      leave_id: leave.id,
      employee_id: '9',
      start_date: '2031-07-01T00:00:00.000Z',
      end_date: '2031-07-08T00:00:00.000Z',
      status: 'PENDING',
      leave_type: 'ANNUAL',
      reason: 'Summer',
      reviewed_by: null,
      actor_id: '9',
    });

    const approved = await mutate('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id, comment: "Enjoy") { status approvedBy { id } reviewComment } }', { id: leave.id });
    expect(approved.data.approveLeave).toEqual({ status: 'APPROVED', approvedBy: { id: '8' }, reviewComment: 'Enjoy' });
    const approvedEvent = await expectOneEventWithRow(approved.events, 'leave_requests', leave.id, 'hr.leave.approved');
    expect(approvedEvent.payload).toMatchObject({ status: 'APPROVED', reviewed_by: '8', review_comment: 'Enjoy', employee_id: '9' });
    expect(approvedEvent.payload.reviewed_at).toMatch(ISO);

    const cancelled = await mutate('emil.employee', 'mutation($id: ID!) { cancelLeave(id: $id) { status approvedBy { id } } }', { id: leave.id });
    expect(cancelled.data.cancelLeave).toEqual({ status: 'CANCELLED', approvedBy: { id: '8' } });
    const cancelledEvent = await expectOneEventWithRow(cancelled.events, 'leave_requests', leave.id, 'hr.leave.cancelled');
    expect(cancelledEvent.payload).toMatchObject({ status: 'CANCELLED', previous_status: 'APPROVED', actor_id: '9' });
  });

  it('rejects a leave request with hr.leave.rejected, and lets an admin cancel someone else\u2019s', async () => {
    const request = (username: string, startDate: string, endDate: string) =>
      erp.call(username, 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }', { input: { startDate, endDate, leaveType: 'SICK' } });
    const first = (await request('tara.teacher', '2031-09-01T00:00:00Z', '2031-09-02T00:00:00Z')).data.requestLeave.id;
    const rejected = await mutate('admin', 'mutation($id: ID!) { rejectLeave(id: $id, reason: "Exam week") { status reviewedBy { id } approvedBy { id } } }', { id: first });
    expect(rejected.data.rejectLeave).toEqual({ status: 'REJECTED', reviewedBy: { id: '2' }, approvedBy: null });
    const rejectedEvent = await expectOneEventWithRow(rejected.events, 'leave_requests', first, 'hr.leave.rejected');
    expect(rejectedEvent.payload).toMatchObject({ status: 'REJECTED', reviewed_by: '2', review_comment: 'Exam week', leave_type: 'SICK' });

    const second = (await request('tara.teacher', '2031-09-01T00:00:00Z', '2031-09-03T00:00:00Z')).data.requestLeave.id; // a rejected leave does not block
    const cancelled = await mutate('admin', 'mutation($id: ID!) { cancelLeave(id: $id) { status } }', { id: second });
    const cancelledEvent = await expectOneEventWithRow(cancelled.events, 'leave_requests', second, 'hr.leave.cancelled');
    expect(cancelledEvent.payload).toMatchObject({ previous_status: 'PENDING', employee_id: '3', actor_id: '2' });
  });

  it('pages leave requests with a cursor, in the plain list\u2019s order, ties by id, within [from, to)', async () => {
    const request = (username: string, day: string) =>
      erp.call(username, 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }', {
        input: { startDate: `${day}T00:00:00Z`, endDate: `${day}T12:00:00Z` },
      });
    // Emil and Tara start leave on the same day: the cursor tells them apart by id.
    const march: string[] = [];
    for (const day of ['2032-03-01', '2032-03-02', '2032-03-03']) march.push((await request('emil.employee', day)).data.requestLeave.id);
    expect((await request('tara.teacher', '2032-03-01')).errors).toBeUndefined();
    const paged = async (username: string, filter: string, first: number) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const answer: any = await erp.call(
          username,
          `query($after: String) { leaveRequestsConnection(${filter} first: ${first}, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        expect(answer.errors).toBeUndefined();
        const { edges, pageInfo } = answer.data.leaveRequestsConnection;
        expect(edges.length).toBeLessThanOrEqual(first);
        seen.push(...edges.map((edge: any) => edge.node.id));
        if (!pageInfo.hasNextPage) return seen;
        after = pageInfo.endCursor;
      }
      throw new Error('paging did not end');
    };
    const listed = async (username: string, filter: string) =>
      (await erp.call(username, `{ leaveRequests${filter ? `(${filter})` : ''} { id } }`)).data.leaveRequests.map((leave: any) => leave.id);

    const emilsOwn = await listed('emil.employee', '');
    expect(emilsOwn.length).toBeGreaterThanOrEqual(3);
    expect(await paged('emil.employee', '', 2)).toEqual(emilsOwn);
    const pending = await listed('maya.manager', 'status: [PENDING]');
    expect(await paged('maya.manager', 'status: [PENDING]', 1)).toEqual(pending);
    // Someone else's requests stay out of an employee's pages, as out of the list.
    expect(await paged('tara.teacher', 'employeeId: "9"', 5)).toEqual([]);
    const refused = await erp.call('emil.employee', '{ bad: leaveRequestsConnection(after: "nonsense") { edges { cursor } } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await erp.call('emil.employee', '{ leaveRequestsConnection(first: 0) { edges { cursor } } }');
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // from and to keep the leave overlapping [from, to), in lists and pages alike.
    expect(await listed('emil.employee', 'from: "2032-03-02T00:00:00Z", to: "2032-03-03T00:00:00Z"')).toEqual([march[1]]);
    expect(await paged('emil.employee', 'from: "2032-03-02T06:00:00Z", to: "2032-03-04T00:00:00Z"', 1)).toEqual([march[1], march[2]]);
    const backwards = await erp.call('emil.employee', '{ leaveRequests(from: "2032-03-03T00:00:00Z", to: "2032-03-02T00:00:00Z") { id } }');
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('creates and updates a project with project.project.* events', async () => {
    const created = await mutate('maya.manager', 'mutation($input: CreateProjectInput!) { createProject(input: $input) { id name status tasks { id } milestones { id } } }', {
      input: { name: 'Library refit', startDate: '2031-01-01T00:00:00Z', dueDate: '2031-04-01T00:00:00Z' },
    });
    const project = created.data.createProject;
    expect(project).toMatchObject({ name: 'Library refit', status: 'ACTIVE', tasks: [], milestones: [] });
    const createdEvent = await expectOneEventWithRow(created.events, 'projects', project.id, 'project.project.created');
    expect(createdEvent.payload).toMatchObject({ project_id: project.id, project_name: 'Library refit', start_date: '2031-01-01T00:00:00.000Z', status: 'ACTIVE' });
    const updated = await mutate('admin', 'mutation($id: ID!) { updateProject(id: $id, input: { status: ON_HOLD }) { status } }', { id: project.id });
    const updatedEvent = await expectOneEventWithRow(updated.events, 'projects', project.id, 'project.project.updated');
    expect(updatedEvent.payload).toMatchObject({ status: 'ON_HOLD', changed_fields: ['status'] });
  });
});

describe('refused mutations write nothing', () => {
  const future = { startDate: '2032-05-01T00:00:00Z', endDate: '2032-05-03T00:00:00Z' };
  type Refusal = { name: string; user: string; query: string; variables?: Record<string, unknown>; code: string; field?: string };
  const onEmilsLeave = (name: string, user: string, decision: 'approveLeave' | 'rejectLeave' | 'cancelLeave', code: string): Refusal => ({
    name,
    user,
    query: `mutation($id: ID!) { ${decision}(id: $id) { id } }`,
    variables: { id: DEMO.emilLeave },
    code,
  });
  const cases: Refusal[] = [
    { name: 'a student creating a task', user: 'sam.student', query: CREATE_TASK, variables: { input: { projectId: DEMO.websiteProject, title: 'x' } }, code: 'FORBIDDEN' },
    { name: 'an employee creating a task', user: 'emil.employee', query: CREATE_TASK, variables: { input: { projectId: DEMO.websiteProject, title: 'x' } }, code: 'FORBIDDEN' },
    { name: 'a blank title', user: 'admin', query: CREATE_TASK, variables: { input: { projectId: DEMO.websiteProject, title: '   ' } }, code: 'BAD_USER_INPUT', field: 'title' },
    {
      name: 'a title of 201 characters',
      user: 'admin',
      query: CREATE_TASK,
      variables: { input: { projectId: DEMO.websiteProject, title: 'x'.repeat(201) } },
      code: 'BAD_USER_INPUT',
      field: 'title',
    },
    { name: 'a malformed project id', user: 'admin', query: CREATE_TASK, variables: { input: { projectId: 'website', title: 'x' } }, code: 'BAD_USER_INPUT', field: 'projectId' },
    {
      name: 'an unknown project',
      user: 'admin',
      query: CREATE_TASK,
      variables: { input: { projectId: '0b0e0001-0000-4000-8000-0000000000ff', title: 'x' } },
      code: 'BAD_USER_INPUT',
      field: 'projectId',
    },
    {
      name: 'another company\u2019s project',
      user: 'admin',
      query: CREATE_TASK,
      variables: { input: { projectId: DEMO.globexProject, title: 'x' } },
      code: 'BAD_USER_INPUT',
      field: 'projectId',
    },
    {
      name: 'a malformed assignee',
      user: 'admin',
      query: CREATE_TASK,
      variables: { input: { projectId: DEMO.websiteProject, title: 'x', assigneeId: 'emil' } },
      code: 'BAD_USER_INPUT',
      field: 'assigneeId',
    },
    {
      name: 'a due date without offset',
      user: 'admin',
      query: CREATE_TASK,
      variables: { input: { projectId: DEMO.websiteProject, title: 'x', dueDate: '2031-01-01 10:00' } },
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'an employee changing the status of someone else\u2019s task',
      user: 'emil.employee',
      query: UPDATE_TASK,
      variables: { id: DEMO.cataloguePagesTask, input: { status: 'DONE' } },
      code: 'FORBIDDEN',
    },
    {
      name: 'the assignee changing more than the status',
      user: 'emil.employee',
      query: UPDATE_TASK,
      variables: { id: DEMO.homePageTask, input: { status: 'DONE', title: 'Mine now' } },
      code: 'FORBIDDEN',
    },
    { name: 'a null title', user: 'admin', query: UPDATE_TASK, variables: { id: DEMO.homePageTask, input: { title: null } }, code: 'BAD_USER_INPUT', field: 'title' },
    { name: 'an empty update', user: 'admin', query: UPDATE_TASK, variables: { id: DEMO.homePageTask, input: {} }, code: 'BAD_USER_INPUT', field: 'input' },
    {
      name: 'a move to another company\u2019s project',
      user: 'admin',
      query: UPDATE_TASK,
      variables: { id: DEMO.homePageTask, input: { projectId: DEMO.globexProject } },
      code: 'BAD_USER_INPUT',
      field: 'projectId',
    },
    { name: 'an update of another company\u2019s task', user: 'admin', query: UPDATE_TASK, variables: { id: DEMO.globexTask, input: { status: 'DONE' } }, code: 'NOT_FOUND' },
    { name: 'an employee deleting a task', user: 'emil.employee', query: 'mutation($id: ID!) { deleteTask(id: $id) }', variables: { id: DEMO.homePageTask }, code: 'FORBIDDEN' },
    { name: 'deleting another company\u2019s task', user: 'admin', query: 'mutation($id: ID!) { deleteTask(id: $id) }', variables: { id: DEMO.globexTask }, code: 'NOT_FOUND' },
    { name: 'deleting a malformed id', user: 'admin', query: 'mutation { deleteTask(id: "42") }', code: 'BAD_USER_INPUT', field: 'id' },
    {
      name: 'an employee creating a milestone',
      user: 'emil.employee',
      query: 'mutation { createMilestone(input: { projectId: "' + DEMO.websiteProject + '", name: "x", dueDate: "2031-01-01T00:00:00Z" }) { id } }',
      code: 'FORBIDDEN',
    },
    {
      name: 'a blank milestone name',
      user: 'admin',
      query: 'mutation { createMilestone(input: { projectId: "' + DEMO.websiteProject + '", name: "", dueDate: "2031-01-01T00:00:00Z" }) { id } }',
      code: 'BAD_USER_INPUT',
      field: 'name',
    },
    {
      name: 'clearing a milestone\u2019s due date',
      user: 'admin',
      query: 'mutation($id: ID!) { updateMilestone(id: $id, input: { dueDate: null }) { id } }',
      variables: { id: DEMO.websiteBeta },
      code: 'BAD_USER_INPUT',
      field: 'dueDate',
    },
    {
      name: 'deleting another company\u2019s milestone',
      user: 'admin',
      query: 'mutation($id: ID!) { deleteMilestone(id: $id) }',
      variables: { id: DEMO.globexGoLive },
      code: 'NOT_FOUND',
    },
    {
      name: 'an employee scheduling a meeting',
      user: 'emil.employee',
      query: 'mutation { scheduleSalesMeeting(input: { customerName: "A", scheduledAt: "2031-01-01T10:00:00Z", endAt: "2031-01-01T11:00:00Z" }) { id } }',
      code: 'FORBIDDEN',
    },
    {
      name: 'a meeting ending before it starts',
      user: 'admin',
      query: 'mutation { scheduleSalesMeeting(input: { customerName: "A", scheduledAt: "2031-01-01T10:00:00Z", endAt: "2031-01-01T09:00:00Z" }) { id } }',
      code: 'BAD_USER_INPUT',
      field: 'endAt',
    },
    {
      name: 'a malformed customer e-mail',
      user: 'admin',
      query: 'mutation { scheduleSalesMeeting(input: { customerName: "A", customerEmail: "nope", scheduledAt: "2031-01-01T10:00:00Z", endAt: "2031-01-01T11:00:00Z" }) { id } }',
      code: 'BAD_USER_INPUT',
      field: 'customerEmail',
    },
    {
      name: 'a reschedule to end before the start',
      user: 'admin',
      query: 'mutation($id: ID!) { updateSalesMeeting(id: $id, input: { endAt: "2000-01-01T00:00:00Z" }) { id } }',
      variables: { id: DEMO.sunriseMeeting },
      code: 'BAD_USER_INPUT',
      field: 'endAt',
    },
    {
      name: 'cancelling through updateSalesMeeting',
      user: 'admin',
      query: 'mutation($id: ID!) { updateSalesMeeting(id: $id, input: { status: CANCELLED }) { id } }',
      variables: { id: DEMO.sunriseMeeting },
      code: 'BAD_USER_INPUT',
      field: 'status',
    },
    {
      name: 'cancelling another company\u2019s meeting',
      user: 'admin',
      query: 'mutation($id: ID!) { cancelSalesMeeting(id: $id) { id } }',
      variables: { id: DEMO.initechMeeting },
      code: 'NOT_FOUND',
    },
    {
      name: 'a student requesting leave',
      user: 'sam.student',
      query: 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }',
      variables: { input: future },
      code: 'FORBIDDEN',
    },
    {
      name: 'leave ending before it starts',
      user: 'emil.employee',
      query: 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }',
      variables: { input: { startDate: future.endDate, endDate: future.startDate } },
      code: 'BAD_USER_INPUT',
      field: 'endDate',
    },
    {
      name: 'leave overlapping approved leave',
      user: 'emil.employee',
      query: 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }',
      variables: { input: { startDate: inDays(11), endDate: inDays(20) } },
      code: 'CONFLICT',
    },
    onEmilsLeave('an employee approving leave', 'tara.teacher', 'approveLeave', 'FORBIDDEN'),
    onEmilsLeave('approving leave that is already approved', 'admin', 'approveLeave', 'CONFLICT'),
    onEmilsLeave('an employee rejecting leave', 'tara.teacher', 'rejectLeave', 'FORBIDDEN'),
    onEmilsLeave('an employee cancelling a colleague\u2019s leave', 'tara.teacher', 'cancelLeave', 'NOT_FOUND'),
    onEmilsLeave('a manager cancelling an employee\u2019s leave', 'maya.manager', 'cancelLeave', 'FORBIDDEN'),
    onEmilsLeave('another company\u2019s admin approving leave', 'globex.admin', 'approveLeave', 'NOT_FOUND'),
    { name: 'an employee creating a project', user: 'emil.employee', query: 'mutation { createProject(input: { name: "x" }) { id } }', code: 'FORBIDDEN' },
    {
      name: 'a project due before it starts',
      user: 'admin',
      query: 'mutation { createProject(input: { name: "x", startDate: "2031-02-01T00:00:00Z", dueDate: "2031-01-01T00:00:00Z" }) { id } }',
      code: 'BAD_USER_INPUT',
      field: 'dueDate',
    },
  ];

  for (const refusal of cases) {
    it(`refuses ${refusal.name} with ${refusal.code}`, async () => {
      const before = await erp.db.fingerprint();
      const { data, errors } = await erp.call(refusal.user, refusal.query, refusal.variables);
      expect(errors?.[0]?.extensions?.code).toBe(refusal.code);
      if (refusal.field) expect(errors?.[0]?.extensions?.field).toBe(refusal.field);
      expect(data ?? null).toBeNull();
      expect(await erp.db.fingerprint()).toBe(before);
    });
  }

  it('refuses to let a manager approve their own leave', async () => {
    const own = await erp.call('maya.manager', 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }', {
      input: { startDate: '2032-08-01T00:00:00Z', endDate: '2032-08-02T00:00:00Z' },
    });
    const before = await erp.db.fingerprint();
    const { errors } = await erp.call('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { id } }', { id: own.data.requestLeave.id });
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await erp.db.fingerprint()).toBe(before);
  });

  it('refuses to cancel approved leave that is over, with LEAVE_ENDED, and lets a pending one that is over go', async () => {
    const request = (startDate: string, endDate: string) =>
      erp.call('emil.employee', 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }', { input: { startDate, endDate } });
    const taken = (await request('2024-02-05T00:00:00Z', '2024-02-07T00:00:00Z')).data.requestLeave.id;
    await mutate('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { id } }', { id: taken });
    const before = await erp.db.fingerprint();
    // Leave taken is a record of days gone by: cancelling it would take it off the calendar after the fact.
    for (const user of ['emil.employee', 'admin']) {
      const { data, errors } = await erp.call(user, 'mutation($id: ID!) { cancelLeave(id: $id) { id } }', { id: taken });
      expect(data ?? null).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('LEAVE_ENDED');
      expect(errors?.[0]?.message).toMatch(/ended on 2024-02-07T00:00:00.000Z/);
    }
    expect(await erp.db.fingerprint()).toBe(before);
    // A request never decided is withdrawn, over or not: nobody has taken those days.
    const undecided = (await request('2024-03-04T00:00:00Z', '2024-03-05T00:00:00Z')).data.requestLeave.id;
    const withdrawn = await mutate('emil.employee', 'mutation($id: ID!) { cancelLeave(id: $id) { status } }', { id: undecided });
    expect(withdrawn.data.cancelLeave).toEqual({ status: 'CANCELLED' });
  });

  it('refuses an assignee or owner who is not a user of the caller’s company (another company’s, unknown)', async () => {
    const before = await erp.db.fingerprint();
    const refusals = [
      erp.call('maya.manager', CREATE_TASK, { input: { projectId: DEMO.websiteProject, title: 'Foreign', assigneeId: '21' } }), // gina, Globex
      erp.call('maya.manager', CREATE_TASK, { input: { projectId: DEMO.websiteProject, title: 'Nobody', assigneeId: '4242' } }),
      erp.call('maya.manager', UPDATE_TASK, { id: DEMO.homePageTask, input: { assigneeId: '22' } }), // gary, Globex
      erp.call('maya.manager', 'mutation($input: ScheduleSalesMeetingInput!) { scheduleSalesMeeting(input: $input) { id } }', {
        input: { customerName: 'Acme', scheduledAt: inDays(3), endAt: inDays(3.1), ownerId: '20' },
      }),
      erp.call('maya.manager', 'mutation($id: ID!) { updateSalesMeeting(id: $id, input: { ownerId: "4242" }) { id } }', { id: DEMO.sunriseMeeting }),
    ];
    for (const { errors } of await Promise.all(refusals)) {
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(errors?.[0]?.message).toMatch(/is not a user of your company/);
    }
    expect(await erp.db.fingerprint()).toBe(before);
    // A colleague is still fine.
    expect((await erp.call('maya.manager', UPDATE_TASK, { id: DEMO.homePageTask, input: { assigneeId: '3' } })).data.updateTask.assignee).toEqual({ id: '3' });
  });
});
