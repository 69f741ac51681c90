/**
 * Apollo's query planner (@apollo/query-planner) through its public API:
 * a QueryPlanner over the supergraph, operations built by
 * @apollo/federation-internals against the API schema; its plans then
 * corrected where they would answer wrongly (plan-corrections.ts,
 * empty-plan.ts).
 */
import { operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { asksSubgraphData } from './empty-plan.js';
import { EntityMetadata } from './entity-metadata.js';
import { PlanningError, type OperationPlanner } from './operation-planner.js';
import { correctPlan } from './plan-corrections.js';

export function apolloPlanner(loaded: LoadedSupergraph): OperationPlanner {
  // Defer nodes for @defer (gateway/execution/incremental.ts runs them).
  const planner = new QueryPlanner(loaded.supergraph, { incrementalDelivery: { enableDefer: true } });
  const metadata = new EntityMetadata(loaded.supergraph, loaded.supergraphGraphQLSchema);
  return {
    plan(document, operationName) {
      let plan: QueryPlan;
      try {
        plan = planner.buildQueryPlan(operationFromDocument(loaded.apiSchema, document, { operationName }));
      } catch (error) {
        throw new PlanningError(error);
      }
      if (!plan.node && asksSubgraphData(document, operationName)) {
        throw new PlanningError(new Error('no subgraph can resolve the fields it asks'));
      }
      return correctPlan(plan, metadata);
    },
  };
}
