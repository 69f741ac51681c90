/**
 * An incremental answer that fails in the gateway once it has begun (its
 * 200, its first part out) ends with a part that says so, which clients
 * read, not with a cut connection: over multipart/mixed a last part with
 * `errors` and `hasNext: false` and the closing boundary; over SSE a `next`
 * with the errors, then `complete`; over graphql-ws a `next`, then
 * `complete`. The failure is real: a subgraph whose JSON scalar is nested
 * deeper than the gateway can serialize (JSON.parse reads it, JSON.stringify
 * overflows the stack).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signDevUserToken } from '../../../platform/auth/user-token.js';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { startGateway, type RunningGateway } from '../../start-gateway.js';
import { composeSupergraph } from './support/compose.js';
import { link } from './support/conformance-case.js';
import { incrementalClient } from './support/incremental-client.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';

const DEPTH = 50_000;
const tooDeep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const failed = { message: 'The gateway failed to complete this answer', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
const initial = { data: { posts: [{ id: 'p1' }] }, hasNext: true };

let posts: SubgraphServer;
let blobs: http.Server;
let gateway: RunningGateway;
let url: string;
let token: string;

beforeAll(async () => {
  posts = await startSubgraphServer({
    name: 'posts',
    typeDefs: `${link('key')} type Query { posts: [Post!]! } type Post @key(fields: "id") { id: ID! }`,
    resolvers: { Query: { posts: () => [{ id: 'p1' }] } },
  });
  // Every answer the same entity, its blob nested too deep.
  blobs = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"data":{"_entities":[{"__typename":"Post","blob":${tooDeep}}]}}`);
    });
  });
  await new Promise<void>((resolve) => blobs.listen(0, '127.0.0.1', resolve));
  const blobsUrl = `http://127.0.0.1:${(blobs.address() as AddressInfo).port}/graphql`;
  const blobsSubgraph = { name: 'blobs', url: blobsUrl, typeDefs: `${link('key')} scalar JSON type Post @key(fields: "id") { id: ID! blob: JSON }` };
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory' });
  gateway = await startGateway({ config, log: createLogger('defer-failures-test'), supergraphSdl: composeSupergraph([posts, blobsSubgraph]) });
  token = await signDevUserToken(config.auth, demoViewer('admin'));
  url = gateway.url.replace('localhost', '127.0.0.1');
});
afterAll(async () => {
  await gateway?.stop();
  blobs?.closeAllConnections();
  await new Promise((resolve) => blobs?.close(resolve));
  await posts?.stop();
});

const deferred = '{ posts { id ... @defer { blob } } }';

describe('an incremental answer that fails after it has begun', () => {
  it('over multipart/mixed: a last part with the error and hasNext false, then the closing boundary', async () => {
    const stream = await incrementalClient(url, token).multipart(deferred);
    expect(stream.response.status).toBe(200);
    const { items, text } = await stream.rest();
    expect(items).toEqual([initial, { hasNext: false, errors: [failed] }]);
    expect(text.endsWith('\r\n-----\r\n')).toBe(true);
  });

  it('over SSE: a `next` with the error, then `complete`; also when the first part fails, after the 200', async () => {
    const stream = await incrementalClient(url, token).sse(deferred);
    expect((await stream.rest()).items).toEqual([
      { event: 'next', data: initial },
      { event: 'next', data: { hasNext: false, errors: [failed] } },
      { event: 'complete', data: null },
    ]);
    const whole = await incrementalClient(url, token).sse('{ posts { id blob } }');
    expect(whole.response.status).toBe(200);
    expect((await whole.rest()).items).toEqual([
      { event: 'next', data: { data: null, errors: [failed] } },
      { event: 'complete', data: null },
    ]);
  });

  it('over graphql-ws: a `next` with the error, then `complete`, the socket kept', async () => {
    const client = createClient({ url: url.replace('http:', 'ws:'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    const run = (query: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const received: unknown[] = [];
        client.subscribe({ query }, { next: (payload) => void received.push(payload), error: reject, complete: () => resolve(received) });
      });
    try {
      expect(await run(deferred)).toEqual([initial, { hasNext: false, errors: [failed] }]);
      expect(await run('{ posts { id } }')).toEqual([{ data: { posts: [{ id: 'p1' }] } }]);
    } finally {
      await client.dispose();
    }
  });
});
