import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries } from '../../../platform/database/query-observer.js';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { ENTITIES_QUERY } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { DEMO, erpCaller } from './erp-test-kit.js';

let platform: TestPlatform;
let call: ReturnType<typeof erpCaller>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['erp'], gateway: false });
  call = erpCaller(platform);
});
afterAll(() => platform?.stop());

const reps = (typename: string, ids: string[]) => ids.map((id) => ({ __typename: typename, id }));
const UNKNOWN = '0b0e00ff-0000-4000-8000-000000000000';

/** Runs `work` and returns the SQL statements it caused that read the given erp table. */
async function statementsOn<T>(table: string, work: () => Promise<T>): Promise<{ result: T; count: number }> {
  const statements: string[] = [];
  const stop = observeQueries((sql) => statements.push(sql));
  try {
    const result = await work();
    return { result, count: statements.filter((sql) => sql.includes(`"erp"."${table}"`)).length };
  } finally {
    stop();
  }
}

/** Every entity type: a bheem record, a globex record, and a field to read. */
const ENTITY_TYPES = [
  { typename: 'Company', table: 'companies', own: DEMO_COMPANIES.bheem.id, foreign: DEMO_COMPANIES.globex.id, selection: 'id name' },
  { typename: 'Project', table: 'projects', own: DEMO.websiteProject, foreign: DEMO.globexProject, selection: 'id name' },
  { typename: 'Task', table: 'tasks', own: DEMO.homePageTask, foreign: DEMO.globexTask, selection: 'id title' },
  { typename: 'Milestone', table: 'milestones', own: DEMO.websiteBeta, foreign: DEMO.globexGoLive, selection: 'id name' },
  { typename: 'SalesMeeting', table: 'sales_meetings', own: DEMO.sunriseMeeting, foreign: DEMO.initechMeeting, selection: 'id customerName' },
  { typename: 'LeaveRequest', table: 'leave_requests', own: DEMO.emilLeave, foreign: null, selection: 'id status' },
  { typename: 'Quote', table: 'quotes', own: DEMO_ERP.quotes[0].id, foreign: DEMO_ERP.quotes[1].id, selection: 'id number' },
  { typename: 'Invoice', table: 'invoices', own: DEMO_ERP.invoices[0].id, foreign: DEMO_ERP.invoices[1].id, selection: 'id number' },
  { typename: 'Employee', table: 'employees', own: '9', foreign: '21', selection: 'id jobTitle user { id }' },
] as const;

