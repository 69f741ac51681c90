/**
 * A field whose every selection a literal condition removes
 * (`featured { ...F @include(if: false) }`) still has a value: `{}` for an
 * object, or null with an error if its subgraph gives none. Under a field
 * or fragment with a variable condition, @apollo/query-planner 2.14 plans
 * no fetch at all for such a field (QueryPlan {}), so the answer would lack
 * it. Such an operation (one whose plan is empty: apollo-planner.ts) is
 * planned again with a `__typename` in each such selection set: the
 * planner then fetches the field, and the answer keeps the client's
 * selections only (response-shape.ts shapes by the client's document).
 * Only then: elsewhere the planner does fetch such fields, and a
 * `__typename` may cost an entity fetch, or be one no subgraph can tell.
 */
import type { DocumentNode, FieldNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { skippedForSure } from './empty-plan.js';

const { Kind, visit } = graphqlRuntime;

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** Whether a literal @skip/@include removes every selection of `set` (fragments spread in it included). */
function emptied(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): boolean {
  return set.selections.every((selection) => {
    if (skippedForSure(selection.directives)) return true;
    if (selection.kind === Kind.FIELD) return false;
    if (selection.kind === Kind.INLINE_FRAGMENT) return emptied(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name)) return true;
    const fragment = fragments.get(name);
    return fragment === undefined || emptied(fragment.selectionSet, fragments, new Set([...seen, name]));
  });
}

/** The document with a `__typename` in each field's selection set that literal conditions empty, or undefined if none is. */
export function withTypenameInEmptiedFields(document: DocumentNode): DocumentNode | undefined {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  let changed = false;
  const edited = visit(document, {
    Field(node) {
      if (!node.selectionSet || !emptied(node.selectionSet, fragments)) return undefined;
      changed = true;
      return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, TYPENAME] } };
    },
  });
  return changed ? edited : undefined;
}
