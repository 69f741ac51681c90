/**
 * The gateway serves whatever supergraph it is configured with: subgraphs of
 * any name, reached at the URLs their join__Graph gives or the environment
 * overrides, each signed identity addressed to its subgraph by name; and a
 * supergraph file that changes is served anew without dropping requests in
 * flight, a broken one never replacing the one serving.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, verifyIdentity } from '../../platform/auth/gateway-signature.js';
import { loadConfig } from '../../platform/config.js';
import { loadGatewayConfig } from '../../platform/config/gateway-config.js';
import { createLogger } from '../../platform/logger.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { subgraphUrl } from '../supergraph/subgraph-urls.js';
import { composeSupergraph } from './conformance/support/compose.js';
import { startSubgraphServer, type SubgraphServer } from './conformance/support/subgraph-server.js';
import { postTo } from './support/gateway-platform.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const people = [
  { id: 'e1', name: 'Asha', title: 'Engineer' },
  { id: 'e2', name: 'Bilal', title: 'Designer' },
];
const HR = `${LINK}\ntype Query { employees: [Employee!]! }\ntype Employee @key(fields: "id") { id: ID! name: String! }`;
const HR_V2 = `${LINK}\ntype Query { employees: [Employee!]! }\ntype Employee @key(fields: "id") { id: ID! name: String! title: String! }`;
const PAYROLL = `${LINK}\ntype Employee @key(fields: "id") { id: ID! salary: Int! }`;
const hrResolvers = { Query: { employees: () => people }, Employee: { __resolveReference: ({ id }: { id: string }) => people.find((person) => person.id === id) } };
const payrollResolvers = { Employee: { __resolveReference: ({ id }: { id: string }) => ({ id, salary: id === 'e1' ? 100 : 90 }) } };

let hr: SubgraphServer;
let hrV2: SubgraphServer;
let payroll: SubgraphServer;
let payrollMoved: SubgraphServer;
let directory: string;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  hr = await startSubgraphServer({ name: 'hr', typeDefs: HR, resolvers: hrResolvers });
  hrV2 = await startSubgraphServer({ name: 'hr', typeDefs: HR_V2, resolvers: hrResolvers });
  payroll = await startSubgraphServer({ name: 'payroll-eu', typeDefs: PAYROLL, resolvers: payrollResolvers });
  payrollMoved = await startSubgraphServer({ name: 'payroll-eu', typeDefs: PAYROLL, resolvers: payrollResolvers });
  directory = mkdtempSync(path.join(tmpdir(), 'supergraph-'));
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await Promise.all([hr, hrV2, payroll, payrollMoved].map((server) => server?.stop()));
  rmSync(directory, { recursive: true, force: true });
});

/** A gateway configured by environment alone, as `npm run start:gateway` would be. */
async function gatewayWith(env: Record<string, string>) {
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory', ...env });
  const gateway = await startGateway({ config, log: createLogger('any-supergraph-test') });
  gateways.push(gateway);
  return { gateway, post: (query: string) => postTo(gateway.url.replace('localhost', '127.0.0.1'), { query }) };
}

function supergraphFile(name: string, subgraphs: { name: string; url: string; typeDefs: string }[]): string {
  const file = path.join(directory, name);
  writeFileSync(file, composeSupergraph(subgraphs));
  return file;
}

