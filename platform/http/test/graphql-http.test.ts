/**
 * The GraphQL handler's answer headers (graphql-http.ts): each answer carries the handler's own (a subgraph's
 * `cache-control: no-store`) once, whichever path answers (Apollo Server's, the fast path's, a refusal), and an
 * error's own header of the same name replaces it, as setHeader did before the fast path wrote its head as a list.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsRegistry } from '../../observability/metrics.js';
import { createFastPath } from '../../subgraph/fast-path.js';
import { createGraphQLHttpHandler } from '../graphql-http.js';

const schema = buildSubgraphSchema({
  typeDefs: parse('type Query { hello: String private: String }'),
  resolvers: {
    Query: {
      hello: () => 'hi',
      private: () => {
        throw new GraphQLError('not for caches', { extensions: { code: 'FORBIDDEN', http: { headers: new Map([['Cache-Control', 'private']]) } as never } });
      },
    },
  } as never,
});
let server: http.Server;
let apollo: ApolloServer;
let port: number;

beforeAll(async () => {
  const fastPath = createFastPath({ service: 'graphql-http-test', schema, formatError: (formatted) => formatted, includeStacktrace: false, accountedFor: [] });
  apollo = new ApolloServer({ schema, plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled(), fastPath.plugin] });
  await apollo.start();
  const handle = createGraphQLHttpHandler({ server: apollo, fastPath, context: () => ({}), answerHeaders: { 'cache-control': 'no-store' } });
  server = http.createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await apollo.stop();
});

/** One POST; the answer's status, raw header pairs (names in lower case) and body. */
function post(body: string): Promise<{ status: number; headers: [string, string][]; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ port, host: '127.0.0.1', path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const headers: [string, string][] = [];
        for (let index = 0; index < response.rawHeaders.length; index += 2) headers.push([response.rawHeaders[index]!.toLowerCase(), response.rawHeaders[index + 1]!]);
        resolve({ status: response.statusCode!, headers, body: text });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function servedFast(): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('bheem_subgraph_fast_path_requests_total')?.get();
  return metric?.values.find((value) => value.labels.service === 'graphql-http-test')?.value ?? 0;
}

const valuesOf = (headers: [string, string][], name: string) => headers.filter(([candidate]) => candidate === name).map(([, value]) => value);

describe('GraphQL handler answer headers', () => {
  it('carries them once on Apollo’s answer and on the fast path’s, the same answer framed by its length', async () => {
    const body = JSON.stringify({ query: '{ hello }' });
    const before = await servedFast();
    const apolloAnswer = await post(body);
    expect(await servedFast()).toBe(before);
    const fastAnswer = await post(body);
    expect(await servedFast()).toBe(before + 1);
    for (const answer of [apolloAnswer, fastAnswer]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('{"data":{"hello":"hi"}}\n');
      expect(valuesOf(answer.headers, 'cache-control')).toEqual(['no-store']);
      expect(valuesOf(answer.headers, 'content-length')).toEqual([String(Buffer.byteLength(answer.body))]);
      expect(valuesOf(answer.headers, 'transfer-encoding')).toEqual([]);
    }
    expect(valuesOf(fastAnswer.headers, 'content-type')).toEqual(valuesOf(apolloAnswer.headers, 'content-type'));
  });

  it('gives way to an error’s own header of the same name, on both paths', async () => {
    const body = JSON.stringify({ query: '{ private }' });
    for (const answer of [await post(body), await post(body)]) {
      expect(valuesOf(answer.headers, 'cache-control')).toEqual(['private']);
      expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('carries them on a refusal before execution', async () => {
    const answer = await post('{not json');
    expect(answer.status).toBe(400);
    expect(valuesOf(answer.headers, 'cache-control')).toEqual(['no-store']);
  });
});
