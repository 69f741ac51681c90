/**
 * The order the GraphQL spec gives an answer's fields (CollectFields: each
 * response name where it first appears, fragments expanded in place), found
 * by running the operation again in graphql-js over the answer's own data.
 * The random check asks it when two gateways' answers differ only in order.
 */
import { createRequire } from 'node:module';
import type { FieldNode, FragmentDefinitionNode, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { graphqlRuntime as g } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { RandomOperation } from './random-operations.js';

// graphql-js's own CollectFields (internal, not in its index): which response names an object of a type gets.
const { collectSubfields } = createRequire(import.meta.url)('graphql/execution/collectFields') as {
  collectSubfields: (
    schema: GraphQLSchema,
    fragments: Record<string, FragmentDefinitionNode>,
    variables: Record<string, unknown>,
    type: GraphQLObjectType,
    nodes: readonly FieldNode[],
  ) => Map<string, unknown>;
};

/** `data` reordered as the spec orders it; undefined when that cannot be told. */
export function inSpecOrder(schema: GraphQLSchema, { query, variables }: RandomOperation, data: unknown): unknown {
  if (data === null || typeof data !== 'object') return undefined;
  const document = g.parse(query);
  const operation = g.getOperationAST(document)!;
  const coerced = g.getVariableValues(schema, operation.variableDefinitions ?? [], variables).coerced ?? {};
  const fragments = Object.fromEntries(
    document.definitions.filter((definition) => definition.kind === g.Kind.FRAGMENT_DEFINITION).map((definition) => [definition.name.value, definition]),
  );
  const result = g.executeSync({
    schema,
    document,
    rootValue: data,
    variableValues: variables,
    fieldResolver: (source, _args, _context, info) => (source as Record<string, unknown>)[info.path.key as string],
    // The object's type: its __typename, or else the one type whose fields are the keys it has.
    typeResolver: (value, _context, info, abstractType) => {
      const typename = (value as { __typename?: unknown }).__typename;
      if (typeof typename === 'string') return typename;
      const keys = Object.keys(value as object)
        .sort()
        .join(',');
      const fits = schema
        .getPossibleTypes(abstractType)
        .map((type) => ({ type, names: [...collectSubfields(schema, fragments, coerced, type, info.fieldNodes).keys()] }))
        .filter(({ names }) => [...names].sort().join(',') === keys);
      // Several types that would collect the same names in the same order: any of them orders the object alike.
      const orders = new Set(fits.map(({ names }) => names.join(',')));
      return fits.length > 0 && orders.size === 1 ? fits[0]!.type.name : undefined;
    },
  });
  return result.errors?.length ? undefined : result.data;
}
