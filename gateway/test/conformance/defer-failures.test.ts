/**
 * An incremental answer that fails in the gateway once it has begun (its
 * 200, its first part out) ends with a part that says so, which clients
 * read, not with a cut connection: over multipart/mixed a last part with
 * `errors` and `hasNext: false` and the closing boundary; over SSE a `next`
 * with the errors, then `complete`; over graphql-ws a `next`, then
 * `complete`. The failure is real: a subgraph whose JSON scalar is nested
 * deeper than the gateway can serialize (JSON.parse reads it, JSON.stringify
 * overflows the stack).
 *
 * The same answer without @defer, as plain JSON (POST, GET, the fast lane,
 * a safelisted operation by its id), is a GraphQL answer that blames the
 * subgraph (SUBGRAPH_ANSWER_TOO_DEEP, `data: null`), with the cause logged:
 * not Apollo Server's 500.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../../../platform/auth/user-token.js';
import { loadConfig } from '../../../platform/config.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { startGateway, type RunningGateway } from '../../start-gateway.js';
import { composeSupergraph } from './support/compose.js';
import { link } from './support/conformance-case.js';
import { graphqlWsCollector, incrementalClient } from './support/incremental-client.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { collectingLogger } from './support/test-gateway.js';

const DEPTH = 50_000;
const tooDeep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const failed = { message: 'The gateway failed to complete this answer', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
const initial = { data: { posts: [{ id: 'p1' }] }, hasNext: true };

const tooDeepAnswer = {
  data: null,
  errors: [{ message: 'A subgraph answered a value nested too deeply for the gateway to serialize', extensions: { code: 'SUBGRAPH_ANSWER_TOO_DEEP' } }],
};

let posts: SubgraphServer;
let blobs: http.Server;
let gateway: RunningGateway;
let safelisted: RunningGateway;
let url: string;
let token: string;
const manifestDir = mkdtempSync(path.join(tmpdir(), 'bheem-defer-failures-'));
const { log, logged } = collectingLogger();

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
  const supergraphSdl = composeSupergraph([posts, blobsSubgraph]);
  gateway = await startGateway({ config, log, supergraphSdl });
  token = await signDevUserToken(config.auth, demoViewer('admin'));
  url = gateway.url.replace('localhost', '127.0.0.1');
  const manifest = path.join(manifestDir, 'manifest.json');
  const operations = [{ id: 'blob-v1', name: 'Blob', type: 'query', body: 'query Blob { posts { id blob } }' }];
  writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
  safelisted = await startGateway({ config: { ...config, gateway: { ...config.gateway, safelistFile: manifest } }, log, supergraphSdl });
});
afterAll(async () => {
  await gateway?.stop();
  await safelisted?.stop();
  rmSync(manifestDir, { recursive: true, force: true });
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

  it('over multipart/mixed, when the first part fails: only that part, the subgraph blamed, hasNext false, then the closing boundary', async () => {
    const stream = await incrementalClient(url, token).multipart('{ posts { id blob ... @defer { id } } }');
    expect(stream.response.status).toBe(200);
    const { items, text } = await stream.rest();
    expect(items).toEqual([{ ...tooDeepAnswer, hasNext: false }]);
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
    const { run, dispose } = graphqlWsCollector(url, token);
    try {
      expect(await run(deferred)).toEqual([initial, { hasNext: false, errors: [failed] }]);
      expect(await run('{ posts { id } }')).toEqual([{ data: { posts: [{ id: 'p1' }] } }]);
    } finally {
      await dispose();
    }
  });
});

describe('the same answer as plain JSON', () => {
  const query = '{ posts { id blob } }';
  const headers = (accept: string) => ({ accept, authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' });
  const post = (accept: string, body: Record<string, unknown>, at = url) =>
    fetch(at, { method: 'POST', headers: { ...headers(accept), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('POST, either media type, through Apollo Server and then the fast lane: 200, the subgraph blamed, the cause logged', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      // The first time through Apollo Server, the same text again through the fast lane.
      for (let time = 0; time < 2; time++) {
        logged.length = 0;
        const response = await post(accept, { query });
        expect([accept, time, response.status]).toEqual([accept, time, 200]);
        expect(response.headers.get('content-type')?.startsWith(accept)).toBe(true);
        expect(await response.json()).toEqual(tooDeepAnswer);
        expect(logged).toEqual([
          expect.objectContaining({ msg: 'answer too deeply nested to serialize', err: expect.objectContaining({ message: expect.stringMatching(/call stack/) }) }),
        ]);
      }
    }
  });

  it('GET, and a safelisted operation by its id: the same answer', async () => {
    const get = await fetch(`${url}?${new URLSearchParams({ query })}`, { headers: headers('application/json') });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual(tooDeepAnswer);
    const safelistedUrl = safelisted.url.replace('localhost', '127.0.0.1');
    const byId = await post('application/json', { documentId: 'blob-v1' }, safelistedUrl);
    expect(byId.status).toBe(200);
    expect(await byId.json()).toEqual(tooDeepAnswer);
  });
});
