/**
 * Apollo's query planner (@apollo/query-planner) through its public API:
 * a QueryPlanner over the supergraph, operations built by
 * @apollo/federation-internals against the API schema; its plans then
 * corrected where they would answer wrongly (client-argument-aliases.ts,
 * plan-corrections.ts, empty-plan.ts, emptied-selections.ts, literal-conditions.ts).
 */
import { operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode } from 'graphql';
import type { Logger } from '../../platform/logger.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { aliasClientArguments, contextFieldNames, keyAndRequiredFieldNames, requiredArguments } from './client-argument-aliases.js';
import { asksSubgraphData } from './empty-plan.js';
import { withTypenameInEmptiedFields } from './emptied-selections.js';
import { EntityMetadata } from './entity-metadata.js';
import { withoutLiteralSkips } from './literal-conditions.js';
import { PlanningError, type OperationPlanner, type PlannedOperation } from './operation-planner.js';
import { correctPlan } from './plan-corrections.js';

/** `log`: where the planner's own words go when it finds no plan (the client gets ours: planning-failure.ts). */
export function apolloPlanner(loaded: LoadedSupergraph, log?: Pick<Logger, 'warn'>): OperationPlanner {
  // Defer nodes for @defer (gateway/execution/incremental.ts runs them).
  const planner = new QueryPlanner(loaded.supergraph, { incrementalDelivery: { enableDefer: true } });
  const metadata = new EntityMetadata(loaded.supergraph, loaded.supergraphGraphQLSchema);
  const required = requiredArguments(loaded.supergraph);
  // Client aliases named like these are planned under ours (client-argument-aliases.ts).
  const plannerFields = new Set([...contextFieldNames(loaded.supergraph), ...keyAndRequiredFieldNames(loaded.supergraph)]);
  return {
    plan(document, operationName): PlannedOperation {
      const aliased = aliasClientArguments(document, required, plannerFields);
      const build = (planned: DocumentNode): QueryPlan => {
        try {
          return planner.buildQueryPlan(operationFromDocument(loaded.apiSchema, planned, { operationName }));
        } catch (error) {
          // Once per operation text: plans and their failures are cached by the callers.
          log?.warn({ err: error, operationName }, 'operation cannot be planned');
          throw new PlanningError(error);
        }
      };
      const asked = aliased?.document ?? document;
      const planned = withoutLiteralSkips(asked) ?? asked;
      let plan = build(planned);
      if (!plan.node && asksSubgraphData(document, operationName)) {
        // Fields that literal conditions empty, under a variable one, may be all that is left: planned with a
        // __typename in them (emptied-selections.ts). The copy keeps the client's field nodes `readFrom` knows.
        const filled = withTypenameInEmptiedFields(planned);
        if (filled) plan = build(filled);
        if (!plan.node) throw new PlanningError(undefined, 'no subgraph can resolve the fields it asks');
      }
      const corrected = correctPlan(plan, metadata);
      return aliased ? { ...corrected, readFrom: aliased.readFrom } : corrected;
    },
  };
}
