/**
 * The schema coordinates (`Type.field`) an operation selects, __typename
 * included. The random check uses them to tell a known Apollo defect (a
 * failing operation that selects nothing outside an `apolloWrong` case's
 * coordinates) from a new finding.
 */
import type { GraphQLSchema } from 'graphql';
import { graphqlRuntime as g } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';

export function fieldCoordinates(schema: GraphQLSchema, query: string): Set<string> {
  const coordinates = new Set<string>();
  const typeInfo = new g.TypeInfo(schema);
  g.visit(
    g.parse(query),
    g.visitWithTypeInfo(typeInfo, {
      Field: (node) => void coordinates.add(`${typeInfo.getParentType()?.name}.${node.name.value}`),
    }),
  );
  return coordinates;
}

/** Whether every coordinate of `query` is one of `known`'s, the root fields aside (a defect shows from any root field that reaches the type). */
export function selectsOnlyFrom(schema: GraphQLSchema, query: string, known: string): boolean {
  const allowed = fieldCoordinates(schema, known);
  const root = `${schema.getQueryType()?.name}.`;
  return [...fieldCoordinates(schema, query)].every((coordinate) => coordinate.startsWith(root) || allowed.has(coordinate));
}
