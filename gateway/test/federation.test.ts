/**
 * The federated platform end to end, as a new user meets it: every subgraph
 * and the real gateway over the static supergraph, on seeded data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { DEMO_LIVE_CLASSES } from '../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.stop());

const COURSES_QUERY = '{ courses { id fullname teachers { fullName } liveClasses { id title status } calendarEvents { id title } documents { id filename } } }';
const TASKS_QUERY = '{ tasks { id title calendarEvents { id title start } documents { id filename } } }';

describe('federated queries through the gateway', () => {
  it('answers the course page across academy, meet, calendar and documents', async () => {
    const { data, errors } = await platform.query('admin', COURSES_QUERY);
    expect(errors).toBeUndefined();
    const physics = data.courses.find((course: any) => course.id === '101');
    expect(physics.fullname).toBe('Physics 101: Mechanics');
    expect(physics.teachers).toEqual([{ fullName: 'Tara Iyer' }]);
    expect(physics.liveClasses.length).toBeGreaterThan(0);
    expect(physics.liveClasses.every((liveClass: any) => liveClass.status && liveClass.title)).toBe(true);
    expect(physics.calendarEvents.length).toBeGreaterThan(0);
    expect(physics.documents.length).toBeGreaterThan(0);
  });

  it('answers ERP tasks with their calendar deadlines and documents', async () => {
    const { data, errors } = await platform.query('admin', TASKS_QUERY);
    expect(errors).toBeUndefined();
    expect(data.tasks.length).toBeGreaterThan(0);
    expect(data.tasks.some((task: any) => task.calendarEvents.length > 0)).toBe(true);
    expect(data.tasks.some((task: any) => task.documents.length > 0)).toBe(true);
    for (const task of data.tasks) for (const event of task.calendarEvents) expect(Date.parse(event.start)).not.toBeNaN();
  });

  it('goes from a live class to its course and its calendar event', async () => {
    const { data, errors } = await platform.query('tara.teacher', '{ course(id: "101") { liveClasses { id title course { fullname } calendarEvent { start } } } }');
    expect(errors).toBeUndefined();
    const seeded = DEMO_LIVE_CLASSES.find((liveClass) => liveClass.course === '101')!;
    const liveClass = data.course.liveClasses.find((candidate: any) => candidate.id === seeded.id);
    expect(liveClass.course.fullname).toBe('Physics 101: Mechanics');
    expect(Date.parse(liveClass.calendarEvent.start)).not.toBeNaN();
  });

  it('keeps each company to its own data', async () => {
    const { data, errors } = await platform.query('globex.admin', COURSES_QUERY);
    expect(errors).toBeUndefined();
    expect(data.courses.map((course: any) => course.id)).toEqual(['201']);
    const tasks = await platform.query('globex.admin', TASKS_QUERY);
    const bheemTasks = await platform.query('admin', TASKS_QUERY);
    const globexIds = new Set(tasks.data.tasks.map((task: any) => task.id));
    expect(bheemTasks.data.tasks.some((task: any) => globexIds.has(task.id))).toBe(false);
  });
});

describe('authentication at the gateway', () => {
  it('refuses a missing, forged or expired token with 401 UNAUTHENTICATED', async () => {
    const missing = await platform.request({ query: '{ courses { id } }' });
    const forged = await platform.request({
      query: '{ courses { id } }',
      token: await new SignJWT({ company_id: 'x', roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(new TextEncoder().encode('not-the-secret')),
    });
    const expired = await platform.request({ query: '{ courses { id } }', token: await platform.tokenFor('admin', { expiresIn: -60 }) });
    for (const [name, response] of Object.entries({ missing, forged, expired })) {
      expect(response.status, name).toBe(401);
      expect(response.body.errors?.[0]?.extensions?.code, name).toBe('UNAUTHENTICATED');
      expect(response.body.data, name).toBeUndefined();
    }
    expect(expired.body.errors?.[0]?.message).toMatch(/expired/i);
  });
});

describe('a subgraph that goes down', () => {
  it('gives partial data with an error naming it, and recovers when it is back', async () => {
    await platform.stopSubgraph('documents');
    const { data, errors } = await platform.query('admin', '{ courses { id fullname documents { id } } }');
    expect(data?.courses?.length ?? 0).toBeGreaterThan(0);
    expect(errors?.length).toBeGreaterThan(0);
    expect(errors!.some((error) => error.extensions?.serviceName === 'documents' || /documents/.test(error.message))).toBe(true);
    const unaffected = await platform.query('admin', '{ courses { id teachers { fullName } } }');
    expect(unaffected.errors).toBeUndefined();
    await platform.restartSubgraph('documents');
    const recovered = await platform.query('admin', '{ courses { id documents { id } } }');
    expect(recovered.errors).toBeUndefined();
  });
});
