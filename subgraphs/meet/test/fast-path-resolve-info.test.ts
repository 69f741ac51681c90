/**
 * Meet's course classes read only the columns their asked fields need
 * (selectedFields(info), leanClassColumns): the resolver trusts its resolve
 * info. A text's first request runs through Apollo Server (graphql-js), the
 * same text again through the fast path's compiled query (graphql-jit,
 * platform/subgraph/fast-path.ts): both must hand the resolver the same
 * fields, named fragments, inline fragments and aliases of one field with
 * different selections included, hence read the same columns and answer the
 * same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries } from '../../../platform/database/query-observer.js';
import { metricsRegistry } from '../../../platform/observability/metrics.js';
import { ENTITIES_QUERY } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { meetCaller } from './meet-client.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway: false });
});
afterAll(() => platform?.stop());
const call = meetCaller(() => platform);

const course = { representations: [{ __typename: 'Course', id: '101', viewerRole: null }] };

async function fastServed(): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('bheem_subgraph_fast_path_requests_total')?.get();
  return metric?.values.find((value) => value.labels.service === 'meet')?.value ?? 0;
}

describe('meet through the fast path', () => {
  it('reads the same columns and answers alike for a text sent again (graphql-jit) as the first time (Apollo Server)', async () => {
    const query = `${ENTITIES_QUERY(
      'Course',
      'times: liveClasses { ...Times } rooms: liveClasses(status: [SCHEDULED, ENDED]) { id ... on LiveClass { title status } }',
    )} fragment Times on LiveClass { id scheduledAt durationMinutes host { id } }`;
    const sends: { body: any; reads: string[] }[] = [];
    const servedBefore = await fastServed();
    for (let send = 0; send < 3; send++) {
      const statements: string[] = [];
      const stop = observeQueries((sql) => statements.push(sql));
      const { body } = await call('admin', query, course);
      stop();
      // Sorted: the two aliases' reads may start in either order.
      sends.push({ body, reads: statements.filter((sql) => sql.includes('"live_classes"')).sort() });
    }
    // The second and third came through the compiled query.
    expect((await fastServed()) - servedBefore).toBe(2);

    const [first] = sends;
    expect(first!.body.errors).toBeUndefined();
    const { times, rooms } = first!.body.data._entities[0];
    expect(times.length).toBeGreaterThan(1);
    for (const item of times) expect(Object.keys(item).sort()).toEqual(['durationMinutes', 'host', 'id', 'scheduledAt']);
    for (const item of times) expect(item.scheduledAt).toEqual(expect.any(String));
    expect(rooms.length).toBeGreaterThan(0);
    for (const item of rooms) expect(item).toEqual({ id: expect.any(String), title: expect.any(String), status: expect.stringMatching(/^(SCHEDULED|ENDED)$/) });
    // Lean reads: each alias its own columns, none of the whole row.
    expect(first!.reads).toHaveLength(2);
    expect(first!.reads.join('\n')).not.toContain('select *');
    for (const later of sends.slice(1)) {
      expect(later.body).toEqual(first!.body);
      expect(later.reads).toEqual(first!.reads);
    }
  });
});
