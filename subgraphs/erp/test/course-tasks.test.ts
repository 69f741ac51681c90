/**
 * A project linked to an Academy course, through the gateway: the link is
 * checked with academy as the caller, and Course.tasks / Task.course cross
 * academy and erp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp'] });
});
afterAll(() => platform?.stop());

async function gql(user: string, query: string, variables?: Record<string, unknown>) {
  const result = await platform.query(user, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}
const errorOf = async (user: string, query: string, variables?: Record<string, unknown>) => (await platform.query(user, query, variables)).errors?.[0];
const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { id course { id fullname } } }`;

describe('projects linked to Academy courses (through the gateway)', () => {
  it('links a project to a course of the company, and shows its tasks on the course and the course on its tasks', async () => {
    const { createProject: project } = await gql('maya.manager', CREATE, { input: { name: 'Lab kits for PHY101', courseId: '101' } });
    expect(project.course).toEqual({ id: '101', fullname: 'Physics 101: Mechanics' });
    const { createTask: task } = await gql('maya.manager', `mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }`, {
      input: { projectId: project.id, title: 'Order the trolleys' },
    });

    const course = await gql('admin', `{ course(id: "101") { fullname tasks { id title project { name } course { id } } } }`);
    expect(course.course.tasks).toContainEqual({ id: task.id, title: 'Order the trolleys', project: { name: 'Lab kits for PHY101' }, course: { id: '101' } });
    // The demo's "Physics lab equipment" is linked to PHY101 too; Calculus II has no project.
    expect(new Set(course.course.tasks.map((entry: any) => entry.project.name))).toEqual(new Set(['Lab kits for PHY101', 'Physics lab equipment']));
    expect((await gql('admin', `{ course(id: "102") { tasks { id } } }`)).course.tasks).toEqual([]);
    const { task: read } = await gql('maya.manager', `query($id: ID!) { task(id: $id) { course { fullname teachers { fullName } } } }`, { id: task.id });
    expect(read.course).toEqual({ fullname: 'Physics 101: Mechanics', teachers: [{ fullName: 'Tara Iyer' }] });
    // Students are no ERP staff: the course shows them no tasks.
    expect((await gql('sam.student', `{ course(id: "101") { tasks { id } } }`)).course.tasks).toEqual([]);

    // Unlinking: the course loses the tasks, the task its course.
    await gql('maya.manager', `mutation($id: ID!) { updateProject(id: $id, input: { courseId: null }) { id } }`, { id: project.id });
    expect((await gql('admin', `{ course(id: "101") { tasks { id } } }`)).course.tasks.map((entry: any) => entry.id)).not.toContain(task.id);
    expect((await gql('maya.manager', `query($id: ID!) { task(id: $id) { course { id } } }`, { id: task.id })).task.course).toBeNull();
  });

  it('refuses a course of another company, an unknown or malformed one (BAD_USER_INPUT), changing nothing', async () => {
    for (const courseId of ['201', '999999', 'PHY101', '-1', '']) {
      const error = await errorOf('maya.manager', CREATE, { input: { name: `Refused ${courseId}`, courseId } });
      expect(error?.extensions?.code, courseId).toBe('BAD_USER_INPUT');
    }
    const { createProject: project } = await gql('maya.manager', CREATE, { input: { name: 'Unlinked' } });
    for (const courseId of ['201', '']) {
      const refused = await errorOf('maya.manager', `mutation($id: ID!, $courseId: ID) { updateProject(id: $id, input: { courseId: $courseId }) { id } }`, {
        id: project.id,
        courseId,
      });
      expect(refused?.extensions?.code, courseId).toBe('BAD_USER_INPUT');
    }
    const { projects } = await gql('maya.manager', `{ projects { name course { id } } }`);
    expect(projects.filter((candidate: any) => candidate.name.startsWith('Refused'))).toEqual([]);
    expect(projects.find((candidate: any) => candidate.name === 'Unlinked').course).toBeNull();
    // Globex's course stays without Bheem's tasks, and Globex sees none of them.
    expect((await gql('globex.admin', `{ course(id: "201") { tasks { id } } }`)).course.tasks).toEqual([]);
  });
});
