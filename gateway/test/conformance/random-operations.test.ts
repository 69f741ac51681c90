/**
 * The differential check with operations nobody wrote down: for every
 * conformance suite, random valid queries over its API schema
 * (support/random-operations.ts) go to our gateway and to @apollo/gateway
 * over the same subgraphs. Their data (field order included) and their
 * errors' paths and codes must be the same; ours must never answer 5xx nor
 * hand an operation to Apollo's executor. A failing operation is shrunk
 * before it is reported, with the seed that made it.
 *
 *   GATEWAY_FUZZ_SEED=7 GATEWAY_FUZZ_RUNS=500 npx vitest run gateway/test/conformance/random-operations.test.ts
 */
import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOperationLimits } from '../../operation-limits.js';
import { loadSupergraph } from '../../supergraph/load-supergraph.js';
import { errorsText, unordered } from './support/answer-comparison.js';
import { knownApolloDefect } from './support/known-apollo-defects.js';
import { type ArgumentPool, argumentPoolOf, type RandomOperation, randomOperation } from './support/random-operations.js';
import { seededRandom } from './support/seeded-random.js';
import { shrinkOperation } from './support/shrink-operation.js';
import { inSpecOrder } from './support/spec-field-order.js';
import { comparable, fallbackCount, type SuiteGateways, startSuiteGateways } from './support/suite-gateways.js';
import { ALL_SUITES } from './suites/all.js';

const SEED = Number(process.env.GATEWAY_FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.GATEWAY_FUZZ_RUNS ?? 10);
const MAX_DEPTH = 3;

/** Operations under our gateway's limits (operation-limits.ts refuses the others before planning, Apollo not). */
function limitedOperation(schema: GraphQLSchema, seed: number, pool: ArgumentPool): RandomOperation {
  for (let attempt = 0; ; attempt++) {
    const operation = randomOperation(schema, seededRandom(seed + attempt * 7919), { maxDepth: MAX_DEPTH, pool });
    if (checkOperationLimits(operation.query).ok) return operation;
  }
}

ALL_SUITES.forEach((suite, suiteIndex) => {
  describe(`random operations: ${suite.name}`, () => {
    let gateways: SuiteGateways;
    let schema: GraphQLSchema;
    /** Answers where Apollo's field order is not the spec's, and ours is. */
    let apolloOrderDefects = 0;
    const pool = argumentPoolOf(suite.operations);

    let known: ReturnType<typeof knownApolloDefect>;
    /** Failures that are Apollo's known defects (printed, not failed). */
    const excused: string[] = [];

    // Each gateway's run of an operation starts from the same subgraph state (mutations change it).
    const oursFrom = (operation: RandomOperation) => {
      suite.resetState?.();
      return gateways.ours(operation);
    };
    const theirsFrom = (operation: RandomOperation) => {
      suite.resetState?.();
      return gateways.theirs(operation);
    };

    beforeAll(async () => {
      gateways = await startSuiteGateways(suite);
      const loaded = loadSupergraph(gateways.supergraphSdl);
      schema = loaded.apiGraphQLSchema;
      known = knownApolloDefect(suite, loaded, theirsFrom);
    });
    afterAll(async () => {
      await gateways?.stop();
    });

    /** Why `operation` fails the check, or undefined. */
    async function failure(operation: RandomOperation): Promise<string | undefined> {
      const fallbacksBefore = await fallbackCount();
      const ours = await oursFrom(operation);
      if (ours.status >= 500) return `HTTP ${ours.status}: ${JSON.stringify(ours.body)}`;
      if ((await fallbackCount()) !== fallbacksBefore) return "fell back to Apollo's executor";
      if (gateways.apolloRefusal) return undefined;
      const theirs = await theirsFrom(operation);
      const differ = (what: string, a: unknown, b: unknown) => `${what} differ\n  ours:   ${JSON.stringify(a)}\n  apollo: ${JSON.stringify(b)}`;
      if (errorsText(ours.body) !== errorsText(theirs)) return differ('errors', comparable(ours.body), comparable(theirs));
      if (JSON.stringify(ours.body.data) === JSON.stringify(theirs.data)) return undefined;
      if (unordered(ours.body.data) !== unordered(theirs.data)) return differ('data', ours.body.data, theirs.data);
      // The same fields in another order: the spec's CollectFields decides who is right.
      if (JSON.stringify(inSpecOrder(schema, operation, ours.body.data)) === JSON.stringify(ours.body.data)) {
        apolloOrderDefects++;
        return undefined;
      }
      return differ('field orders', ours.body.data, theirs.data);
    }

    // A bound for a hung test that grows with the runs asked (GATEWAY_FUZZ_RUNS), not a speed limit.
    it(`${RUNS} random operations answer as @apollo/gateway's, never 5xx, never by fallback (seed ${SEED})`, { timeout: Math.max(120_000, RUNS * 3_000) }, async () => {
      const failures: string[] = [];
      for (let index = 0; index < RUNS; index++) {
        const operation = limitedOperation(schema, SEED * 1_000_003 + suiteIndex * 10_007 + index, pool);
        if (!(await failure(operation))) continue;
        const small = await shrinkOperation(schema, operation, async (candidate) => (await failure(candidate)) !== undefined);
        const reason = await failure(small);
        const shown = `seed ${SEED}, operation ${index}: ${reason}\n  query: ${small.query.replace(/\s+/g, ' ')}\n  variables: ${JSON.stringify(small.variables)}`;
        const why = reason?.startsWith('HTTP') || reason?.startsWith('fell back') ? undefined : await known(small, (await oursFrom(small)).body, await theirsFrom(small));
        if (why) {
          excused.push(`Apollo's known defect (${why}): ${shown}`);
          continue;
        }
        failures.push(shown);
      }
      for (const line of excused) console.info(line);
      if (apolloOrderDefects) console.info(`${suite.name}: ${apolloOrderDefects} answers where Apollo's field order is not the spec's (ours is)`);
      expect(failures, `GATEWAY_FUZZ_SEED=${SEED} GATEWAY_FUZZ_RUNS=${RUNS} replays these`).toEqual([]);
    });
  });
});
