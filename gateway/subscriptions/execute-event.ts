/**
 * Completes one subscription event across subgraphs: the event (the
 * primary fetch's data, as streamed by its subgraph) is handed to
 * @apollo/gateway's executor as if it had just been fetched, in a plan
 * `Sequence[primary, rest]`, so `rest` runs exactly as it would for a
 * query: entity fetches to the other subgraphs, signed with the caller's
 * identity, and the response shaped to the client's selection.
 */
import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { Viewer } from '../../platform/auth/viewer.js';
import type { Logger } from '../../platform/logger.js';
import type { GatewayContext } from '../gateway-context.js';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.js';

/** A service name no subgraph can have: the executor's stand-in for "the event". */
const EVENT_SERVICE = '\u0000subscription-event';

const planCache = new WeakMap<SubscriptionPlan, QueryPlan>();

function eventPlan(plan: SubscriptionPlan): QueryPlan {
  let queryPlan = planCache.get(plan);
  if (!queryPlan) {
    const primary: FetchNode = { ...plan.primary, serviceName: EVENT_SERVICE };
    const node: PlanNode = plan.rest ? { kind: 'Sequence', nodes: [primary, plan.rest] } : primary;
    planCache.set(plan, (queryPlan = { kind: 'QueryPlan', node }));
  }
  return queryPlan;
}

export interface EventExecution {
  planner: SubscriptionPlanner;
  plan: SubscriptionPlan;
  services: ServiceMap;
  viewer: Viewer;
  variables: Record<string, unknown>;
  requestId: string;
  log: Logger;
}

/** Errors as clients receive them: message, path and stable code, never a stack. */
export function formatErrors(errors: readonly (GraphQLFormattedError | Error)[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    const { message, path, extensions } = 'toJSON' in error && typeof error.toJSON === 'function' ? (error.toJSON() as GraphQLFormattedError) : (error as GraphQLFormattedError);
    const { stacktrace: _stacktrace, exception: _exception, ...safe } = extensions ?? {};
    return { message, ...(path && { path }), ...(Object.keys(safe).length > 0 && { extensions: safe }) };
  });
}

export async function executeEvent(execution: EventExecution, event: ExecutionResult): Promise<ExecutionResult> {
  const { planner, plan, viewer, variables, requestId, log } = execution;
  const upstreamErrors = event.errors ? formatErrors(event.errors) : [];
  if (!event.data) return { data: null, errors: (upstreamErrors.length > 0 ? upstreamErrors : [{ message: 'The subgraph sent an event without data' }]) as never };
  const eventSource: GraphQLDataSource = { process: async () => ({ data: event.data as Record<string, unknown> }) };
  const context: GatewayContext = { viewer, requestId };
  const requestContext = {
    request: { query: plan.primary.operation, variables, operationName: undefined },
    context,
    logger: log,
    metrics: {},
    cache: undefined,
    overallCachePolicy: undefined,
  };
  const result = await executeQueryPlan(
    eventPlan(plan),
    { ...execution.services, [EVENT_SERVICE]: eventSource },
    requestContext as never,
    plan.operationContext,
    planner.supergraphSchema,
    planner.apiSchema,
  );
  const errors = [...upstreamErrors, ...formatErrors(plan.unauthorized ?? []), ...formatErrors(result.errors ?? [])];
  return { data: (result.data ?? null) as ExecutionResult['data'], ...(errors.length > 0 && { errors: errors as never }) };
}
