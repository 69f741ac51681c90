/**
 * Course references as erp resolves them (Course.tasks): the tasks of the
 * caller's company's projects linked to the course, for staff only; and a
 * representation whose id cannot be a GraphQL ID (a fraction, none at all)
 * is refused as bad input rather than failing as an internal error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { DEMO, erpCaller } from './erp-test-kit.js';

let platform: TestPlatform;
let call: ReturnType<typeof erpCaller>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['erp'], gateway: false });
  call = erpCaller(platform);
});
afterAll(() => platform?.stop());

const COURSE_TASKS = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { id tasks { id } } } }`;
const courses = (...ids: unknown[]) => ({ representations: ids.map((id) => ({ __typename: 'Course', id })) });

describe('Course references in erp', () => {
  it('shows a course the tasks of the caller\u2019s company only, and to staff only', async () => {
    const expected: Record<string, string[][]> = {
      admin: [[DEMO.oscilloscopesTask], []],
      'emil.employee': [[DEMO.oscilloscopesTask], []],
      'sam.student': [[], []],
      'globex.admin': [[], []],
    };
    for (const [user, tasks] of Object.entries(expected)) {
      const { data, errors } = await call(user, COURSE_TASKS, courses('101', '201'));
      expect(errors, user).toBeUndefined();
      expect(
        data._entities.map((course: any) => course.tasks.map((task: any) => task.id)),
        user,
      ).toEqual(tasks);
    }
  });

  it('refuses a representation whose id is a fraction or missing with BAD_USER_INPUT', async () => {
    for (const variables of [courses(1.5), { representations: [{ __typename: 'Course' }] }, courses(1e300)]) {
      const { errors } = await call('admin', COURSE_TASKS, variables);
      expect(
        errors?.map((error) => error.extensions?.code),
        JSON.stringify(variables),
      ).toEqual(['BAD_USER_INPUT']);
    }
  });
});
