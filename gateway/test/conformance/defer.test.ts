/**
 * @defer served by our executor: Defer plan nodes run part by part. A client
 * whose Accept names multipart/mixed gets incremental delivery (the initial
 * payload with `hasNext: true`, then each deferred part with its `path` and
 * `label`, the last with `hasNext: false`), the initial payload sent before
 * the deferred parts' subgraphs have answered; any other client gets one
 * JSON answer with every part in it. Over the subgraphs of the @requires
 * suite (a deferred @requires, nested defers through @provides).
 */
import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../../../platform/auth/user-token.js';
import { loadConfig } from '../../../platform/config.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { createLogger } from '../../../platform/logger.js';
import { startGateway, type RunningGateway } from '../../start-gateway.js';
import { postTo } from '../support/gateway-platform.js';
import { graphqlWsCollector, incrementalClient, type SseOptions } from './support/incremental-client.js';
import { composeSupergraph } from './support/compose.js';
import { link } from './support/conformance-case.js';
import { fallbackCount } from './support/suite-gateways.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { requiresProvidesSuite } from './suites/requires-provides.js';

let servers: SubgraphServer[] = [];
let gateway: RunningGateway;
let url: string;
let token: string;
let fallbacksBefore = 0;

/** A mutation whose answer defers fields of other subgraphs. */
const votes = {
  name: 'votes',
  typeDefs: `${link('key')}
    type Mutation { like(id: ID!): Post! }
    type Post @key(fields: "id") { id: ID! }`,
  resolvers: { Mutation: { like: (_: unknown, { id }: { id: string }) => ({ id }) } },
};

beforeAll(async () => {
  servers = await Promise.all([...requiresProvidesSuite.subgraphs, votes].map((definition) => startSubgraphServer(definition)));
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory' });
  gateway = await startGateway({ config, log: createLogger('defer-test'), supergraphSdl: composeSupergraph(servers) });
  token = await signDevUserToken(config.auth, demoViewer('admin'));
  url = gateway.url.replace('localhost', '127.0.0.1');
  fallbacksBefore = await fallbackCount();
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all(servers.map((server) => server.stop()));
});

const server = (name: string) => servers.find((candidate) => candidate.name === name)!;

const postIncremental = (query: string, variables?: Record<string, unknown>) => incrementalClient(url, token).multipart(query, variables);
const sseRequest = (query: string, options?: SseOptions) => incrementalClient(url, token).sse(query, options);

