import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { DEMO, erpCaller, inDays } from './erp-test-kit.js';

let platform: TestPlatform;
let call: ReturnType<typeof erpCaller>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['erp'], gateway: false });
  call = erpCaller(platform);
});
afterAll(() => platform?.stop());

const ids = (list: { id: string }[]) => list.map((item) => item.id);

describe('erp queries', () => {
  it('shows a manager the company projects with their tasks (by due date) and milestones', async () => {
    const { data, errors } = await call(
      'maya.manager',
      `{
      projects { id name status tasks { id title status dueDate project { id } assignee { id } } milestones { id name project { name } } }
    }`,
    );
    expect(errors).toBeUndefined();
    expect(data.projects.map((project: any) => project.name)).toEqual(['Campus website relaunch', 'Physics lab equipment']);
    const [website, lab] = data.projects;
    expect(website.status).toBe('ACTIVE');
    expect(website.tasks.map((task: any) => task.title)).toEqual(['Draft the new home page', 'Migrate course catalogue pages']);
    expect(website.tasks[0]).toMatchObject({ status: 'IN_PROGRESS', project: { id: DEMO.websiteProject }, assignee: { id: '9' } });
    expect(new Date(website.tasks[0].dueDate).getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    expect(website.milestones).toEqual([{ id: DEMO.websiteBeta, name: 'Website beta', project: { name: 'Campus website relaunch' } }]);
    expect(lab.tasks.map((task: any) => task.assignee.id)).toEqual(['3']);
    expect(lab.milestones).toEqual([]);
  });

  it('lets an employee read tasks with every filter', async () => {
    const mine = await call('emil.employee', '{ tasks(assigneeId: "9") { id } }');
    expect(ids(mine.data.tasks)).toEqual([DEMO.homePageTask]);
    const todo = await call('emil.employee', '{ tasks(status: TODO) { id } }');
    expect(ids(todo.data.tasks)).toEqual([DEMO.oscilloscopesTask, DEMO.cataloguePagesTask]);
    const open = await call('emil.employee', '{ tasks(status: [TODO, IN_PROGRESS]) { id } }');
    expect(ids(open.data.tasks)).toEqual([DEMO.oscilloscopesTask, DEMO.homePageTask, DEMO.cataloguePagesTask]);
    const website = await call('emil.employee', '{ tasks(projectId: $p) { id } }'.replace('$p', JSON.stringify(DEMO.websiteProject)));
    expect(ids(website.data.tasks)).toEqual([DEMO.homePageTask, DEMO.cataloguePagesTask]);
    const soon = await call('emil.employee', 'query($before: DateTime) { tasks(dueBefore: $before) { id } }', { before: inDays(4) });
    expect(ids(soon.data.tasks)).toEqual([DEMO.oscilloscopesTask]);
    const later = await call('emil.employee', 'query($after: DateTime) { tasks(dueAfter: $after) { id } }', { after: inDays(6) });
    expect(ids(later.data.tasks)).toEqual([DEMO.cataloguePagesTask]);
    const window = await call('emil.employee', 'query($a: DateTime, $b: DateTime) { tasks(dueAfter: $a, dueBefore: $b, first: 1, offset: 1) { id } }', {
      a: inDays(1),
      b: inDays(13),
    });
    expect(ids(window.data.tasks)).toEqual([DEMO.homePageTask]);
  });

  it('answers single lookups with the nested project, and null for unknown or malformed ids', async () => {
    const { data, errors } = await call('tara.teacher', `query($id: ID!) { task(id: $id) { title projectId project { name } assignee { id } } }`, { id: DEMO.oscilloscopesTask });
    expect(errors).toBeUndefined();
    expect(data.task).toEqual({ title: 'Order oscilloscopes', projectId: DEMO.labProject, project: { name: 'Physics lab equipment' }, assignee: { id: '3' } });
    const missing = await call('admin', '{ task(id: "0b0e0002-0000-4000-8000-0000000000ff") { id } project(id: "not-a-uuid") { id } milestone(id: "") { id } }');
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ task: null, project: null, milestone: null });
  });

  it('lists milestones of a project and resolves a milestone with its project', async () => {
    const list = await call('emil.employee', `query($p: ID) { milestones(projectId: $p) { id dueDate isCompleted completedAt } }`, { p: DEMO.websiteProject });
    expect(list.data.milestones).toHaveLength(1);
    expect(list.data.milestones[0]).toMatchObject({ id: DEMO.websiteBeta, isCompleted: false, completedAt: null });
    const one = await call('emil.employee', `query($id: ID!) { milestone(id: $id) { name project { id } } }`, { id: DEMO.websiteBeta });
    expect(one.data.milestone).toEqual({ name: 'Website beta', project: { id: DEMO.websiteProject } });
  });

  it('lists sales meetings overlapping a window, with their owner', async () => {
    const query = 'query($from: DateTime, $to: DateTime) { salesMeetings(from: $from, to: $to) { id customerName owner { id } status scheduledAt endAt } }';
    const soon = await call('emil.employee', query, { from: inDays(0), to: inDays(3) });
    expect(soon.errors).toBeUndefined();
    expect(soon.data.salesMeetings).toHaveLength(1);
    expect(soon.data.salesMeetings[0]).toMatchObject({ id: DEMO.sunriseMeeting, customerName: 'Sunrise School', owner: { id: '8' }, status: 'SCHEDULED' });
    const meeting = soon.data.salesMeetings[0];
    expect(new Date(meeting.endAt).getTime() - new Date(meeting.scheduledAt).getTime()).toBe(3_600_000);
    const later = await call('emil.employee', query, { from: inDays(3) });
    expect(later.data.salesMeetings).toEqual([]);
    const one = await call('admin', `query($id: ID!) { salesMeeting(id: $id) { customerName } }`, { id: DEMO.sunriseMeeting });
    expect(one.data.salesMeeting).toEqual({ customerName: 'Sunrise School' });
  });

  it('shows leave requests to their employee and to managers, not to other employees', async () => {
    const query = `query($id: ID!) { leaveRequests { id } leaveRequest(id: $id) { employee { id } status leaveType approvedBy { id } reviewedBy { id } } }`;
    const own = await call('emil.employee', query, { id: DEMO.emilLeave });
    expect(own.errors).toBeUndefined();
    expect(ids(own.data.leaveRequests)).toEqual([DEMO.emilLeave]);
    expect(own.data.leaveRequest).toEqual({ employee: { id: '9' }, status: 'APPROVED', leaveType: 'ANNUAL', approvedBy: { id: '8' }, reviewedBy: { id: '8' } });
    const manager = await call('maya.manager', query, { id: DEMO.emilLeave });
    expect(ids(manager.data.leaveRequests)).toEqual([DEMO.emilLeave]);
    const colleague = await call('tara.teacher', query, { id: DEMO.emilLeave });
    expect(colleague.data).toEqual({ leaveRequests: [], leaveRequest: null });
    const filtered = await call('tara.teacher', '{ leaveRequests(employeeId: "9") { id } }');
    expect(filtered.data.leaveRequests).toEqual([]);
    const byStatus = await call('admin', '{ approved: leaveRequests(status: APPROVED) { id } pending: leaveRequests(status: PENDING) { id } }');
    expect(byStatus.data).toEqual({ approved: [{ id: DEMO.emilLeave }], pending: [] });
  });

  it('answers myCompany with the caller\u2019s own company', async () => {
    const bheem = await call('emil.employee', '{ myCompany { id name } }');
    expect(bheem.data.myCompany).toEqual({ id: DEMO_COMPANIES.bheem.id, name: DEMO_COMPANIES.bheem.name });
    const globex = await call('globex.admin', '{ myCompany { id name } }');
    expect(globex.data.myCompany).toEqual({ id: DEMO_COMPANIES.globex.id, name: DEMO_COMPANIES.globex.name });
  });

  it('refuses every read to a caller without a staff role', async () => {
    const reads = [
      '{ myCompany { id } }',
      '{ projects { id } }',
      `{ project(id: "${DEMO.websiteProject}") { id } }`,
      '{ tasks { id } }',
      `{ task(id: "${DEMO.homePageTask}") { id } }`,
      '{ milestones { id } }',
      `{ milestone(id: "${DEMO.websiteBeta}") { id } }`,
      '{ salesMeetings { id } }',
      `{ salesMeeting(id: "${DEMO.sunriseMeeting}") { id } }`,
      '{ leaveRequests { id } }',
      `{ leaveRequest(id: "${DEMO.emilLeave}") { id } }`,
    ];
    for (const query of reads) {
      const { data, errors } = await call('sam.student', query);
      expect(errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(
        Object.values(data ?? {}).every((value) => value === null),
        query,
      ).toBe(true);
    }
  });

  it('rejects malformed filters with BAD_USER_INPUT naming the field', async () => {
    const cases: [string, string][] = [
      ['{ tasks(projectId: "website") { id } }', 'projectId'],
      ['{ tasks(assigneeId: "emil") { id } }', 'assigneeId'],
      ['{ tasks(first: 0) { id } }', 'first'],
      ['{ projects(first: 501) { id } }', 'first'],
      ['{ milestones(offset: -1) { id } }', 'offset'],
      ['{ salesMeetings(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { id } }', 'to'],
    ];
    for (const [query, field] of cases) {
      const { errors } = await call('admin', query);
      expect(errors?.[0]?.extensions, query).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const badDate = await call('admin', 'query($before: DateTime) { tasks(dueBefore: $before) { id } }', { before: 'tomorrow' });
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
