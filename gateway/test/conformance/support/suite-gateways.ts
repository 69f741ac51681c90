/**
 * The two gateways a conformance suite compares, over the same subgraphs:
 * its subgraphs on loopback ports, their supergraph composed with
 * @apollo/composition, our gateway over it (started as any deployment is,
 * anonymous mode) and @apollo/gateway in Apollo Server. Shared by the
 * hand-written cases (run-suite.ts) and the random ones (random-operations.test.ts).
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { loadConfig } from '../../../../platform/config.js';
import { createLogger } from '../../../../platform/logger.js';
import { gatewayMetrics } from '../../../gateway-metrics.js';
import { startGateway } from '../../../start-gateway.js';
import { GENEROUS_RATE_LIMITS, postTo } from '../../support/gateway-platform.js';
import { composeSupergraph } from './compose.js';
import type { ConformanceSuite } from './conformance-case.js';
import { startSubgraphServer } from './subgraph-server.js';

export interface Answer {
  data?: unknown;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Request {
  query: string;
  variables?: Record<string, unknown>;
}

export interface SuiteGateways {
  supergraphSdl: string;
  /** Set when @apollo/gateway does not load the supergraph (then `theirs` must not be called). */
  apolloRefusal: Error | undefined;
  /** Our gateway's answer over HTTP, with its status. */
  ours: (request: Request) => Promise<{ status: number; body: Answer }>;
  theirs: (request: Request) => Promise<Answer>;
  stop: () => Promise<void>;
}

/** What is compared: the data, and each error's path and code (messages are the gateways' own words). */
export function comparable(answer: Answer) {
  return {
    data: answer.data,
    ...(answer.errors?.length && { errors: answer.errors.map((error) => ({ path: error.path, code: error.extensions?.code })) }),
  };
}

/** Operations our executor could not run and handed to Apollo's (bheem_gateway_executor_fallbacks_total). */
export async function fallbackCount(): Promise<number> {
  const metric = await gatewayMetrics.fallbacks.get();
  return metric.values.reduce((sum, value) => sum + value.value, 0);
}

export async function startSuiteGateways(suite: ConformanceSuite): Promise<SuiteGateways> {
  const servers = await Promise.all(suite.subgraphs.map((definition) => startSubgraphServer(definition)));
  const supergraphSdl = composeSupergraph(servers);
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', ...GENEROUS_RATE_LIMITS });
  const gateway = await startGateway({ config, log: createLogger('conformance'), supergraphSdl });
  const apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  const apolloRefusal = await apollo.start().then(
    () => undefined,
    (error: Error) => error,
  );
  const url = gateway.url.replace('localhost', '127.0.0.1');
  return {
    supergraphSdl,
    apolloRefusal,
    ours: async ({ query, variables }) => {
      const { status, body } = await postTo(url, { query, variables });
      return { status, body: body as Answer };
    },
    theirs: async ({ query, variables }) => {
      const response = await apollo.executeOperation({ query, variables });
      if (response.body.kind !== 'single') throw new Error('Apollo answered incrementally');
      return response.body.singleResult as Answer;
    },
    stop: async () => {
      if (!apolloRefusal) await apollo.stop();
      await gateway.stop();
      await Promise.all(servers.map((server) => server.stop()));
    },
  };
}
