/**
 * What a conformance suite is: small subgraphs (SDL and resolvers), and
 * operations over their supergraph, each with the answer the federation
 * specification calls for. Kept as data so that the plan-shape test can
 * plan every operation of every suite too.
 */
import type { SubgraphDefinition } from './subgraph-server.js';

export interface ExpectedError {
  path?: (string | number)[];
  code?: string;
}

export interface ConformanceOperation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  expected: { data: unknown; errors?: ExpectedError[] };
  /** @apollo/gateway answers otherwise, and is wrong: why, and what it answers (asserted, so that a fixed Apollo is noticed). */
  apolloWrong?: { why: string; answer: { data: unknown; errors?: ExpectedError[] } };
}

export interface ConformanceSuite {
  name: string;
  /** @apollo/gateway does not load the suite's supergraph: why, and its error (asserted); answers are ours alone. */
  apolloRefuses?: { why: string; message: RegExp };
  subgraphs: SubgraphDefinition[];
  /** Forgets what earlier operations changed in the subgraphs (mutations), so that two runs of one operation agree. */
  resetState?: () => void;
  operations: ConformanceOperation[];
}

export const link = (...directives: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${directives.map((name) => `"@${name}"`).join(', ')}])`;
