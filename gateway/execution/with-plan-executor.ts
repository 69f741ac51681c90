/**
 * An @apollo/gateway as Apollo Server's gateway, executing with ours: once
 * Apollo's gateway has loaded the supergraph, its planner and executor are
 * handed to a PlanExecutor (Apollo's executor as the fallback).
 */
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { OperationAdmission } from './operation-admission.js';
import { PlanExecutor, type SubgraphSender } from './plan-executor.js';

export function withPlanExecutor(gateway: ApolloGateway, send: SubgraphSender, admission?: OperationAdmission): GatewayInterface & { planExecutor?: PlanExecutor } {
  const wrapper: GatewayInterface & { planExecutor?: PlanExecutor } = {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    load: async (options) => {
      const loaded = await gateway.load(options);
      const planner = gateway.__testing().queryPlanner;
      if (!planner || !loaded.executor) return loaded;
      const executor = new PlanExecutor({ planner, supergraphSchema: planner.supergraph.schema.toGraphQLJSSchema(), fallback: loaded.executor, send, admission });
      wrapper.planExecutor = executor;
      return { ...loaded, executor: executor.executor };
    },
  };
  return wrapper;
}
