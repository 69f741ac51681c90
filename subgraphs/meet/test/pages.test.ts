/**
 * Lists that grow page by page (Relay connections) through the gateway:
 * Query.liveClassesConnection, Course.liveClassesConnection and
 * Course.recordingsConnection give, page after page, exactly what the old
 * list fields give at once, under the same visibility rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], env: { MEET_RECONCILE_INTERVAL_SECONDS: '0', GATEWAY_RATE_LIMIT_STORE: 'memory' } });
});
afterAll(() => platform?.stop());

const PAGE = 'edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor }';

/** Every id of a connection, one `first`-sized page at a time; `pick` finds the connection in the answer. */
async function pageThrough(
  username: string,
  query: string,
  pick: (data: any) => any,
  first: number,
  variables: Record<string, unknown> = {},
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const { data, errors } = await platform.query(username, query, { ...variables, first, after });
    expect(errors).toBeUndefined();
    const connection = pick(data);
    pages++;
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    expect(connection.pageInfo.hasPreviousPage).toBe(false);
    ids.push(...connection.edges.map((edge: any) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) return { ids, pages };
    after = connection.pageInfo.endCursor;
    if (pages > 50) throw new Error('paging does not end');
  }
}

describe('live classes a page at a time', () => {
  it('Query.liveClassesConnection pages through what liveClasses lists, for each role', async () => {
    for (const username of ['admin', 'sam.student', 'neil.student', 'tara.teacher']) {
      const all = (await platform.query(username, '{ liveClasses { id } }')).data.liveClasses.map((liveClass: any) => liveClass.id);
      const paged = await pageThrough(
        username,
        `query($first: Int, $after: String) { liveClassesConnection(first: $first, after: $after) { ${PAGE} } }`,
        (data) => data.liveClassesConnection,
        1,
      );
      expect(paged.ids, username).toEqual(all);
    }
  });

  it('Course.liveClassesConnection pages through the course\u2019s classes, with the same filters', async () => {
    const course = (await platform.query('sam.student', '{ course(id: "101") { liveClasses { id } } }')).data.course;
    expect(course.liveClasses.length).toBeGreaterThan(1);
    const paged = await pageThrough(
      'sam.student',
      `query($first: Int, $after: String) { course(id: "101") { liveClassesConnection(first: $first, after: $after) { ${PAGE} } } }`,
      (data) => data.course.liveClassesConnection,
      2,
    );
    expect(paged.ids).toEqual(course.liveClasses.map((liveClass: any) => liveClass.id));
    expect(paged.pages).toBeGreaterThan(1);
    const scheduled = (
      await platform.query(
        'sam.student',
        '{ course(id: "101") { liveClasses(status: [SCHEDULED]) { id } liveClassesConnection(status: [SCHEDULED], first: 50) { edges { node { id } } } } }',
      )
    ).data.course;
    expect(scheduled.liveClassesConnection.edges.map((edge: any) => edge.node.id)).toEqual(scheduled.liveClasses.map((liveClass: any) => liveClass.id));
    // Not enrolled: empty, as the list.
    const outsider = await platform.query('neil.student', '{ course(id: "101") { liveClassesConnection { edges { node { id } } pageInfo { hasNextPage } } } }');
    expect(outsider.data.course.liveClassesConnection).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
  });

  it('Course.recordingsConnection pages through the course\u2019s recordings, newest first', async () => {
    let seen = 0;
    for (const username of ['admin', 'sam.student']) {
      const courses = (await platform.query(username, '{ liveClasses { course { id } } }')).data.liveClasses.map((liveClass: any) => liveClass.course.id);
      for (const courseId of new Set<string>(courses)) {
        const all = (await platform.query(username, 'query($id: ID!) { course(id: $id) { recordings { id } } }', { id: courseId })).data.course.recordings.map(
          (recording: any) => recording.id,
        );
        const paged = await pageThrough(
          username,
          `query($id: ID!, $first: Int, $after: String) { course(id: $id) { recordingsConnection(first: $first, after: $after) { ${PAGE} } } }`,
          (data) => data.course.recordingsConnection,
          1,
          { id: courseId },
        );
        expect(paged.ids, `${username} ${courseId}`).toEqual(all);
        seen += all.length;
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('refuses a cursor of another list and an empty page size with BAD_USER_INPUT', async () => {
    const bad = await platform.query('admin', '{ liveClassesConnection(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const none = await platform.query('admin', '{ liveClassesConnection(first: 0) { edges { cursor } } }');
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Well-formed but made up: an empty page, never a 500.
    const forged = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    const empty = await platform.query('admin', `{ liveClassesConnection(after: "${forged}") { edges { cursor } pageInfo { hasNextPage } } }`);
    expect(empty.errors).toBeUndefined();
    expect(empty.data.liveClassesConnection.edges).toEqual([]);
  });
});
