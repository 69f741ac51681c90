/**
 * The tenant-isolation suite, over every entity type of the composed
 * supergraph (so it grows with the platform): on every path (root field,
 * nested field, `_entities` through the gateway, direct subgraph call) a
 * user of one company never sees the other company's data, and a student
 * never sees teacher-only fields.
 *
 * Which ids belong to which company is learnt, not listed: each company's
 * admin walks every root list two levels deep, and the demo ids add what
 * lists do not show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphName } from '../../platform/config.js';
import { DEMO_COMPANIES, DEMO_COURSES, DEMO_ERP, DEMO_LIVE_CLASSES, DEMO_USERS } from '../../platform/demo/demo-ids.js';
import { callSubgraph, demoViewer } from '../../test/support/subgraph-client.js';
import { carriesData, collectEntities, entitiesCall, readCatalog } from './support/entity-catalog.js';
import { startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

type Company = 'bheem' | 'globex';
const ADMIN: Record<Company, string> = { bheem: 'admin', globex: 'globex.admin' };
const OTHER: Record<Company, Company> = { bheem: 'globex', globex: 'bheem' };

/** Demo rows by company, for entity types whose ids root lists may not show. */
function demoIds(company: Company): string[] {
  const projects = DEMO_ERP.projects.filter((project) => project.company === company);
  return [
    `Company:${DEMO_COMPANIES[company].id}`,
    ...DEMO_COURSES.filter((course) => course.company === company).map((course) => `Course:${course.id}`),
    ...DEMO_USERS.filter((user) => user.company === company).map((user) => `User:${user.id}`),
    ...projects.map((project) => `Project:${project.id}`),
    ...DEMO_ERP.tasks.filter((task) => projects.includes(DEMO_ERP.projects[task.project] as never)).map((task) => `Task:${task.id}`),
    ...DEMO_ERP.milestones.filter((milestone) => projects.includes(DEMO_ERP.projects[milestone.project] as never)).map((milestone) => `Milestone:${milestone.id}`),
    ...DEMO_ERP.salesMeetings.filter((meeting) => meeting.company === company).map((meeting) => `SalesMeeting:${meeting.id}`),
    ...DEMO_ERP.leaveRequests.filter((leave) => leave.company === company).map((leave) => `LeaveRequest:${leave.id}`),
    ...DEMO_ERP.quotes.filter((quote) => quote.company === company).map((quote) => `Quote:${quote.id}`),
    ...DEMO_ERP.invoices.filter((invoice) => invoice.company === company).map((invoice) => `Invoice:${invoice.id}`),
    // An employee's id is their Moodle user id, so their company is their user's.
    ...DEMO_ERP.employees.filter((employee) => DEMO_USERS.find((user) => user.id === employee.id)?.company === company).map((employee) => `Employee:${employee.id}`),
    ...DEMO_LIVE_CLASSES.filter((live) => DEMO_COURSES.find((course) => course.id === live.course)?.company === company).map((live) => `LiveClass:${live.id}`),
  ];
}

let platform: GatewayPlatform;
let catalog: ReturnType<typeof readCatalog>;
const seen: Record<Company, Set<string>> = { bheem: new Set(), globex: new Set() };
const owned: Record<Company, Set<string>> = { bheem: new Set(), globex: new Set() };

beforeAll(async () => {
  platform = await startGatewayPlatform();
  catalog = readCatalog(platform.supergraphSdl);
  for (const company of ['bheem', 'globex'] as const) {
    const { data } = await platform.query(ADMIN[company], catalog.reachQuery);
    collectEntities(data, seen[company]);
    const known = new Set(catalog.entities.map((entity) => entity.name));
    for (const key of [...seen[company], ...demoIds(company)]) if (known.has(key.split(':')[0]!)) owned[company].add(key);
  }
  // What both admins reach (User rows of a shared id space, if any) belongs to neither for these tests.
  for (const key of [...owned.bheem]) if (owned.globex.has(key)) throw new Error(`${key} is reached by both companies' admins`);
});
afterAll(() => platform?.stop());

const idsOf = (company: Company, typename: string) => [...owned[company]].filter((key) => key.startsWith(`${typename}:`)).map((key) => key.slice(typename.length + 1));

