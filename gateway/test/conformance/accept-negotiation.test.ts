/**
 * What /graphql answers for each Accept (pipeline/answer-formats.ts):
 * JSON whenever JSON is acceptable (@defer's parts merged into it unless
 * the client names multipart/mixed;deferSpec=20220824), multipart/mixed
 * for a client that names that format and nothing else, SSE for an
 * event-stream client, and 406 NOT_ACCEPTABLE with a message, no stack
 * trace (this gateway runs outside production, where Apollo Server's own
 * refusal carried one), when nothing acceptable can be written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { link } from './support/conformance-case.js';
import { multipartPayloads, sseEvents } from './support/incremental-client.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { startTestGateway, stopTestGateway, type TestGateway } from './support/test-gateway.js';

let posts: SubgraphServer;
let gateway: TestGateway;
let url: string;
let token: string;

beforeAll(async () => {
  posts = await startSubgraphServer({
    name: 'posts',
    typeDefs: `${link('key')} type Query { posts: [Post!]! } type Post @key(fields: "id") { id: ID! title: String! }`,
    resolvers: { Query: { posts: () => [{ id: 'p1', title: 'One' }] }, Post: { __resolveReference: ({ id }: { id: string }) => ({ id, title: 'One' }) } },
  });
  gateway = await startTestGateway([posts], { name: 'accept-negotiation-test' });
  ({ url, token } = gateway);
});
afterAll(() => stopTestGateway(gateway, posts ? [posts] : []));

const plain = '{ posts { id title } }';
const deferred = '{ posts { id ... @defer { title } } }';
const whole = { data: { posts: [{ id: 'p1', title: 'One' }] } };
const parts = [
  { data: { posts: [{ id: 'p1' }] }, hasNext: true },
  { hasNext: false, incremental: [{ data: { title: 'One' }, path: ['posts', 0] }] },
];
const notAcceptable = {
  errors: [
    {
      message: 'Accept names no media type this endpoint answers with: application/graphql-response+json, application/json, or multipart/mixed;deferSpec=20220824 for @defer',
      extensions: { code: 'NOT_ACCEPTABLE' },
    },
  ],
};

/** Status, media type (without parameters) and body, parsed as its media type says. */
async function ask(query: string, accept: string, method: 'GET' | 'POST' = 'POST') {
  const headers = { accept, authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' };
  const response =
    method === 'GET'
      ? await fetch(`${url}?${new URLSearchParams({ query })}`, { headers })
      : await fetch(url, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const type = response.headers.get('content-type')?.split(';')[0];
  const text = await response.text();
  const body = type === 'multipart/mixed' ? multipartPayloads(text) : type === 'text/event-stream' ? sseEvents(text) : JSON.parse(text);
  return { status: response.status, type, body };
}

describe('Accept on /graphql', () => {
  it('refuses with 406 and our message when nothing acceptable can be written, @defer or not', async () => {
    const accepts = ['multipart/mixed', 'multipart/mixed; deferSpec=20991231', 'application/graphql-response+json;q=0', 'application/json;q=0', 'image/png, text/plain'];
    for (const query of [plain, deferred]) {
      for (const accept of accepts) {
        expect([query, accept, await ask(query, accept)]).toEqual([query, accept, { status: 406, type: 'application/json', body: notAcceptable }]);
      }
    }
    expect(await ask(plain, 'multipart/mixed', 'GET')).toEqual({ status: 406, type: 'application/json', body: notAcceptable });
  });

  it('answers JSON whenever JSON is acceptable, @defer merged unless deferSpec=20220824 is named', async () => {
    const accepts = [
      '*/*',
      'application/*',
      'multipart/mixed, application/json',
      'multipart/mixed;deferSpec=20991231, application/json',
      'application/graphql-response+json;q=0, application/json',
      'text/event-stream, application/json',
    ];
    for (const query of [plain, deferred]) {
      for (const accept of accepts) {
        const answer = await ask(query, accept);
        expect([query, accept, answer.status, answer.body]).toEqual([query, accept, 200, whole]);
      }
    }
    expect(await ask(deferred, '*/*', 'GET')).toEqual({ status: 200, type: 'application/json', body: whole });
  });

  it('answers multipart/mixed to a client that names deferSpec=20220824 and nothing else: one part without @defer', async () => {
    expect(await ask(plain, 'multipart/mixed;deferSpec=20220824')).toEqual({ status: 200, type: 'multipart/mixed', body: [whole] });
    expect(await ask(deferred, 'multipart/mixed; deferSpec=20220824')).toEqual({ status: 200, type: 'multipart/mixed', body: parts });
    expect(await ask(deferred, 'multipart/mixed;deferSpec=20220824, application/json')).toEqual({ status: 200, type: 'multipart/mixed', body: parts });
  });

  it('streams Server-Sent Events to an event-stream client, @defer or not', async () => {
    expect(await ask(plain, 'text/event-stream')).toEqual({
      status: 200,
      type: 'text/event-stream',
      body: [
        { event: 'next', data: whole },
        { event: 'complete', data: null },
      ],
    });
    expect((await ask(deferred, 'text/event-stream')).body).toEqual([...parts.map((data) => ({ event: 'next', data })), { event: 'complete', data: null }]);
  });
});