describe('erp _entities contract', () => {
  for (const type of ENTITY_TYPES) {
    it(`resolves ${type.typename} references in order, in one SQL statement, null for unknown and foreign ids`, async () => {
      const ids = [type.own, UNKNOWN, 'not-a-uuid', ...(type.foreign ? [type.foreign] : []), type.own];
      const { result, count } = await statementsOn(type.table, () => call('admin', ENTITIES_QUERY(type.typename, type.selection), { representations: reps(type.typename, ids) }));
      expect(result.errors).toBeUndefined();
      const entities = result.data._entities;
      expect(entities.map((entity: any) => entity?.id ?? null)).toEqual(ids.map((id) => (id === type.own ? id : null)));
      expect(count).toBe(1);
    });
  }

  it('batches many references of many types, and their nested fields, one statement per kind of lookup', async () => {
    const representations = [
      ...reps('Task', [DEMO.homePageTask, DEMO.cataloguePagesTask, DEMO.oscilloscopesTask]),
      ...reps('Project', [DEMO.websiteProject, DEMO.labProject]),
      ...reps('Milestone', [DEMO.websiteBeta]),
    ];
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Task { id project { id name } }
      ... on Project { id tasks { id } milestones { id } }
      ... on Milestone { id milestoneProject: project { id } }
    } }`;
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const { data, errors } = await call('maya.manager', query, { representations });
    stop();
    expect(errors).toBeUndefined();
    expect(data._entities).toHaveLength(6);
    expect(data._entities[0].project.name).toBe('Campus website relaunch');
    const on = (table: string) => statements.filter((sql) => sql.includes(`"erp"."${table}"`)).length;
    // Tasks and milestones: the references, then the referenced projects' lists; projects: the references (which also serve every back-reference).
    expect({ tasks: on('tasks'), projects: on('projects'), milestones: on('milestones') }).toEqual({ tasks: 2, projects: 1, milestones: 2 });
  });

  it('loads nested project tasks, milestones and back-references without N+1', async () => {
    const { result, count: tasks } = await statementsOn('tasks', () => call('admin', '{ projects { id tasks { id project { id } } milestones { id project { name } } } }'));
    expect(result.errors).toBeUndefined();
    expect(result.data.projects).toHaveLength(2);
    expect(tasks).toBe(1);
    const again = await statementsOn('projects', () => call('admin', '{ projects { tasks { project { name } } } }'));
    expect(again.count).toBe(1); // the listed projects serve Task.project
    const milestones = await statementsOn('milestones', () => call('admin', '{ projects { milestones { id } } }'));
    expect(milestones.count).toBe(1);
  });

  it('resolves a leave request reference for its employee and managers only', async () => {
    const query = ENTITIES_QUERY('LeaveRequest', 'id employee { id }');
    const representations = reps('LeaveRequest', [DEMO.emilLeave]);
    expect((await call('emil.employee', query, { representations })).data._entities).toEqual([{ id: DEMO.emilLeave, employee: { id: '9' } }]);
    expect((await call('maya.manager', query, { representations })).data._entities).toEqual([{ id: DEMO.emilLeave, employee: { id: '9' } }]);
    expect((await call('tara.teacher', query, { representations })).data._entities).toEqual([null]);
  });

  it('resolves an employee for managers, and for that employee only among staff', async () => {
    const query = ENTITIES_QUERY('Employee', 'id jobTitle');
    const representations = reps('Employee', ['9', '8']);
    expect((await call('maya.manager', query, { representations })).data._entities.map((e: any) => e?.id ?? null)).toEqual(['9', '8']);
    expect((await call('emil.employee', query, { representations })).data._entities.map((e: any) => e?.id ?? null)).toEqual(['9', null]);
  });

  it('refuses references to a caller without a staff role', async () => {
    for (const type of ENTITY_TYPES) {
      const { errors } = await call('sam.student', ENTITIES_QUERY(type.typename, 'id'), { representations: reps(type.typename, [type.own]) });
      expect(errors?.[0]?.extensions?.code, type.typename).toBe('FORBIDDEN');
    }
  });
});

describe('erp tenant isolation', () => {
  it('never returns another company\u2019s records from root fields', async () => {
    const { data, errors } = await call(
      'globex.admin',
      `query($t: ID!, $p: ID!, $m: ID!, $s: ID!, $l: ID!) {
      task(id: $t) { id } project(id: $p) { id } milestone(id: $m) { id } salesMeeting(id: $s) { id } leaveRequest(id: $l) { id }
    }`,
      { t: DEMO.homePageTask, p: DEMO.websiteProject, m: DEMO.websiteBeta, s: DEMO.sunriseMeeting, l: DEMO.emilLeave },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({ task: null, project: null, milestone: null, salesMeeting: null, leaveRequest: null });
  });

  it('lists only the caller\u2019s company records', async () => {
    const { data } = await call(
      'globex.admin',
      `{
      projects { id tasks { id } milestones { id } } tasks { id } milestones { id } salesMeetings { id } leaveRequests { id } myCompany { id }
    }`,
    );
    expect(data.projects).toEqual([{ id: DEMO.globexProject, tasks: [{ id: DEMO.globexTask }], milestones: [{ id: DEMO.globexGoLive }] }]);
    expect(data.tasks).toEqual([{ id: DEMO.globexTask }]);
    expect(data.milestones).toEqual([{ id: DEMO.globexGoLive }]);
    expect(data.salesMeetings).toEqual([{ id: DEMO.initechMeeting }]);
    expect(data.leaveRequests).toEqual([]);
    expect(data.myCompany).toEqual({ id: DEMO_COMPANIES.globex.id });
    const filtered = await call('globex.admin', `query($p: ID) { tasks(projectId: $p) { id } milestones(projectId: $p) { id } }`, { p: DEMO.websiteProject });
    expect(filtered.data).toEqual({ tasks: [], milestones: [] });
  });

  it('never resolves another company\u2019s records through _entities, nested fields included', async () => {
    for (const type of ENTITY_TYPES) {
      const { data } = await call('globex.admin', ENTITIES_QUERY(type.typename, 'id'), { representations: reps(type.typename, [type.own]) });
      expect(data._entities, type.typename).toEqual([null]);
    }
    const nested = await call(
      'globex.admin',
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Project { id tasks { id } milestones { id } }
      ... on Task { id project { id } }
    } }`,
      { representations: [...reps('Project', [DEMO.websiteProject]), ...reps('Task', [DEMO.homePageTask, DEMO.globexTask])] },
    );
    expect(nested.data._entities).toEqual([null, null, { id: DEMO.globexTask, project: { id: DEMO.globexProject } }]);
  });

  it('does not let a caller pick another company by naming it', async () => {
    const { data } = await call('admin', ENTITIES_QUERY('Company', 'id name'), { representations: reps('Company', [DEMO_COMPANIES.globex.id, DEMO_COMPANIES.bheem.id]) });
    expect(data._entities).toEqual([null, { id: DEMO_COMPANIES.bheem.id, name: DEMO_COMPANIES.bheem.name }]);
  });
});