describe('any supergraph by configuration', () => {
  it('serves subgraphs of any name at their join__Graph URLs, anonymously, each identity addressed to its subgraph', async () => {
    const file = supergraphFile('plain.graphql', [hr, payroll]);
    const { post } = await gatewayWith({ GATEWAY_SUPERGRAPH_FILE: file });
    const answer = await post('{ employees { id name salary } }');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: {
        employees: [
          { id: 'e1', name: 'Asha', salary: 100 },
          { id: 'e2', name: 'Bilal', salary: 90 },
        ],
      },
    });
    const call = payroll.received.at(-1)!;
    const identity = verifyIdentity(loadConfig().internalSigningSecret, String(call.headers[IDENTITY_HEADER]), 'payroll-eu', call.body);
    expect(identity).toMatchObject({ ok: true, viewer: { userId: 'anonymous' } });
  });

  it('takes a subgraph URL from GATEWAY_SUBGRAPH_URL_<NAME> over the supergraph', async () => {
    const file = supergraphFile('moved.graphql', [hr, { ...payroll, url: 'http://127.0.0.1:9/graphql' }]);
    const { post } = await gatewayWith({ GATEWAY_SUPERGRAPH_FILE: file, GATEWAY_SUBGRAPH_URL_PAYROLL_EU: payroll.url });
    const answer = await post('{ employees { salary } }');
    expect(answer.body).toEqual({ data: { employees: [{ salary: 100 }, { salary: 90 }] } });
  });

  it('keeps the platform names ACADEMY_URL… as overrides, and the platform ports only for its own supergraph', () => {
    const config = loadConfig({ ...process.env, ACADEMY_URL: 'http://academy.example/graphql', GATEWAY_SUBGRAPH_URL_ERP: 'http://erp.example/graphql' });
    const own = { config, platformSupergraph: true };
    expect(subgraphUrl('academy', 'http://academy:4000/graphql', own)).toBe('http://academy.example/graphql');
    expect(subgraphUrl('erp', 'http://erp:4000/graphql', own)).toBe('http://erp.example/graphql');
    expect(subgraphUrl('meet', 'http://meet:4000/graphql', own)).toBe(config.subgraphUrls.meet);
    expect(subgraphUrl('meet', 'http://meet:4000/graphql', { config, platformSupergraph: false })).toBe('http://meet:4000/graphql');
  });

  it('refuses anonymous mode in production, and asks a token otherwise', async () => {
    expect(() => loadGatewayConfig({ GATEWAY_ANONYMOUS: 'true' }, true)).toThrow(/GATEWAY_ANONYMOUS/);
    const config = loadConfig({ ...process.env, GATEWAY_SUPERGRAPH_FILE: supergraphFile('token.graphql', [hr]), GATEWAY_RATE_LIMIT_STORE: 'memory' });
    const gateway = await startGateway({ config, log: createLogger('any-supergraph-test') });
    gateways.push(gateway);
    const answer = await postTo(gateway.url.replace('localhost', '127.0.0.1'), { query: '{ employees { id } }' });
    expect(answer.status).toBe(401);
  });
});