describe('@defer', () => {
  it('is in the API schema clients introspect', async () => {
    const answer = await postTo(url, { query: '{ __schema { directives { name args { name } } } }' });
    const directives = (answer.body.data as { __schema: { directives: { name: string; args: { name: string }[] }[] } }).__schema.directives;
    expect(
      directives
        .find((directive) => directive.name === 'defer')
        ?.args.map((arg) => arg.name)
        .sort(),
    ).toEqual(['if', 'label']);
  });

  it('without multipart/mixed in Accept: one answer with every part, by Apollo Server and by the fast lane', async () => {
    const query = '{ posts { id ... @defer(label: "stats") { seen estimate } } }';
    const expected = {
      data: {
        posts: [
          { id: 'p1', seen: 1, estimate: 20 },
          { id: 'p2', seen: 1, estimate: 40 },
        ],
      },
    };
    const first = await postTo(url, { query });
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.body).toEqual(expected);
    expect((await postTo(url, { query })).body).toEqual(expected);
  });

  it('over multipart/mixed: the initial payload before the deferred subgraph answers, then the part per list item with path and label', async () => {
    const stats = server('stats');
    let release!: () => void;
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    stats.hold = { until: new Promise<void>((resolve) => (release = resolve)), arrived };
    try {
      const stream = await postIncremental('query Seen { posts { id ... @defer(label: "stats") { seen estimate } } }');
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
      // The stats subgraph holds its answer: the initial payload is already there.
      expect(await stream.until(1)).toEqual([{ data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true }]);
      await waiting;
      release();
      const { items: payloads, text } = await stream.rest();
      expect(payloads).toEqual([
        { data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true },
        {
          hasNext: false,
          incremental: [
            { data: { seen: 1, estimate: 20 }, path: ['posts', 0], label: 'stats' },
            { data: { seen: 1, estimate: 40 }, path: ['posts', 1], label: 'stats' },
          ],
        },
      ]);
      expect(text.endsWith('\r\n-----\r\n')).toBe(true);
    } finally {
      stats.hold = undefined;
      release?.();
    }
  });

  it('nested defers: each part after the one it is in, with its own label and path', async () => {
    const stream = await postIncremental('{ posts { id ... @defer(label: "outer") { seen ... @defer(label: "inner") { author { name } } } } }');
    const { items: payloads } = await stream.rest();
    expect(payloads).toEqual([
      { data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true },
      {
        hasNext: true,
        incremental: [
          { data: { seen: 1 }, path: ['posts', 0], label: 'outer' },
          { data: { seen: 1 }, path: ['posts', 1], label: 'outer' },
        ],
      },
      {
        hasNext: false,
        incremental: [
          // A deferred author is fetched from people, which provides the name.
          { data: { author: { name: 'Ann (provided)' } }, path: ['posts', 0], label: 'inner' },
          { data: { author: { name: 'Raj (provided)' } }, path: ['posts', 1], label: 'inner' },
        ],
      },
    ]);
  });

  // The planner gives such a primary part no selection at all, which once reached the parser as `query {}`: a 500
  // over multipart/mixed, a connection dropped after its 200 over SSE.
  it('the whole root selection deferred: an empty initial payload, then the part at the root, over multipart/mixed and SSE', async () => {
    const cases: [string, unknown[]][] = [
      [
        '{ ... @defer(label: "all") { posts { id } } }',
        [
          { data: {}, hasNext: true },
          { hasNext: false, incremental: [{ data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, path: [], label: 'all' }] },
        ],
      ],
      [
        '{ ... @defer { __typename } }',
        [
          { data: {}, hasNext: true },
          { hasNext: false, incremental: [{ data: { __typename: 'Query' }, path: [] }] },
        ],
      ],
    ];
    for (const [query, parts] of cases) {
      const multipart = await postIncremental(query);
      expect(multipart.response.status, query).toBe(200);
      expect((await multipart.rest()).items, query).toEqual(parts);
      expect((await (await sseRequest(query)).rest()).items, query).toEqual([...parts.map((data) => ({ event: 'next', data })), { event: 'complete', data: null }]);
    }
  });

  // The planner leaves a root __typename out of the primary part's selection (the gateway answers it, no subgraph):
  // shaped by that selection alone, the initial payload lost it, and no later part brought it.
  it('a root __typename outside the deferred fragments is in the initial payload, under its alias too', async () => {
    const query = '{ __typename kind: __typename posts { id ... @defer(label: "stats") { seen } } }';
    const parts = (await (await postIncremental(query)).rest()).items;
    expect(parts[0]).toEqual({ data: { __typename: 'Query', kind: 'Query', posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true });
    expect((await (await sseRequest(query)).rest()).items[0]).toEqual({ event: 'next', data: parts[0] });
    const skipped = await postIncremental('query($no: Boolean!) { __typename @skip(if: $no) ... @defer { posts { id } } }', { no: true });
    expect((await skipped.rest()).items[0]).toEqual({ data: {}, hasNext: true });
  });

  // Shaped by the planner's primary selection alone ({}), the initial payload lacked the objects the deferred part
  // completes: its items' paths named objects the client never had.
  it('objects whose every field is deferred are in the initial payload, empty, for the parts to complete; root introspection too', async () => {
    const parts = (await (await postIncremental('{ posts { ... @defer(label: "all") { id seen } } }')).rest()).items;
    expect(parts).toEqual([
      { data: { posts: [{}, {}] }, hasNext: true },
      {
        hasNext: false,
        incremental: [
          { data: { id: 'p1', seen: 1 }, path: ['posts', 0], label: 'all' },
          { data: { id: 'p2', seen: 1 }, path: ['posts', 1], label: 'all' },
        ],
      },
    ]);
    const nested = (await (await postIncremental('{ ... @defer(label: "outer") { posts { ... @defer(label: "inner") { seen } } } }')).rest()).items;
    expect(nested.slice(0, 2)).toEqual([
      { data: {}, hasNext: true },
      { hasNext: true, incremental: [{ data: { posts: [{}, {}] }, path: [], label: 'outer' }] },
    ]);
    const introspected = (await (await postIncremental('{ __schema { queryType { name } } ... @defer { posts { id } } }')).rest()).items;
    expect(introspected[0]).toEqual({ data: { __schema: { queryType: { name: 'Query' } } }, hasNext: true });
  });

  // Apollo's planner finds no plan for introspection in a deferred fragment, and said so in its own words ("...This
  // shouldn't have happened"), which told the client nothing it could act on.
  it('introspection inside a @defer fragment: QUERY_PLANNING_FAILED naming the cause, on every transport', async () => {
    const error = { message: 'Introspection (__schema, __type) cannot be deferred: select it outside @defer fragments', extensions: { code: 'QUERY_PLANNING_FAILED' } };
    for (const query of ['{ ... @defer { __schema { queryType { name } } } }', '{ posts { id } ...D @defer } fragment D on Query { __type(name: "Post") { name } }']) {
      expect((await postTo(url, { query })).body, query).toMatchObject({ errors: [error] });
      expect(JSON.parse((await (await postIncremental(query)).rest()).text), query).toMatchObject({ errors: [error] });
      expect(JSON.parse((await (await sseRequest(query)).rest()).text), query).toMatchObject({ errors: [error] });
    }
  });

  // The planner took a variable's AST node for the label: SSE answered `"label":{"name":"l"}`.
  it('refuses a label that is a variable, or used twice, on every transport, with GRAPHQL_VALIDATION_FAILED', async () => {
    const refused = [
      ['query($l: String) { posts { id ... @defer(label: $l) { seen } } }', 'not a variable'],
      ['{ posts { id ... @defer(label: "a") { seen } ... @defer(label: "a") { estimate } } }', 'used twice'],
    ] as const;
    for (const [query, says] of refused) {
      const multipart = await postIncremental(query, { l: 'x' });
      const answer = JSON.parse((await multipart.rest()).text) as { errors: { message: string; extensions: { code: string } }[] };
      expect([multipart.response.status, answer.errors[0]!.extensions.code], query).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
      expect(answer.errors[0]!.message).toContain(says);
      const sse = await fetch(url.replace(/\/graphql$/, '/graphql/stream'), {
        method: 'POST',
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { l: 'x' } }),
      });
      expect(sse.status, query).toBe(400);
    }
    // Written in the operation and each its own: as before.
    const parts = (await (await postIncremental('{ posts { id ... @defer(label: "a") { seen } ... @defer(label: "b") { estimate } } }')).rest()).items;
    expect(parts).toHaveLength(3);
  });

  it('@defer(if: false) and an unlabelled fragment spread: as the client asks', async () => {
    const off = await postIncremental('query($d: Boolean!) { posts { id ... @defer(if: $d) { seen } } }', { d: false });
    expect(off.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse((await off.rest()).text)).toEqual({
      data: {
        posts: [
          { id: 'p1', seen: 1 },
          { id: 'p2', seen: 1 },
        ],
      },
    });

    const spread = await postIncremental('{ posts { id ...Seen @defer } } fragment Seen on Post { seen }');
    expect((await spread.rest()).items).toEqual([
      { data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true },
      {
        hasNext: false,
        incremental: [
          { data: { seen: 1 }, path: ['posts', 0] },
          { data: { seen: 1 }, path: ['posts', 1] },
        ],
      },
    ]);
  });

  it('@defer(if: $d): deferred when $d is true or left to its default true; one answer when false, literal or variable', async () => {
    const deferred = [
      { data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true },
      {
        hasNext: false,
        incremental: [
          { data: { seen: 1 }, path: ['posts', 0] },
          { data: { seen: 1 }, path: ['posts', 1] },
        ],
      },
    ];
    const whole = {
      data: {
        posts: [
          { id: 'p1', seen: 1 },
          { id: 'p2', seen: 1 },
        ],
      },
    };
    const answer = async (query: string, variables?: Record<string, unknown>) => {
      const stream = await postIncremental(query, variables);
      const { items, text } = await stream.rest();
      return stream.response.headers.get('content-type')?.startsWith('multipart/mixed') ? items : JSON.parse(text);
    };
    expect(await answer('query($d: Boolean!) { posts { id ... @defer(if: $d) { seen } } }', { d: true })).toEqual(deferred);
    expect(await answer('query($d: Boolean! = true) { posts { id ... @defer(if: $d) { seen } } }')).toEqual(deferred);
    expect(await answer('query($d: Boolean) { posts { id ... @defer(if: $d) { seen } } }')).toEqual(deferred);
    expect(await answer('query($d: Boolean! = true) { posts { id ... @defer(if: $d) { seen } } }', { d: false })).toEqual(whole);
    expect(await answer('{ posts { id ... @defer(if: false) { seen } } }')).toEqual(whole);
    // Nested: the inner part, off, is delivered with the outer one.
    expect(await answer('query($d: Boolean!) { posts { id ... @defer(label: "outer") { seen ... @defer(if: $d) { estimate } } } }', { d: false })).toEqual([
      deferred[0],
      {
        hasNext: false,
        incremental: [
          { data: { seen: 1, estimate: 20 }, path: ['posts', 0], label: 'outer' },
          { data: { seen: 1, estimate: 40 }, path: ['posts', 1], label: 'outer' },
        ],
      },
    ]);
  });

  it('over graphql-ws: one `next` per payload, then `complete`; an invalid query refused', async () => {
    const { run, dispose } = graphqlWsCollector(url, token);
    try {
      expect(await run('{ posts { id ... @defer(label: "stats") { seen } } }')).toEqual([
        { data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true },
        {
          hasNext: false,
          incremental: [
            { data: { seen: 1 }, path: ['posts', 0], label: 'stats' },
            { data: { seen: 1 }, path: ['posts', 1], label: 'stats' },
          ],
        },
      ]);
      expect(await run('{ posts { id } }')).toEqual([{ data: { posts: [{ id: 'p1' }, { id: 'p2' }] } }]);
      await expect(run('{ posts { nope } }')).rejects.toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    } finally {
      await dispose();
    }
  });

  it('over SSE: `next` with the initial payload before the deferred subgraph answers, then each part, then `complete`: the parts of multipart/mixed', async () => {
    const query = '{ posts { id ... @defer(label: "outer") { seen ... @defer(label: "inner") { author { name } } } } }';
    const multipart = (await (await postIncremental(query)).rest()).items;
    expect(multipart).toHaveLength(3);

    const stats = server('stats');
    let release!: () => void;
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    stats.hold = { until: new Promise<void>((resolve) => (release = resolve)), arrived };
    try {
      const stream = await sseRequest(query);
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(await stream.until(1)).toEqual([{ event: 'next', data: multipart[0] }]);
      await waiting;
      release();
      expect((await stream.rest()).items).toEqual([...multipart.map((data) => ({ event: 'next', data })), { event: 'complete', data: null }]);
    } finally {
      stats.hold = undefined;
      release?.();
    }
  });

  it("over SSE: one `next` and `complete` without @defer; GET as POST; graphql-sse's client on /graphql", async () => {
    const plain = { event: 'next', data: { data: { posts: [{ id: 'p1' }, { id: 'p2' }] } } };
    expect((await (await sseRequest('{ posts { id } }')).rest()).items).toEqual([plain, { event: 'complete', data: null }]);
    expect((await (await sseRequest('{ posts { id } }', { method: 'GET' })).rest()).items).toEqual([plain, { event: 'complete', data: null }]);

    const client = createSseClient({ url, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    try {
      const received = await new Promise<unknown[]>((resolve, reject) => {
        const results: unknown[] = [];
        client.subscribe({ query: '{ posts { id ... @defer { seen } } }' }, { next: (result) => void results.push(result), error: reject, complete: () => resolve(results) });
      });
      expect(received).toEqual([
        { data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true },
        {
          hasNext: false,
          incremental: [
            { data: { seen: 1 }, path: ['posts', 0] },
            { data: { seen: 1 }, path: ['posts', 1] },
          ],
        },
      ]);
    } finally {
      client.dispose();
    }
  });

  it('mutations over SSE as over HTTP: POST streams their deferred parts, GET is refused with 405', async () => {
    const mutation = 'mutation { like(id: "p1") { id ... @defer(label: "stats") { seen } } }';
    const multipart = (await (await postIncremental(mutation)).rest()).items;
    expect(multipart).toEqual([
      { data: { like: { id: 'p1' } }, hasNext: true },
      { hasNext: false, incremental: [{ data: { seen: 1 }, path: ['like'], label: 'stats' }] },
    ]);
    expect((await (await sseRequest(mutation)).rest()).items).toEqual([...multipart.map((data) => ({ event: 'next', data })), { event: 'complete', data: null }]);

    const refused = await fetch(`${url.replace(/\/graphql$/, '/graphql/stream')}?${new URLSearchParams({ query: mutation })}`, { headers: { accept: 'text/event-stream' } });
    expect(refused.status).toBe(405);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('a deferred part whose subgraph is down: its error in its payload, the initial data whole', async () => {
    const stats = server('stats');
    await stats.stop();
    try {
      const { items: payloads } = await (await postIncremental('{ posts { id ... @defer { seen } } }')).rest();
      expect(payloads[0]).toEqual({ data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true });
      const last = payloads[1] as { hasNext: boolean; incremental: { errors?: { extensions: { code: string } }[] }[] };
      expect(last.hasNext).toBe(false);
      expect(last.incremental.flatMap((item) => item.errors ?? []).map((error) => error.extensions.code)).toContain('SUBGRAPH_UNAVAILABLE');
    } finally {
      servers = servers.filter((candidate) => candidate !== stats);
    }
  });

  it('ran on our executor: no fallback', async () => {
    expect(await fallbackCount()).toBe(fallbacksBefore);
  });
});
