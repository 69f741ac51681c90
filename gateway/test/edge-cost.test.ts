/**
 * Cost is bounded before and while work runs: every alias counts
 * (`__typename` ones too), an answer has a size bound, a request cannot
 * hold a subgraph past GATEWAY_REQUEST_TIMEOUT_MS nor after its caller has
 * gone, the admission queue is bounded, and production errors never name
 * internal addresses. Real HTTP subgraphs (conformance/support), a real
 * gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { checkOperationLimits, DEFAULT_OPERATION_LIMITS } from '../operation-limits.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { composeSupergraph } from './conformance/support/compose.js';
import { startSubgraphServer, type SubgraphServer } from './conformance/support/subgraph-server.js';
import { postTo } from './support/gateway-platform.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const ITEMS = `${LINK}\ntype Query { items(n: Int!): [Item!]! }\ntype Item @key(fields: "id") { id: ID! text: String! }`;
const EXTRA = `${LINK}\ntype Item @key(fields: "id") { id: ID! more: String! }`;
// One item's text outside Latin-1: an answer with it is a two-byte string (gateway/answer-chunks.ts).
const itemText = (i: number) => (i === 7 ? `${'x'.repeat(98)}\u{1F393}` : 'x'.repeat(100));
const itemResolvers = { Query: { items: (_: unknown, { n }: { n: number }) => Array.from({ length: n }, (_, i) => ({ id: `i${i}`, text: itemText(i) })) } };
const extraResolvers = { Item: { __resolveReference: ({ id }: { id: string }) => ({ id, more: 'm'.repeat(100) }) } };

let items: SubgraphServer;
let extra: SubgraphServer;
let supergraphSdl: string;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  items = await startSubgraphServer({ name: 'items', typeDefs: ITEMS, resolvers: itemResolvers });
  extra = await startSubgraphServer({ name: 'extra', typeDefs: EXTRA, resolvers: extraResolvers });
  supergraphSdl = composeSupergraph([items, extra]);
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await Promise.all([items, extra].map((server) => server?.stop()));
});

async function gatewayWith(env: Record<string, string>, sdl = supergraphSdl) {
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory', ...env });
  const gateway = await startGateway({ config, log: createLogger('edge-cost-test'), supergraphSdl: sdl });
  gateways.push(gateway);
  const url = gateway.url.replace('localhost', '127.0.0.1');
  return { gateway, url, post: (query: string) => postTo(url, { query }) };
}

/** Holds the subgraph's answers until the returned release is called; `arrived` resolves at the first held request. */
function hold(server: SubgraphServer) {
  let release!: () => void;
  let arrived!: () => void;
  const first = new Promise<void>((resolve) => (arrived = resolve));
  server.hold = { until: new Promise<void>((resolve) => (release = resolve)), arrived: () => arrived() };
  return { arrived: first, release: () => ((server.hold = undefined), release()) };
}

function cancelled(server: SubgraphServer, count: number): Promise<void> {
  return new Promise((resolve) => {
    if (server.cancelled >= count) return resolve();
    server.onCancelled = () => server.cancelled >= count && resolve();
  });
}

