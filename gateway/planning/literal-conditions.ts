/**
 * Selections a literal @skip(if: true) / @include(if: false) removes, taken
 * out of the operation before planning. They never reach the answer
 * (response-shape.ts shapes by the client's document, which keeps them),
 * and @apollo/query-planner 2.14 plans them wrongly in some places: a field
 * with @requires skipped so, beside the same field asked elsewhere, gets its
 * requirement fetched only under the literal condition while the entity
 * fetch asks it without, and every entity is dropped. A selection set they
 * would leave empty keeps them (emptied-selections.ts deals with those).
 */
import type { DocumentNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { skippedForSure } from './empty-plan.js';

const { visit } = graphqlRuntime;

/** The document without such selections, or undefined when it has none to take out. */
export function withoutLiteralSkips(document: DocumentNode): DocumentNode | undefined {
  let changed = false;
  const edited = visit(document, {
    SelectionSet(node): SelectionSetNode | undefined {
      const kept = node.selections.filter((selection) => !skippedForSure(selection.directives));
      if (kept.length === node.selections.length || kept.length === 0) return undefined;
      changed = true;
      return { ...node, selections: kept };
    },
  });
  return changed ? edited : undefined;
}
