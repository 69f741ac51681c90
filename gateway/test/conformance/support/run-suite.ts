/**
 * Runs a conformance suite: its subgraphs on loopback ports, their
 * supergraph composed with @apollo/composition, our gateway over it (started
 * as any deployment is, anonymous mode) and @apollo/gateway in Apollo Server
 * over the same subgraphs. Each operation's answer must be the expected one,
 * and Apollo's the same unless the case says Apollo is wrong. No operation
 * may fall back to Apollo's executor (bheem_gateway_executor_fallbacks_total).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceOperation, ConformanceSuite } from './conformance-case.js';
import { type Answer, comparable, fallbackCount, type SuiteGateways, startSuiteGateways } from './suite-gateways.js';

function expectedOf({ data, errors }: ConformanceOperation['expected']) {
  return { data, ...(errors?.length && { errors: errors.map((error) => ({ path: error.path, code: error.code ?? expect.anything() })) }) };
}

export function runSuite(suite: ConformanceSuite): void {
  describe(`conformance: ${suite.name}`, () => {
    let gateways: SuiteGateways;
    let fallbacksBefore = 0;

    beforeAll(async () => {
      gateways = await startSuiteGateways(suite);
      if (gateways.apolloRefusal && !suite.apolloRefuses) throw gateways.apolloRefusal;
      fallbacksBefore = await fallbackCount();
    });
    afterAll(async () => {
      await gateways?.stop();
    });

    const ours = async (operation: ConformanceOperation): Promise<Answer> => (await gateways.ours(operation)).body;
    const theirs = (operation: ConformanceOperation): Promise<Answer> => gateways.theirs(operation);

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
        expect(gateways.apolloRefusal?.message).toMatch(message);
      });
    }

    it('ran every operation on our executor: no fallback', async () => {
      expect(await fallbackCount()).toBe(fallbacksBefore);
    });
  });
}
