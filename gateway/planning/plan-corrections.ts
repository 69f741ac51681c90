/**
 * Our layer over @apollo/query-planner's plans: where they would give a
 * wrong answer, the plan is changed before it is compiled
 * (entity-fetch-correction.ts); the planner's own objects are left as they
 * are (plan-fetches.ts copies them). Runs once per planned operation, never
 * per request.
 */
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import { correctEntityFetch, RequiredAliases } from './entity-fetch-correction.js';
import type { EntityMetadata } from './entity-metadata.js';
import { copyPlan, printChanged, type FetchSite } from './plan-fetches.js';

export function correctPlan(plan: QueryPlan, metadata: EntityMetadata): QueryPlan {
  if (!plan.node || plan.node.kind === 'Subscription') return plan;
  const sites: FetchSite[] = [];
  const root = { node: undefined as PlanNode | undefined };
  root.node = copyPlan(plan.node, sites, [], (next) => void (root.node = next));
  const aliases = new RequiredAliases();
  const planned = sites.length;
  for (let index = 0; index < planned; index++) {
    if (sites[index]!.fetch.requires) correctEntityFetch(sites[index]!, sites.slice(0, index), metadata, aliases);
  }
  printChanged(sites);
  return { ...plan, node: root.node };
}
