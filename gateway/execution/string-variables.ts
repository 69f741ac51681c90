/**
 * Variables whose coercion needs no graphql-js: an operation whose every
 * variable is an ID or a String (as most lookups are: `$id: ID!`), without a
 * default, is given values that coerce exactly when each is a string (or
 * absent or null where the type allows it). Those requests skip
 * getVariableValues, which builds its coerced copy and its error list per
 * request; any other value, or any other operation, still goes through it, so
 * its errors are graphql-js's own.
 */
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { isSpecifiedScalarType, Kind } = graphqlRuntime;

/** Each variable's name and whether it may be null or absent. */
export type StringVariables = readonly { name: string; nullable: boolean }[];

/** The operation's variables when all are IDs or Strings without defaults; undefined otherwise. */
export function stringVariables(schema: GraphQLSchema, definitions: OperationDefinitionNode['variableDefinitions']): StringVariables | undefined {
  if (!definitions?.length) return undefined;
  const variables: { name: string; nullable: boolean }[] = [];
  for (const definition of definitions) {
    if (definition.defaultValue !== undefined || definition.directives?.length) return undefined;
    const nullable = definition.type.kind !== Kind.NON_NULL_TYPE;
    const named = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    if (named.kind !== Kind.NAMED_TYPE) return undefined;
    // The built-in scalars (a schema built from SDL always has graphql-js's own under these names).
    const type = schema.getType(named.name.value);
    if (!type || !isSpecifiedScalarType(type) || (type.name !== 'ID' && type.name !== 'String')) return undefined;
    variables.push({ name: definition.variable.name.value, nullable });
  }
  return variables;
}

/** Whether `given` coerces to `variables` (a string each, or null or absent where nullable) without graphql-js. */
export function stringsCoerce(variables: StringVariables, given: Record<string, unknown> | undefined): boolean {
  for (const { name, nullable } of variables) {
    const value = given !== undefined && Object.hasOwn(given, name) ? given[name] : undefined;
    if (typeof value === 'string') continue;
    if (!nullable || (value !== undefined && value !== null)) return false;
  }
  return true;
}
