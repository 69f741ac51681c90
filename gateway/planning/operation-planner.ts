/**
 * The gateway's planning step, behind an interface of ours: from an
 * operation (validated against the API schema) to a query plan the executor
 * runs. Which planner does it (Apollo's, a layer over it, another one) is
 * decided where the gateway is put together, not in the executor.
 */
import type { QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, FieldNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { CANNOT_BE_PLANNED, planningFailureMessage } from './planning-failure.js';

export interface PlannedOperation extends QueryPlan {
  /** Fields of the client's document the plan answers under another key (client-argument-aliases.ts): that key. */
  readFrom?: ReadonlyMap<FieldNode, string>;
}

export interface OperationPlanner {
  /** The plan of the named operation (or the only one); throws a PlanningError when there is none. */
  plan(document: DocumentNode, operationName: string | undefined): PlannedOperation;
}

/**
 * The planner found no plan (an operation it cannot satisfy over this
 * supergraph, or a planner bug): no data, a stable code. The operation is the
 * request's problem as far as the client can act on it, so HTTP 400 for
 * `application/graphql-response+json` and 200 for `application/json`, as the
 * GraphQL-over-HTTP spec says of requests that cannot be executed.
 */
export class PlanningError extends graphqlRuntime.GraphQLError {
  /** `cause`: the planner's exception (logged by apollo-planner.ts; its text never reaches the client: planning-failure.ts); `reason`: ours, when we know it. */
  constructor(cause: unknown, reason?: string) {
    super(reason === undefined ? planningFailureMessage(cause) : `${CANNOT_BE_PLANNED}: ${reason}`, {
      // Not the planner's exception as originalError: outside production, its stack (its text first) would be the client's stacktrace.
      extensions: { code: 'QUERY_PLANNING_FAILED' },
    });
  }
}