describe('tenant isolation', () => {
  it('has demo rows of some company for every entity type, so that every type below is exercised', () => {
    const missing = catalog.entities.map((entity) => entity.name).filter((name) => idsOf('bheem', name).length + idsOf('globex', name).length === 0);
    expect(missing, 'entity types without demo rows: seed some, or add their ids to platform/demo/demo-ids.ts').toEqual([]);
  });

  it('never lets one company reach the other company’s entities through root lists and nested fields', () => {
    for (const company of ['bheem', 'globex'] as const) {
      const leaked = [...seen[company]].filter((key) => owned[OTHER[company]].has(key));
      expect(leaked, `${company} reached entities of ${OTHER[company]}`).toEqual([]);
    }
    expect(seen.bheem.size).toBeGreaterThan(0);
    expect(seen.globex.size).toBeGreaterThan(0);
  });

  it('answers root fields by id with nothing for another company’s entity', async () => {
    expect(catalog.rootFieldsById.length).toBeGreaterThan(0);
    for (const { field, type } of catalog.rootFieldsById) {
      for (const company of ['bheem', 'globex'] as const) {
        const [foreignId] = idsOf(OTHER[company], type);
        const [ownId] = idsOf(company, type);
        const query = `query($id: ID!) { ${field}(id: $id) { id __typename } }`;
        if (ownId) {
          const own = await platform.query(ADMIN[company], query, { id: ownId });
          expect(own.data?.[field]?.id, `${company} reads its own ${type} ${ownId} via ${field}`).toBe(ownId);
        }
        if (!foreignId) continue;
        const foreign = await platform.query(ADMIN[company], query, { id: foreignId });
        expect(foreign.data?.[field] ?? null, `${company} reads ${OTHER[company]}'s ${type} ${foreignId} via ${field}`).toBeNull();
      }
    }
  });

  it('does not expose _entities through the gateway', async () => {
    const response = await platform.query('admin', '{ _entities(representations: [{ __typename: "Course", id: "201" }]) { __typename } }');
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.data).toBeUndefined();
  });

  it('refuses direct subgraph calls without the gateway’s signature, _entities included', async () => {
    for (const [name, running] of Object.entries(platform.subgraphs)) {
      const response = await callSubgraph({
        url: running!.url,
        audience: name,
        secret: platform.config.internalSigningSecret,
        query: '{ _entities(representations: [{ __typename: "Course", id: "101" }]) { __typename } }',
      });
      expect(response.status, name).toBe(401);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('resolves no entity reference of another company on any subgraph, even for a signed admin', async () => {
    let checked = 0;
    const covered: string[] = [];
    for (const entity of catalog.entities) {
      for (const subgraph of entity.resolvedBy) {
        const running = platform.subgraphs[subgraph as SubgraphName]!;
        for (const company of ['bheem', 'globex'] as const) {
          const [foreignId] = idsOf(OTHER[company], entity.name);
          if (!foreignId) continue;
          const call = entitiesCall(subgraph, entity.name, foreignId);
          const as = (username: string) =>
            callSubgraph({ url: running.url, audience: subgraph, secret: platform.config.internalSigningSecret, viewer: demoViewer(username), ...call });
          const owner = await as(ADMIN[OTHER[company]]);
          expect(owner.body.data?._entities?.[0], `${OTHER[company]} resolves its own ${entity.name} ${foreignId} on ${subgraph}`).not.toBeNull();
          const intruder = await as(ADMIN[company]);
          const answer = intruder.body.data?._entities?.[0] as Record<string, unknown> | null | undefined;
          expect(carriesData(answer), `${company} got ${OTHER[company]}'s ${entity.name} ${foreignId} from ${subgraph}: ${JSON.stringify(answer)}`).toBe(false);
          checked++;
        }
        covered.push(`${entity.name}@${subgraph}`);
      }
    }
    console.log(`_entities isolation checked ${checked} calls: ${covered.join(', ')}`);
    expect(checked).toBeGreaterThan(0);
  });
});

/** Fields only teachers (and admins) may read, with an entity of a course where the student is enrolled. */
const TEACHER_ONLY = [
  { type: 'Course', field: 'students', id: '101', rootField: 'course' },
  // LiveClass.attendance is not: a student reads their own entry there (meet's reads.test.ts).
  { type: 'LiveClass', field: 'serviceParticipants', id: DEMO_LIVE_CLASSES[0].id, rootField: 'liveClass' },
];

describe('roles', () => {
  it('never shows a student teacher-only fields, through the gateway or on the subgraph', async () => {
    let checked = 0;
    for (const { type, field, id, rootField } of TEACHER_ONLY) {
      const entity = catalog.entities.find((candidate) => candidate.name === type);
      if (!entity) continue; // its subgraph is not registered yet
      if (catalog.rootFieldsById.some((root) => root.field === rootField)) {
        const query = `query($id: ID!) { ${rootField}(id: $id) { ${field} { __typename } } }`;
        const teacher = await platform.query('tara.teacher', query, { id });
        expect(teacher.errors, `tara.teacher reads ${type}.${field}`).toBeUndefined();
        const student = await platform.query('sam.student', query, { id });
        expect(student.data?.[rootField]?.[field] ?? null, `sam.student reads ${type}.${field}`).toBeNull();
        expect(student.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      for (const subgraph of entity.resolvedBy) {
        const running = platform.subgraphs[subgraph]!;
        const call = entitiesCall(subgraph, type, id);
        if (!call.query.includes(` ${field} `)) continue; // served by another subgraph
        const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${type} { ${field} { __typename } } } }`;
        const student = await callSubgraph({
          url: running.url,
          audience: subgraph,
          secret: platform.config.internalSigningSecret,
          viewer: demoViewer('sam.student'),
          query,
          variables: call.variables,
        });
        expect(student.body.data?._entities?.[0]?.[field] ?? null, `sam.student reads ${type}.${field} on ${subgraph}`).toBeNull();
        checked++;
      }
    }
    console.log(`teacher-only fields checked on ${checked} subgraph(s)`);
    expect(checked).toBeGreaterThan(0);
  });
});
