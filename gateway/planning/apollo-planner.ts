/**
 * Apollo's query planner (@apollo/query-planner) through its public API:
 * a QueryPlanner over the supergraph, operations built by
 * @apollo/federation-internals against the API schema.
 */
import { operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { PlanningError, type OperationPlanner } from './operation-planner.js';

export function apolloPlanner(loaded: LoadedSupergraph): OperationPlanner {
  const planner = new QueryPlanner(loaded.supergraph);
  return {
    plan(document, operationName) {
      try {
        return planner.buildQueryPlan(operationFromDocument(loaded.apiSchema, document, { operationName }));
      } catch (error) {
        throw new PlanningError(error);
      }
    },
  };
}
