/**
 * Runs a conformance suite: its subgraphs on loopback ports, their
 * supergraph composed with @apollo/composition, our gateway over it (started
 * as any deployment is, anonymous mode) and @apollo/gateway in Apollo Server
 * over the same subgraphs. Each operation's answer must be the expected one,
 * and Apollo's the same unless the case says Apollo is wrong. No operation
 * may fall back to Apollo's executor (bheem_gateway_executor_fallbacks_total).
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../platform/config.js';
import { createLogger } from '../../../../platform/logger.js';
import { gatewayMetrics } from '../../../gateway-metrics.js';
import { startGateway, type RunningGateway } from '../../../start-gateway.js';
import { postTo } from '../../support/gateway-platform.js';
import { composeSupergraph } from './compose.js';
import type { ConformanceOperation, ConformanceSuite } from './conformance-case.js';
import { startSubgraphServer, type SubgraphServer } from './subgraph-server.js';

interface Answer {
  data?: unknown;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** What is compared: the data, and each error's path and code (messages are the gateways' own words). */
function comparable(answer: Answer) {
  return {
    data: answer.data,
    ...(answer.errors?.length && { errors: answer.errors.map((error) => ({ path: error.path, code: error.extensions?.code })) }),
  };
}

function expectedOf({ data, errors }: ConformanceOperation['expected']) {
  return { data, ...(errors?.length && { errors: errors.map((error) => ({ path: error.path, code: error.code ?? expect.anything() })) }) };
}

export async function fallbackCount(): Promise<number> {
  const metric = await gatewayMetrics.fallbacks.get();
  return metric.values.reduce((sum, value) => sum + value.value, 0);
}

export function runSuite(suite: ConformanceSuite): void {
  describe(`conformance: ${suite.name}`, () => {
    let servers: SubgraphServer[] = [];
    let gateway: RunningGateway;
    let apollo: ApolloServer;
    let apolloRefusal: Error | undefined;
    let fallbacksBefore = 0;

    beforeAll(async () => {
      servers = await Promise.all(suite.subgraphs.map((definition) => startSubgraphServer(definition)));
      const supergraphSdl = composeSupergraph(servers);
      const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory' });
      gateway = await startGateway({ config, log: createLogger('conformance'), supergraphSdl });
      apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
      apolloRefusal = await apollo.start().then(
        () => undefined,
        (error: Error) => error,
      );
      if (apolloRefusal && !suite.apolloRefuses) throw apolloRefusal;
      fallbacksBefore = await fallbackCount();
    });
    afterAll(async () => {
      if (!apolloRefusal) await apollo?.stop();
      await gateway?.stop();
      await Promise.all(servers.map((server) => server.stop()));
    });

    const ours = async (operation: ConformanceOperation): Promise<Answer> =>
      (await postTo(gateway.url.replace('localhost', '127.0.0.1'), { query: operation.query, variables: operation.variables })).body as Answer;
    const theirs = async (operation: ConformanceOperation): Promise<Answer> => {
      const response = await apollo.executeOperation({ query: operation.query, variables: operation.variables });
      if (response.body.kind !== 'single') throw new Error('Apollo answered incrementally');
      return response.body.singleResult as Answer;
    };

    for (const operation of suite.operations) {
      it(`${operation.name}${operation.apolloWrong ? ' (we are right, Apollo is wrong)' : ''}`, async () => {
        const answer = comparable(await ours(operation));
        expect(answer).toEqual(expectedOf(operation.expected));
        // Twice: the second time by the fast lane (an operation text already let through).
        expect(comparable(await ours(operation))).toEqual(answer);
        if (suite.apolloRefuses) return;
        const apolloAnswer = comparable(await theirs(operation));
        if (!operation.apolloWrong) return expect(apolloAnswer).toEqual(answer);
        expect(apolloAnswer, operation.apolloWrong.why).toEqual(expectedOf(operation.apolloWrong.answer));
        expect(apolloAnswer).not.toEqual(answer);
      });
    }

    if (suite.apolloRefuses) {
      const { why, message } = suite.apolloRefuses;
      it(`@apollo/gateway refuses the supergraph (${why})`, () => {
        expect(apolloRefusal?.message).toMatch(message);
      });
    }

    it('ran every operation on our executor: no fallback', async () => {
      expect(await fallbackCount()).toBe(fallbacksBefore);
    });
  });
}
