/**
 * A subgraph for federation tests: an @apollo/subgraph schema served over
 * HTTP on a loopback port, as any GraphQL server would (POST of JSON). It
 * records what it is sent (body and headers), and can hold its answers
 * until a test lets them go.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphqlRuntime } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';

const { execute, parse } = graphqlRuntime;

export interface SubgraphDefinition {
  name: string;
  typeDefs: string;
  /** Resolvers as @apollo/subgraph takes them (`__resolveReference` included). */
  resolvers?: Record<string, Record<string, unknown>>;
}

export interface ReceivedRequest {
  query: string;
  variables?: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SubgraphServer {
  name: string;
  url: string;
  typeDefs: string;
  received: ReceivedRequest[];
  /** While set, answers wait for it; `arrived` is told of each request that waits. */
  hold: { until: Promise<void>; arrived: () => void } | undefined;
  /** Requests whose connection closed before their answer was sent (the caller cancelled them); `onCancelled` is told of each. */
  cancelled: number;
  onCancelled?: () => void;
  /** TCP connections open to it now (the gateway's pooled sockets). */
  connections: () => Promise<number>;
  stop: () => Promise<void>;
}

export async function startSubgraphServer(definition: SubgraphDefinition): Promise<SubgraphServer> {
  const schema = buildSubgraphSchema({ typeDefs: parse(definition.typeDefs), resolvers: definition.resolvers as never });
  const received: ReceivedRequest[] = [];
  const state: Pick<SubgraphServer, 'hold' | 'cancelled' | 'onCancelled'> = { hold: undefined, cancelled: 0 };
  const server = http.createServer((request, response) => {
    response.once('close', () => {
      if (response.writableFinished) return;
      state.cancelled++;
      state.onCancelled?.();
    });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { query, variables, operationName } = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
      received.push({ query, variables, headers: request.headers, body });
      const hold = state.hold;
      if (hold) {
        hold.arrived();
        await hold.until;
      }
      const result = await execute({ schema, document: parse(query), variableValues: variables, operationName });
      if (response.destroyed) return;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    name: definition.name,
    url: `http://127.0.0.1:${port}/graphql`,
    typeDefs: definition.typeDefs,
    received,
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
