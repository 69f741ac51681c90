/**
 * `__schema` and `__type` answered by the gateway from the API schema
 * itself (graphql-js executing them): the planner leaves them out of the
 * plan. Compiled once per operation into a document of only the root
 * introspection fields (with the operation's variables and fragments),
 * run per request beside the plan; its data is merged into the plan's
 * before shaping, which then treats it as any other field.
 */
import type { DocumentNode, FieldNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, SelectionNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { Kind, execute } = graphqlRuntime;

type Json = Record<string, unknown>;

export type Introspection = (variables: Record<string, unknown>) => Promise<{ data: Json; errors: readonly GraphQLError[] }>;

const isMeta = (name: string) => name === '__schema' || name === '__type';

/** The root introspection fields, through the fragments of the root type. */
function rootMetaFields(selections: readonly SelectionNode[], document: DocumentNode, into: FieldNode[], seen = new Set<string>()): FieldNode[] {
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      if (isMeta(selection.name.value)) into.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootMetaFields(selection.selectionSet.selections, document, into, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) rootMetaFields(fragment.selectionSet.selections, document, into, seen);
    }
  }
  return into;
}

/** Undefined when the operation asks no introspection of its root. */
export function compileIntrospection(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Introspection | undefined {
  if (operation.operation !== 'query') return undefined;
  const fields = rootMetaFields(operation.selectionSet.selections, document, []);
  if (fields.length === 0) return undefined;
  const introspection: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, name: undefined, selectionSet: { kind: Kind.SELECTION_SET, selections: fields } },
      ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION),
    ],
  };
  return async (variables) => {
    const result = await execute({ schema, document: introspection, variableValues: variables });
    return { data: (result.data ?? {}) as Json, errors: result.errors ?? [] };
  };
}
