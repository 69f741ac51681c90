/**
 * The subgraphs' fast path executes known texts with graphql-jit
 * (platform/subgraph/fast-path.ts); platform/subgraph/test/fast-path-engines.test.ts
 * holds it to graphql-js over a small made-up schema. This holds it to
 * graphql-js over the real subgraphs, their real schemas, resolvers,
 * scalars and seeded PostgreSQL data: the gateway's own subgraph requests
 * for the bench's operations (bench/gateway/operations.ts: course lookup,
 * course page, course list) and for error cases (an unknown course, a
 * calendar range the subgraph refuses, a student's view, a field that needs
 * a role) are recorded on their way to the subgraphs, then sent again,
 * signed identity and all, to each subgraph and to a twin of it running
 * graphql-js: the answers must be the same bytes (status, media type, body;
 * errors compared as a set, since graphql-jit lists the errors of nulls that
 * bubbled in another order), both served by the fast path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../bench/gateway/operations.js';
import { startGateway, type RunningGateway } from '../gateway/start-gateway.js';
import type { SubgraphName } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { metricsRegistry } from '../platform/observability/metrics.js';
import { startSubgraph, type RunningSubgraph } from '../platform/subgraph/start-subgraph.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const NAMES: SubgraphName[] = ['academy', 'meet', 'calendar', 'documents'];

interface Recorded {
  name: SubgraphName;
  headers: Record<string, string>;
  body: string;
}

let platform: TestPlatform;
let gateway: RunningGateway;
const twins: Partial<Record<SubgraphName, RunningSubgraph>> = {};
const proxies: http.Server[] = [];
const recorded: Recorded[] = [];

/** A pass-through in front of a subgraph that keeps each GraphQL request the gateway sends it. */
async function recordingProxy(name: SubgraphName, target: string): Promise<string> {
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(key)) headers[key] = value;
    }
    if (request.method === 'POST') recorded.push({ name, headers, body });
    const answer = await fetch(target, { method: request.method, headers, body: request.method === 'POST' ? body : undefined });
    const text = await answer.text();
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxies.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: NAMES, gateway: false, seeded: true });
  const log = createLogger('test');
  const deps = { config: platform.config, databaseUrl: platform.database.url, log };
  for (const name of NAMES) {
    twins[name] = await startSubgraph(await SUBGRAPH_MODULES[name]!(), deps, { port: 0 }, { fastPathEngine: 'graphql-js' });
  }
  const subgraphUrls: Record<string, string> = {};
  for (const name of NAMES) subgraphUrls[name] = await recordingProxy(name, platform.subgraphs[name]!.url);
  gateway = await startGateway({ config: platform.config, log, subgraphUrls: subgraphUrls as never });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  for (const proxy of proxies) await new Promise((resolve) => proxy.close(resolve));
  for (const twin of Object.values(twins)) await twin?.stop();
  await platform?.stop();
});

async function throughGateway(username: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(gateway.url.replace('localhost', '127.0.0.1'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await platform.tokenFor(username)}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

/** Requests the fast path of `name` (the subgraph and its twin) has served; a subgraph's own calls to academy count for academy. */
async function served(name: SubgraphName): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('bheem_subgraph_fast_path_requests_total')?.get();
  return metric?.values.find((value) => value.labels.service === name)?.value ?? 0;
}

/** The answer with each error's stack trace (outside production) reduced to whether it is there, and the errors as a set. */
function comparable(answer: { status: number; contentType: string | null; body: string }) {
  const { errors, ...rest } = JSON.parse(answer.body.replace(/"stacktrace":\[(?:"(?:[^"\\]|\\.)*",?)*\]/g, '"stacktrace":true')) as { errors?: unknown[] };
  return { status: answer.status, contentType: answer.contentType, body: JSON.stringify(rest), errors: errors?.map((error) => JSON.stringify(error)).sort() };
}

async function send(url: string, { headers, body }: Recorded) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

describe('the fast path: graphql-jit and graphql-js over the real subgraphs', () => {
  it('answer every subgraph request of the bench operations and of error cases alike', async () => {
    const courses = (await throughGateway('admin', '{ courses { id } }', {})).data.courses as { id: string }[];
    expect(courses.length).toBeGreaterThan(0);
    const now = Date.now();
    const window = { from: new Date(now - 7 * 86_400_000).toISOString(), to: new Date(now + 60 * 86_400_000).toISOString() };
    for (const username of ['admin', 'tara.teacher', 'sam.student']) {
      for (const course of courses.slice(0, 3)) {
        await throughGateway(username, OPERATIONS.lookup.query, { id: course.id });
        await throughGateway(username, OPERATIONS.coursePage.query, { id: course.id });
      }
      await throughGateway(username, OPERATIONS.courseList.query, window);
    }
    // Errors: an unknown course, a range calendar refuses (BAD_USER_INPUT at each course's path), and a field for teachers.
    expect((await throughGateway('admin', OPERATIONS.coursePage.query, { id: '999999' })).data?.course).toBeNull();
    const refused = await throughGateway('admin', OPERATIONS.courseList.query, { from: window.to, to: window.from });
    expect(refused.errors?.some((error) => error.extensions?.code === 'BAD_USER_INPUT')).toBe(true);
    const studentOnly = await throughGateway('sam.student', '{ courses { id liveClasses { id title scheduledAt endsAt startedAt serviceParticipants { __typename } } } }', {});
    expect(studentOnly.errors?.length ?? 0).toBeGreaterThan(0);

    const distinct = [...new Map(recorded.map((request) => [`${request.name}\0${request.headers['bheem-identity']}\0${request.body}`, request])).values()];
    expect(new Set(distinct.map((request) => request.name))).toEqual(new Set(NAMES));
    let compared = 0;
    const withErrors = new Set<string>();
    for (const request of distinct) {
      const twin = twins[request.name]!.url;
      // The twin sees the text first through Apollo Server (which records it), then answers it on its fast path.
      await send(twin, request);
      const before = await served(request.name);
      const byJs = await send(twin, request);
      const byJit = await send(platform.subgraphs[request.name]!.url, request);
      // Both past Apollo Server (a text the subgraph refused, never recorded, is Apollo's both times, and not counted).
      const fast = (await served(request.name)) - before;
      if (fast === 0) continue;
      expect(fast, `${request.name} ${request.body}`).toBe(2);
      expect(comparable(byJit), `${request.name} ${request.body}`).toEqual(comparable(byJs));
      compared++;
      for (const error of comparable(byJs).errors ?? []) withErrors.add(`${request.name} ${JSON.parse(error).extensions?.code}`);
    }
    // Every text the gateway sent (63 when written) was served past Apollo Server by both engines.
    expect(compared).toBe(distinct.length);
    expect(compared).toBeGreaterThanOrEqual(40);
    // The error cases reached the subgraphs' fast paths: calendar's refused range, meet's refused field.
    expect([...withErrors]).toEqual(expect.arrayContaining(['calendar BAD_USER_INPUT', 'meet FORBIDDEN']));
  }, 120_000);
});
