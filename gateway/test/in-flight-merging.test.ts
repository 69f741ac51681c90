/**
 * Identical subgraph queries in flight at the same time share one request
 * (gateway/in-flight-requests.ts): through the real gateway and academy,
 * two identical requests of one person reach academy once (counted in
 * bheem_gateway_subgraph_requests_merged_total), the same query of two
 * companies reaches it twice, and every caller gets its own right answer.
 * Then the data source alone over a test subgraph: mutations are never
 * merged, nor two different bodies of one person, a caller that gives up leaves the other's answer alone, and the
 * request is cancelled upstream only when every caller has gone.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoViewer } from '../../test/support/subgraph-client.js';
import type { GatewayContext } from '../gateway-context.js';
import { gatewayMetrics } from '../gateway-metrics.js';
import type { RunningGateway } from '../start-gateway.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';
import { startSubgraphServer, type SubgraphServer } from './conformance/support/subgraph-server.js';
import { postTo, startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

const COURSES = '{ courses { id fullname } }';

// A bound for a condition that never comes, generous so that a busy machine only slows the test.
async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function mergedSoFar(subgraph: string): Promise<number> {
  const metric = await gatewayMetrics.subgraphRequestsMerged.get();
  return metric.values.filter((value) => value.labels.subgraph === subgraph).reduce((sum, value) => sum + value.value, 0);
}

/** A proxy in front of a subgraph that counts the requests reaching it and holds every answer until released. */
async function holdingProxy(target: string) {
  const upstreamUrl = new URL(target);
  let release!: () => void;
  let released = Promise.resolve();
  const state = {
    arrivals: 0,
    hold() {
      state.arrivals = 0;
      released = new Promise<void>((resolve) => (release = resolve));
    },
    release: () => release(),
  };
  const server = http.createServer((request, response) => {
    state.arrivals++;
    const waitFor = released;
    const upstream = http.request({ host: upstreamUrl.hostname, port: upstreamUrl.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      void waitFor.then(() => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      });
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...state,
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('identical subgraph queries in flight, through the gateway', () => {
  let platform: GatewayPlatform;
  let proxy: Awaited<ReturnType<typeof holdingProxy>>;
  let held: RunningGateway;
  const bearer = async (username: string) => ({ authorization: `Bearer ${await platform.tokenFor(username)}` });
  const viaProxy = (headers: Record<string, string>) => postTo(held.url.replace('localhost', '127.0.0.1'), { query: COURSES }, headers);

  beforeAll(async () => {
    platform = await startGatewayPlatform({ subgraphs: ['academy'] });
    proxy = await holdingProxy(platform.subgraphs.academy!.url);
    held = await platform.startAnotherGateway({ subgraphUrls: { academy: proxy.url } });
  });
  afterAll(async () => {
    proxy?.state.release();
    proxy?.close();
    await platform?.stop();
  });

  it('sends those of one person once, and each caller gets the answer', async () => {
    const headers = await bearer('admin');
    const expected = (await platform.post({ query: COURSES }, headers)).body;
    expect(expected.errors).toBeUndefined();
    expect(expected.data?.courses?.length).toBeGreaterThan(0);
    const before = await mergedSoFar('academy');
    proxy.state.hold();
    const answers = [viaProxy(headers), viaProxy(headers)];
    await until(async () => (await mergedSoFar('academy')) > before || proxy.state.arrivals >= 2);
    const merged = (await mergedSoFar('academy')) - before;
    proxy.state.release();
    for (const answer of await Promise.all(answers)) expect(answer.body).toEqual(expected);
    expect(merged).toBe(1);
    expect(proxy.state.arrivals).toBe(1);
  });

  it('never merges the same query of two companies: each reaches academy, each gets its own answer', async () => {
    const [bheem, globex] = [await bearer('admin'), await bearer('globex.admin')];
    const expectedBheem = (await platform.post({ query: COURSES }, bheem)).body;
    const expectedGlobex = (await platform.post({ query: COURSES }, globex)).body;
    expect(expectedBheem.data).not.toEqual(expectedGlobex.data);
    const before = await mergedSoFar('academy');
    proxy.state.hold();
    const answers = [viaProxy(bheem), viaProxy(globex)];
    await until(async () => proxy.state.arrivals >= 2 || (await mergedSoFar('academy')) > before);
    proxy.state.release();
    const [fromBheem, fromGlobex] = await Promise.all(answers);
    expect(await mergedSoFar('academy')).toBe(before);
    expect(proxy.state.arrivals).toBe(2);
    expect(fromBheem!.body).toEqual(expectedBheem);
    expect(fromGlobex!.body).toEqual(expectedGlobex);
  });
});

describe('identical subgraph requests in flight, at the data source', () => {
  let server: SubgraphServer;
  let source: SubgraphDataSource;
  let release!: () => void;
  let arrivals = 0;
  const context = (signal?: AbortSignal): GatewayContext => ({ viewer: demoViewer('admin'), requestId: 'r', signal });
  const hold = () => {
    arrivals = 0;
    server.hold = { until: new Promise<void>((resolve) => (release = resolve)), arrived: () => arrivals++ };
  };

  beforeAll(async () => {
    server = await startSubgraphServer({
      name: 'counter',
      typeDefs: 'type Query { count: Int! } type Mutation { bump: Int! }',
      resolvers: { Query: { count: () => 1 }, Mutation: { bump: () => 2 } },
    });
    source = new SubgraphDataSource({ name: 'counter', url: server.url, signingSecret: 'test-secret' });
  });
  afterAll(async () => {
    release?.();
    await source?.close();
    await server?.stop();
  });

  it('never merges mutations', async () => {
    hold();
    const calls = [source.fetch('mutation { bump }', undefined, undefined, context(), true), source.fetch('mutation { bump }', undefined, undefined, context(), true)];
    await until(() => arrivals === 2);
    release();
    for (const answer of await Promise.all(calls)) expect(answer.data).toEqual({ bump: 2 });
  });

  it('merges those of one person signed in different seconds, never those of two people of one company', async () => {
    hold();
    const first = source.fetch('{ count }', undefined, undefined, context(), false);
    await until(() => arrivals === 1);
    const signedIn = Math.floor(Date.now() / 1000);
    await until(() => Math.floor(Date.now() / 1000) > signedIn);
    const later = source.fetch('{ count }', undefined, undefined, context(), false);
    const colleague = source.fetch('{ count }', undefined, undefined, { viewer: demoViewer('admin', { userId: 'passport-colleague' }), requestId: 'c' }, false);
    await until(() => arrivals === 2);
    release();
    for (const answer of await Promise.all([first, later, colleague])) expect(answer.data).toEqual({ count: 1 });
    expect(arrivals).toBe(2);
  });

  it('never merges two different requests of one person: each body reaches the subgraph, each gets its answer', async () => {
    hold();
    const asked = source.fetch('{ count }', undefined, undefined, context(), false);
    await until(() => arrivals === 1);
    const aliased = source.fetch('{ c: count }', undefined, undefined, context(), false);
    const named = source.fetch('query Q { count }', undefined, 'Q', context(), false);
    await until(() => arrivals === 3);
    release();
    const answers = await Promise.all([asked, aliased, named]);
    expect(answers.map((answer) => answer.data)).toEqual([{ count: 1 }, { c: 1 }, { count: 1 }]);
    expect(arrivals).toBe(3);
  });

  it('gives each caller its own copy of the answer', async () => {
    hold();
    const first = source.fetch('{ count }', undefined, undefined, context(), false);
    await until(() => arrivals === 1);
    const second = source.fetch('{ count }', undefined, undefined, context(), false);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(arrivals).toBe(1);
    expect(a.data).toEqual({ count: 1 });
    expect(b.data).toEqual({ count: 1 });
    expect(a.data).not.toBe(b.data);
  });

  it('lets a caller give up without cancelling the request the other still waits for; cancels it when both have', async () => {
    hold();
    const leaving = new AbortController();
    const staying = new AbortController();
    const cancelledBefore = server.cancelled;
    const first = source.fetch('{ count }', undefined, undefined, context(leaving.signal), false);
    await until(() => arrivals === 1);
    const second = source.fetch('{ count }', undefined, undefined, context(staying.signal), false);
    leaving.abort(new Error('caller left'));
    await expect(first).rejects.toMatchObject({ extensions: { code: 'REQUEST_CANCELLED' } });
    release();
    expect((await second).data).toEqual({ count: 1 });
    expect(arrivals).toBe(1);
    expect(server.cancelled).toBe(cancelledBefore);

    hold();
    const both = [new AbortController(), new AbortController()];
    const calls = both.map((controller) => source.fetch('{ count }', undefined, undefined, context(controller.signal), false));
    await until(() => arrivals === 1);
    for (const controller of both) controller.abort(new Error('caller left'));
    for (const call of calls) await expect(call).rejects.toMatchObject({ extensions: { code: 'REQUEST_CANCELLED' } });
    await until(() => server.cancelled === cancelledBefore + 1);
    release();
  });
});
