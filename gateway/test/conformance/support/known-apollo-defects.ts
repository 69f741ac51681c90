/**
 * Whether a failing random operation shows a defect of @apollo/gateway that
 * the hand-written cases already pin down (we are right there, and asserted
 * so), rather than a new finding:
 * - it selects nothing outside an `apolloWrong` case's fields, the root
 *   fields aside;
 * - our planner plans it under aliases of ours (planning/client-argument-aliases.ts):
 *   a client alias named like a key or @requires field, or a field a @requires
 *   asks with other arguments, where @apollo/query-planner answers the
 *   client with the planner's data (edge-shapes, requires-client-arguments,
 *   requires-local-arguments, requires-provides).
 * Returns why, or undefined.
 */
import type { ConformanceSuite } from './conformance-case.js';
import { aliasClientArguments, contextFieldNames, keyAndRequiredFieldNames, requiredArguments } from '../../../planning/client-argument-aliases.js';
import type { LoadedSupergraph } from '../../../supergraph/load-supergraph.js';
import { graphqlRuntime as g } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';
import { selectsOnlyFrom } from './field-coordinates.js';

export function knownApolloDefect(suite: ConformanceSuite, loaded: LoadedSupergraph): (query: string) => string | undefined {
  const required = requiredArguments(loaded.supergraph);
  const plannerFields = new Set([...contextFieldNames(loaded.supergraph), ...keyAndRequiredFieldNames(loaded.supergraph)]);
  return (query) => {
    const written = suite.operations.find((operation) => operation.apolloWrong && selectsOnlyFrom(loaded.apiGraphQLSchema, query, operation.query));
    if (written) return `as the case "${written.name}"`;
    if (aliasClientArguments(g.parse(query), required, plannerFields)) return 'a client field planned under an alias of ours';
    return undefined;
  };
}
