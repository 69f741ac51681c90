/**
 * Request bodies of the wrong shape get our 400 BAD_REQUEST with a message
 * and no stack trace (this gateway runs outside production, where Apollo
 * Server's own refusals carried theirs): a JSON body that is not an object,
 * `extensions` that is not an object, over POST and GET alike. Over
 * graphql-ws, a message only the server sends closes the socket 4400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { link } from './support/conformance-case.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { startTestGateway, stopTestGateway, type TestGateway } from './support/test-gateway.js';

let posts: SubgraphServer;
let gateway: TestGateway;
let url: string;
let token: string;

beforeAll(async () => {
  posts = await startSubgraphServer({
    name: 'posts',
    typeDefs: `${link('key')} type Query { posts: [Post!]! } type Post @key(fields: "id") { id: ID! }`,
    resolvers: { Query: { posts: () => [{ id: 'p1' }] } },
  });
  gateway = await startTestGateway([posts], { name: 'request-shapes-test' });
  ({ url, token } = gateway);
});
afterAll(() => stopTestGateway(gateway, posts ? [posts] : []));

const refused = (message: string) => ({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] } });
const headers = () => ({ authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' });

async function post(body: string) {
  const response = await fetch(url, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body });
  return { status: response.status, body: await response.json() };
}

describe('bodies and parameters of the wrong shape', () => {
  it('a JSON body that is not an object', async () => {
    for (const body of ['null', '"{ posts { id } }"', '7', 'true']) {
      expect([body, await post(body)]).toEqual([body, refused('The body must be a JSON object: { "query": "…", "variables": {…} }')]);
    }
  });

  it('extensions that is not an object, in a body or a GET parameter', async () => {
    for (const extensions of ['"{}"', '[1]', '3']) {
      const body = `{"query":"{ posts { id } }","extensions":${extensions}}`;
      expect([body, await post(body)]).toEqual([body, refused('extensions must be a JSON object')]);
    }
    for (const extensions of ['[1]', 'not json']) {
      const response = await fetch(`${url}?${new URLSearchParams({ query: '{ posts { id } }', extensions })}`, { headers: headers() });
      expect([extensions, { status: response.status, body: await response.json() }]).toEqual([extensions, refused('extensions must be a JSON object')]);
    }
    expect(await post('{"query":"{ posts { id } }","extensions":{}}')).toEqual({ status: 200, body: { data: { posts: [{ id: 'p1' }] } } });
  });
});

describe('graphql-ws messages only the server sends', () => {
  it('closes 4400, not 4500, on a client message of type next, error or connection_ack', async () => {
    for (const type of ['next', 'error', 'connection_ack']) {
      const ws = new WebSocket(url.replace('http:', 'ws:'), 'graphql-transport-ws');
      const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
      const acked = new Promise((resolve) => ws.once('message', resolve));
      await new Promise((resolve) => ws.on('open', resolve));
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      await acked;
      ws.send(JSON.stringify({ type, id: '1', payload: {} }));
      expect([type, await closed]).toEqual([type, 4400]);
    }
  });
});
