import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries } from '../../../platform/database/query-observer.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { callSubgraph, demoViewer, ENTITIES_QUERY } from '../../../test/support/subgraph-client.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy'], gateway: false });
});
afterAll(() => platform?.stop());

const call = (username: string | null, query: string, variables?: Record<string, unknown>) =>
  callSubgraph({
    url: platform.subgraphs.academy!.url,
    audience: 'academy',
    secret: platform.config.internalSigningSecret,
    viewer: username ? demoViewer(username) : undefined,
    query,
    variables,
  });

describe('academy subgraph', () => {
  it('lists the company courses with teachers taken from course-context role assignments', async () => {
    const { body } = await call('admin', '{ courses { id shortname teachers { username fullName } viewerRole } }');
    expect(body.errors).toBeUndefined();
    const byShortname = Object.fromEntries(body.data.courses.map((course: any) => [course.shortname, course]));
    expect(Object.keys(byShortname).sort()).toEqual(['CHE110-DRAFT', 'MAT201', 'PHY101']);
    expect(byShortname.PHY101.teachers).toEqual([{ username: 'tara.teacher', fullName: 'Tara Iyer' }]);
    expect(byShortname.PHY101.viewerRole).toBeNull();
  });

  it('shows a student the visible courses and their own role, but not hidden courses or classmates', async () => {
    const { body } = await call('sam.student', '{ courses { shortname viewerRole } myCourses { shortname } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.courses.map((c: any) => c.shortname).sort()).toEqual(['MAT201', 'PHY101']);
    expect(body.data.courses.every((c: any) => c.viewerRole === 'STUDENT')).toBe(true);
    expect(body.data.myCourses.map((c: any) => c.shortname).sort()).toEqual(['MAT201', 'PHY101']);
    const students = await call('sam.student', '{ course(id: "101") { students { username } } }');
    expect(students.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a teacher list the students of their course', async () => {
    const { body } = await call('tara.teacher', '{ course(id: "101") { viewerRole students { username } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.course.viewerRole).toBe('TEACHER');
    expect(body.data.course.students.map((s: any) => s.username).sort()).toEqual(['sam.student', 'sita.student']);
  });

  it('resolves Course and User references in one SQL statement per type, whatever the list size', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const representations = ['101', '102', '103', '101'].map((id) => ({ __typename: 'Course', id }));
    const courses = await call('admin', ENTITIES_QUERY('Course', 'id fullname'), { representations });
    const users = await call('admin', ENTITIES_QUERY('User', 'id username'), {
      representations: ['2', '3', '4', '5', '6'].map((id) => ({ __typename: 'User', id })),
    });
    stop();
    expect(courses.body.data._entities.map((c: any) => c.id)).toEqual(['101', '102', '103', '101']);
    expect(users.body.data._entities.map((u: any) => u.username)).toEqual(['admin', 'tara.teacher', 'ravi.teacher', 'sam.student', 'sita.student']);
    expect(statements.filter((sql) => sql.includes('mdl_course'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('mdl_user'))).toHaveLength(1);
  });

  it('batches teachers of many courses into one statement', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    await call('admin', '{ courses { teachers { id } } }');
    stop();
    expect(statements.filter((sql) => sql.includes('mdl_role_assignments'))).toHaveLength(1);
  });

  it('never resolves another company\u2019s course or user, on any path', async () => {
    const entities = await call('admin', ENTITIES_QUERY('Course', 'id'), { representations: [{ __typename: 'Course', id: '201' }] });
    expect(entities.body.data._entities).toEqual([null]);
    const users = await call('admin', ENTITIES_QUERY('User', 'id'), { representations: [{ __typename: 'User', id: '21' }] });
    expect(users.body.data._entities).toEqual([null]);
    const root = await call('admin', '{ course(id: "201") { id } }');
    expect(root.body.data.course).toBeNull();
    const globex = await call('globex.admin', '{ courses { shortname } }');
    expect(globex.body.data.courses.map((c: any) => c.shortname)).toEqual(['GLX-SALES']);
  });

  it('hides hidden courses from non-participants', async () => {
    const { body } = await call('sita.student', '{ course(id: "103") { id } }');
    expect(body.data.course).toBeNull();
  });

  it('refuses requests that were not signed by the gateway', async () => {
    const unsigned = await call(null, '{ courses { id } }');
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const tampered = await callSubgraph({
      url: platform.subgraphs.academy!.url,
      audience: 'academy',
      secret: platform.config.internalSigningSecret,
      viewer: demoViewer('sam.student'),
      query: '{ courses { id } }',
      signedBody: '{"query":"{ me { id } }"}',
    });
    expect(tampered.status).toBe(401);
    const otherAudience = await callSubgraph({
      url: platform.subgraphs.academy!.url,
      audience: 'erp',
      secret: platform.config.internalSigningSecret,
      viewer: demoViewer('admin'),
      query: '{ courses { id } }',
    });
    expect(otherAudience.status).toBe(401);
    const wrongKey = await callSubgraph({
      url: platform.subgraphs.academy!.url,
      audience: 'academy',
      secret: 'not-the-secret',
      viewer: demoViewer('admin'),
      query: '{ courses { id } }',
    });
    expect(wrongKey.status).toBe(401);
  });

  it('shows e-mail addresses to oneself and admins only', async () => {
    const self = await call('sam.student', '{ me { email } }');
    expect(self.body.data.me.email).toBe('sam.student@bheem.example');
    const other = await call('sam.student', ENTITIES_QUERY('User', 'email'), { representations: [{ __typename: 'User', id: '6' }] });
    expect(other.body.data._entities[0].email).toBeNull();
  });
});
