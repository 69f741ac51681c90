/**
 * @apollo/gateway's executor, for the plans ours does not run yet: it gets
 * our plan (never plans again) and our subgraph data sources. Every use is
 * counted in bheem_gateway_executor_fallbacks_total, which the conformance
 * suite asserts stays at zero.
 */
import type { Schema } from '@apollo/federation-internals';
import { buildOperationContext, executeQueryPlan, type ServiceMap } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import { gatewayMetrics } from '../gateway-metrics.js';

export type FallbackExecutor = (requestContext: GatewayGraphQLRequestContext, plan: QueryPlan, reason: string) => Promise<GatewayExecutionResult>;

export interface FallbackOptions {
  services: ServiceMap;
  apiSchema: Schema;
  supergraphGraphQLSchema: GraphQLSchema;
}

export function apolloFallback({ services, apiSchema, supergraphGraphQLSchema }: FallbackOptions): FallbackExecutor {
  return (requestContext, plan, reason) => {
    gatewayMetrics.fallbacks.inc({ reason });
    const operationContext = buildOperationContext({
      schema: requestContext.schema,
      operationDocument: requestContext.document,
      operationName: requestContext.request.operationName,
    });
    return executeQueryPlan(plan, services, requestContext, operationContext, supergraphGraphQLSchema, apiSchema);
  };
}
