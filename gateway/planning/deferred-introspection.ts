/**
 * Introspection inside a @defer fragment (`{ ... @defer { __schema { … } } }`):
 * Apollo's query planner finds no plan for it and says so in its own words
 * ("Was not able to find any options for __schema …: This shouldn't have
 * happened"), which tell a client nothing it can act on and show the
 * planner's insides. When planning failed, this names the cause instead;
 * the code stays QUERY_PLANNING_FAILED.
 */
import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { GraphQLError, Kind } = graphqlRuntime;

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

type Fragments = ReadonlyMap<string, FragmentDefinitionNode>;

/** Whether `set` selects __schema or __type at any depth, through fragments too. */
function selectsIntrospection(set: SelectionSetNode, fragments: Fragments, seen: Set<string>): boolean {
  return set.selections.some((selection) => {
    if (selection.kind === Kind.FIELD)
      return INTROSPECTION_FIELDS.has(selection.name.value) || (selection.selectionSet !== undefined && selectsIntrospection(selection.selectionSet, fragments, seen));
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsIntrospection(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return false;
    seen.add(name);
    return selectsIntrospection(fragment.selectionSet, fragments, seen);
  });
}

/** Whether a fragment of `set` with @defer selects introspection. */
function defersIn(set: SelectionSetNode, fragments: Fragments, seen: Set<string>): boolean {
  return set.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.selectionSet !== undefined && defersIn(selection.selectionSet, fragments, seen);
    const deferred = selection.directives?.some((directive) => directive.name.value === 'defer') ?? false;
    const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
    if (!inner) return false;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
    }
    return deferred ? selectsIntrospection(inner, fragments, new Set()) : defersIn(inner, fragments, seen);
  });
}

export function defersIntrospection(document: DocumentNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && defersIn(definition.selectionSet, fragments, new Set()));
}

export function deferredIntrospectionError() {
  return new GraphQLError('Introspection (__schema, __type) cannot be deferred: select it outside @defer fragments', {
    extensions: { code: 'QUERY_PLANNING_FAILED' },
  });
}