describe('reloading the supergraph file', () => {
  it('serves the new supergraph once it loads, while a request in flight finishes on the old', async () => {
    const file = supergraphFile('reloaded.graphql', [hr, payroll]);
    const { gateway, post } = await gatewayWith({ GATEWAY_SUPERGRAPH_FILE: file });
    expect((await post('{ employees { title } }')).body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    let release!: () => void;
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    payroll.hold = { until: new Promise<void>((resolve) => (release = resolve)), arrived };
    const inFlight = post('{ employees { name salary } }');
    await waiting;

    const reloaded = new Promise<void>((resolve) => gateway.federation.onServing(() => resolve()));
    supergraphFile('reloaded.graphql', [hrV2, payroll]);
    await reloaded;
    payroll.hold = undefined;
    const fresh = await post('{ employees { title } }');
    expect(fresh.body).toEqual({ data: { employees: [{ title: 'Engineer' }, { title: 'Designer' }] } });

    release();
    expect((await inFlight).body).toEqual({
      data: {
        employees: [
          { name: 'Asha', salary: 100 },
          { name: 'Bilal', salary: 90 },
        ],
      },
    });
  });

  it('closes the pool of a subgraph the reload moved, once the operation in flight that still uses it has finished', async () => {
    // A payroll of this test's own: the file's other gateways keep pooled sockets to the shared one until their
    // stop (or its keep-alive), which its count would include.
    const payroll = await startSubgraphServer({ name: 'payroll-eu', typeDefs: PAYROLL, resolvers: payrollResolvers });
    const file = supergraphFile('moving.graphql', [hr, payroll]);
    const { gateway, post } = await gatewayWith({ GATEWAY_SUPERGRAPH_FILE: file });
    expect((await post('{ employees { salary } }')).status).toBe(200);
    expect(await payroll.connections()).toBeGreaterThan(0);

    // In flight on the old supergraph, held before its fetch to payroll: that fetch comes after the reload.
    let release!: () => void;
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    hr.hold = { until: new Promise<void>((resolve) => (release = resolve)), arrived };
    const inFlight = post('{ employees { name salary } }');
    await waiting;
    const reloaded = new Promise<void>((resolve) => gateway.federation.onServing(() => resolve()));
    supergraphFile('moving.graphql', [hr, payrollMoved]);
    await reloaded;
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the grace for requests validated before the reload
    release();
    hr.hold = undefined;
    expect((await inFlight).body).toEqual({
      data: {
        employees: [
          { name: 'Asha', salary: 100 },
          { name: 'Bilal', salary: 90 },
        ],
      },
    });

    expect((await post('{ employees { salary } }')).body).toEqual({ data: { employees: [{ salary: 100 }, { salary: 90 }] } });
    expect(payrollMoved.received.length).toBeGreaterThan(0);
    // The old payroll pool is closed: its sockets go at once (well before the subgraph's own 5 s keep-alive
    // would drop them); hr's pool, kept by the new supergraph, stays.
    await expect.poll(() => payroll.connections(), { timeout: 2_000 }).toBe(0);
    expect(await hr.connections()).toBeGreaterThan(0);
    await payroll.stop();
  });

  it('keeps serving the current supergraph when the file turns into one that does not load', async () => {
    const file = supergraphFile('broken.graphql', [hr]);
    const { gateway, post } = await gatewayWith({ GATEWAY_SUPERGRAPH_FILE: file });
    writeFileSync(file, 'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query } type Query {');
    expect(gateway.federation.reload()).toBe(false);
    expect((await post('{ employees { name } }')).body).toEqual({ data: { employees: [{ name: 'Asha' }, { name: 'Bilal' }] } });
  });
});

describe('supergraphs that cannot serve an operation', () => {
  it('answers an operation the planner cannot plan with QUERY_PLANNING_FAILED and no data: 200 for JSON, 400 for graphql-response+json', async () => {
    // Neither subgraph can resolve Employee by key: salary cannot be reached from hr.
    const sdl = composeSupergraph([hr, payroll]).replaceAll(/@join__type\(graph: (HR|PAYROLL_EU), key: "id"\)/g, '@join__type(graph: $1, key: "id", resolvable: false)');
    const file = path.join(directory, 'unplannable.graphql');
    writeFileSync(file, sdl);
    const { gateway } = await gatewayWith({ GATEWAY_SUPERGRAPH_FILE: file });
    const url = gateway.url.replace('localhost', '127.0.0.1');
    const json = await postTo(url, { query: '{ employees { salary } }' });
    expect(json.status).toBe(200);
    expect(json.body.data).toBeUndefined();
    expect(json.body.errors?.[0]?.extensions?.code).toBe('QUERY_PLANNING_FAILED');
    const strict = await postTo(url, { query: '{ employees { salary } }' }, { accept: 'application/graphql-response+json' });
    expect(strict.status).toBe(400);
    expect(strict.body.errors?.[0]?.extensions?.code).toBe('QUERY_PLANNING_FAILED');
    expect((await postTo(url, { query: '{ employees { name } }' })).body.data).toEqual({ employees: [{ name: 'Asha' }, { name: 'Bilal' }] });
  });

  it('refuses to start on a corrupted supergraph, naming SUPERGRAPH_INVALID', async () => {
    const sdl = composeSupergraph([hr, payroll]).replace('@join__type(graph: PAYROLL_EU, key: "id")', '');
    const file = path.join(directory, 'corrupted.graphql');
    writeFileSync(file, sdl);
    const config = loadConfig({ ...process.env, GATEWAY_SUPERGRAPH_FILE: file, GATEWAY_RATE_LIMIT_STORE: 'memory' });
    await expect(startGateway({ config, log: createLogger('any-supergraph-test') })).rejects.toMatchObject({ extensions: { code: 'SUPERGRAPH_INVALID' } });
  });
});
