/**
 * A test's calls to one subgraph of its platform, signed as the gateway
 * signs, and the check that an answer carries no errors. Apart from
 * subgraph-client.ts, which benchmarks use outside vitest.
 */
import { expect } from 'vitest';
import type { Viewer } from '../../platform/auth/viewer.js';
import type { SubgraphName } from '../../platform/config.js';
import { callSubgraph, demoViewer } from './subgraph-client.js';
import type { GraphQLResponse, TestPlatform } from './test-platform.js';

/**
 * Calls as a demo user (by username) or a given viewer; `null` sends no
 * identity. The platform is read at call time, so a caller can be made
 * before `beforeAll` starts it.
 */
export function subgraphCaller(platform: () => TestPlatform, subgraph: SubgraphName) {
  return <T = any>(user: string | Viewer | null, query: string, variables?: Record<string, unknown>) =>
    callSubgraph<T>({
      url: platform().subgraphs[subgraph]!.url,
      audience: subgraph,
      secret: platform().config.internalSigningSecret,
      viewer: user === null ? undefined : typeof user === 'string' ? demoViewer(user) : user,
      query,
      variables,
    });
}

/** The data of an answer that must carry no errors. */
export function dataOf<T = any>(answer: { body: GraphQLResponse<T> }): T {
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data as T;
}
