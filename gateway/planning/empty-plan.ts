/**
 * A plan with no fetch for an operation that asks data: @apollo/query-planner
 * gives one when no subgraph can resolve what is asked (a field only an
 * @interfaceObject with no resolvable key has, under an interface without
 * implementations), and the answer would be a silent `null`. Only
 * `__typename`, introspection, and fields skipped by literal @skip/@include
 * need no fetch; anything else is a planning failure.
 */
import type { DirectiveNode, DocumentNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { Kind, getOperationAST } = graphqlRuntime;

const META_FIELDS = new Set(['__typename', '__schema', '__type']);

export function skippedForSure(directives: readonly DirectiveNode[] | undefined): boolean {
  return (directives ?? []).some((directive) => {
    const value = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (value?.kind !== Kind.BOOLEAN) return false;
    return (directive.name.value === 'skip' && value.value) || (directive.name.value === 'include' && !value.value);
  });
}

/** Whether the operation's root selection asks anything a subgraph must answer. */
export function asksSubgraphData(document: DocumentNode, operationName: string | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation) return false;
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const seen = new Set<string>();
  const asks = (set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (skippedForSure(selection.directives)) return false;
      if (selection.kind === Kind.FIELD) return !META_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return asks(selection.selectionSet);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      return fragment !== undefined && asks(fragment.selectionSet);
    });
  return asks(operation.selectionSet);
}
