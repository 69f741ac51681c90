/**
 * QUERY_PLANNING_FAILED in our words (planning/planning-failure.ts): what
 * cannot be planned is named where the planner tells it, and the planner's
 * own text ("Was not able to find any options for caption: This shouldn't
 * have happened.") is in the log only, over HTTP (stack traces included:
 * this gateway runs outside production) and graphql-ws alike. The
 * operations are real failures: a union member without the @fromContext
 * field (the contexts suite) and @defer on the root of a mutation or a
 * subscription of the platform's supergraph.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaPath } from '../../../platform/paths.js';
import { apolloPlanner } from '../../planning/apollo-planner.js';
import { loadSupergraph } from '../../supergraph/load-supergraph.js';
import { contextsSuite } from './suites/contexts.js';
import { graphqlWsCollector } from './support/incremental-client.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { collectingLogger, startTestGateway, stopTestGateway, type TestGateway } from './support/test-gateway.js';

const PLANNER_WORDS = /options for|shouldn't have happened|root type/;
const { log, logged } = collectingLogger();

let servers: SubgraphServer[] = [];
let gateway: TestGateway;
let url: string;
let token: string;

beforeAll(async () => {
  servers = await Promise.all(contextsSuite.subgraphs.map((definition) => startSubgraphServer(definition)));
  gateway = await startTestGateway(servers, { name: 'planning-failures-test', log });
  ({ url, token } = gateway);
});
afterAll(() => stopTestGateway(gateway, servers));

const unplannable = '{ listings { ... on Market { posters { caption } } } }';
const fieldError = {
  message: 'The operation cannot be planned over this supergraph: no subgraph can resolve field "caption" where the operation selects it',
  extensions: expect.objectContaining({ code: 'QUERY_PLANNING_FAILED' }),
};

describe('an operation the planner cannot plan', () => {
  it('over HTTP: our message naming the field, the planner words in the log only, either media type', async () => {
    logged.length = 0;
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: unplannable }),
      });
      const text = await response.text();
      expect(text).not.toMatch(PLANNER_WORDS);
      expect(JSON.parse(text).errors).toEqual([fieldError]);
    }
    // Planned once, its failure kept: logged once.
    expect(logged).toEqual([
      expect.objectContaining({ msg: 'operation cannot be planned', err: expect.objectContaining({ message: expect.stringMatching(/options for caption/) }) }),
    ]);
  });

  it('over graphql-ws: the same message', async () => {
    const { run, dispose } = graphqlWsCollector(url, token);
    try {
      const refused = await run(unplannable).then(
        () => undefined,
        (errors: unknown) => errors,
      );
      expect(JSON.stringify(refused)).not.toMatch(PLANNER_WORDS);
      expect(refused).toEqual([expect.objectContaining({ message: fieldError.message })]);
    } finally {
      await dispose();
    }
  });

  it('@defer on the root of a mutation or a subscription of our supergraph: named as such, the planner words logged', () => {
    const warnings: unknown[] = [];
    const planner = apolloPlanner(loadSupergraph(readFileSync(schemaPath('supergraph'), 'utf8')), { warn: (entry: unknown) => void warnings.push(entry) });
    for (const kind of ['mutation', 'subscription']) {
      let error: Error | undefined;
      try {
        planner.plan(parse(`${kind} { ... @defer { __typename } }`), undefined);
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message).toBe(`@defer cannot be used on the root selection of a ${kind}: defer a selection inside one of its fields`);
      expect((error as { extensions?: unknown }).extensions).toEqual({ code: 'QUERY_PLANNING_FAILED' });
    }
    expect(warnings).toEqual([
      expect.objectContaining({ err: expect.objectContaining({ message: expect.stringMatching(/mutation root type/) }) }),
      expect.objectContaining({ err: expect.objectContaining({ message: expect.stringMatching(/subscription root type/) }) }),
    ]);
  });
});