describe('every selected field counts', () => {
  const typenames = (count: number) => `{ items(n: 1) { ${Array.from({ length: count }, (_, i) => `t${i}: __typename`).join(' ')} } }`;

  it('counts __typename aliases toward the alias limit and the rate-limit weight', () => {
    expect(checkOperationLimits(typenames(31))).toMatchObject({ ok: false, code: 'MAX_ALIASES_EXCEEDED' });
    expect(checkOperationLimits(typenames(9))).toMatchObject({ ok: true, weight: 10 });
  });

  it('counts __typename among root fields', () => {
    const roots = `{ ${Array.from({ length: 21 }, (_, i) => `r${i}: __typename`).join(' ')} }`;
    expect(checkOperationLimits(roots, { ...DEFAULT_OPERATION_LIMITS, maxAliases: 100 })).toMatchObject({ ok: false, code: 'MAX_ROOT_FIELDS_EXCEEDED' });
  });

  it('refuses the amplification through the gateway before any subgraph is called', async () => {
    const { post } = await gatewayWith({});
    const before = items.received.length;
    const response = await post(`{ items(n: 1000) { ${Array.from({ length: 400 }, (_, i) => `t${i}: __typename`).join(' ')} } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('MAX_ALIASES_EXCEEDED');
    expect(items.received.length).toBe(before);
  });
});

describe('response size', () => {
  it('answers RESPONSE_TOO_LARGE past GATEWAY_MAX_RESPONSE_BYTES, on the fast lane too', async () => {
    const { post } = await gatewayWith({ GATEWAY_MAX_RESPONSE_BYTES: '20000' });
    const small = await post('{ items(n: 10) { id text } }');
    expect(small.body.data.items).toHaveLength(10);
    // Twice: the first through Apollo Server, the second (a known text) through the fast lane. Each
    // subgraph's answer is under the bound (about 17 kB), the gateway's (about 30 kB) is not.
    for (let i = 0; i < 2; i++) {
      const large = await post('{ items(n: 120) { id text more } }');
      expect(large.status).toBe(200);
      expect(large.body.data ?? null).toBeNull();
      expect(large.body.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
    }
  });

  it('answers a large answer on the fast lane, written in chunks, as Apollo Server does', async () => {
    const { post } = await gatewayWith({});
    const query = '{ items(n: 400) { id text more } }';
    const [first, second] = [await post(query), await post(query)];
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    const answered = second.body.data.items as { id: string; text: string; more: string }[];
    expect(answered).toHaveLength(400);
    expect(answered.every((item, i) => item.id === `i${i}` && item.text === itemText(i) && item.more === 'm'.repeat(100))).toBe(true);
  });

  it('stops reading a subgraph answer past the bound', async () => {
    const { post } = await gatewayWith({ GATEWAY_MAX_RESPONSE_BYTES: '20000' });
    const response = await post('{ items(n: 1000) { id text } }');
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).toContain('RESPONSE_TOO_LARGE');
    expect(JSON.stringify(response.body).length).toBeLessThan(20_000);
  });
});

describe('time and cancellation', () => {
  it('cancels the subgraph fetch at GATEWAY_REQUEST_TIMEOUT_MS and answers GATEWAY_TIMEOUT', async () => {
    const { post } = await gatewayWith({ GATEWAY_REQUEST_TIMEOUT_MS: '300' });
    const held = hold(items);
    const seen = items.cancelled;
    try {
      const response = await post('{ items(n: 1) { id } }');
      expect(response.status).toBe(200);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('GATEWAY_TIMEOUT');
      await cancelled(items, seen + 1);
    } finally {
      held.release();
    }
  });

  it('cancels the subgraph fetch when the caller goes away', async () => {
    // No timeout of the gateway's own could cancel it first.
    const { url } = await gatewayWith({ GATEWAY_SUBGRAPH_TIMEOUT_MS: '120000', GATEWAY_REQUEST_TIMEOUT_MS: '120000' });
    const held = hold(items);
    const seen = items.cancelled;
    try {
      const controller = new AbortController();
      const pending = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ items(n: 2) { id } }' }),
        signal: controller.signal,
      }).catch(() => undefined);
      await held.arrived;
      controller.abort();
      await pending;
      await cancelled(items, seen + 1);
    } finally {
      held.release();
    }
  });
});

describe('the admission queue', () => {
  it('refuses with 503 SERVER_BUSY past GATEWAY_MAX_QUEUED_PLANS, on the fast lane and through Apollo Server alike', async () => {
    const { post, url } = await gatewayWith({ GATEWAY_CONCURRENT_PLANS: '1', GATEWAY_MAX_QUEUED_PLANS: '1' });
    const query = '{ items(n: 2) { id more } }';
    expect((await post(query)).body.data.items).toHaveLength(2); // planned and known: the fast lane serves it now
    const held = hold(items);
    const running = post(query);
    await held.arrived;
    const queued = post(query);
    // The queued one is in the queue once its request is read: a third finds it full.
    let refused = await post(query);
    for (let attempt = 0; refused.status !== 503 && attempt < 20; attempt++) refused = await post(query);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('SERVER_BUSY');
    // The same refusal through Apollo Server's path (an accept header the fast lane leaves to Apollo): the same status.
    const throughApollo = await postTo(url, { query }, { accept: 'application/graphql-response+json, application/json;q=0.9' });
    expect(throughApollo.body.errors?.[0]?.extensions?.code).toBe('SERVER_BUSY');
    expect(throughApollo.status).toBe(503);
    expect(throughApollo.headers['retry-after']).toBe('1');
    held.release();
    expect((await running).body.data.items).toHaveLength(2);
    expect((await queued).body.data.items).toHaveLength(2);
  });
});

describe('production errors', () => {
  it('never name a subgraph address, and keep naming the subgraph', async () => {
    const down = composeSupergraph([items, { ...extra, url: 'http://127.0.0.1:9/graphql' }]);
    const query = '{ items(n: 1) { id more } }';
    const dev = await gatewayWith({}, down);
    expect(JSON.stringify((await dev.post(query)).body)).toMatch(/127\.0\.0\.1:9/);
    // The same gateway in production mode (anonymous only so that no token is needed here).
    const config = { ...loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory' }), production: true };
    const production = await startGateway({ config, log: createLogger('edge-cost-test'), supergraphSdl: down });
    gateways.push(production);
    const answer = await postTo(production.url.replace('localhost', '127.0.0.1'), { query });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(answer.body.errors?.[0]?.message).toContain('"extra"');
    expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:9\b/);
  });
});
