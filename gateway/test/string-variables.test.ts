/**
 * The coercion check without graphql-js (execution/string-variables.ts) says
 * "coerces" only where graphql-js's getVariableValues finds no error, and
 * declines the operations it cannot decide alone.
 */
import { buildSchema, getVariableValues, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { stringVariables, stringsCoerce } from '../execution/string-variables.js';

const schema = buildSchema(`
  scalar Custom
  input Filter { id: ID }
  type Query { a(id: ID, name: String, n: Int): Int }
`);

const definitionsOf = (text: string) => (parse(text).definitions[0] as OperationDefinitionNode).variableDefinitions;

const VALUES: unknown[] = ['x', '', '1', 1, 1.5, true, null, undefined, {}, [], ['x']];

describe('string variables', () => {
  it('are found only where every variable is an ID or a String without a default', () => {
    expect(stringVariables(schema, definitionsOf('query Q($id: ID!, $name: String) { a }'))).toEqual([
      { name: 'id', nullable: false },
      { name: 'name', nullable: true },
    ]);
    expect(stringVariables(schema, definitionsOf('query Q { a }'))).toBeUndefined();
    expect(stringVariables(schema, definitionsOf('query Q($id: ID! = "1") { a }'))).toBeUndefined();
    expect(stringVariables(schema, definitionsOf('query Q($id: ID!, $n: Int) { a }'))).toBeUndefined();
    expect(stringVariables(schema, definitionsOf('query Q($ids: [ID!]) { a }'))).toBeUndefined();
    expect(stringVariables(schema, definitionsOf('query Q($c: Custom) { a }'))).toBeUndefined();
    expect(stringVariables(schema, definitionsOf('query Q($f: Filter) { a }'))).toBeUndefined();
  });

  it('coerce exactly when graphql-js coerces them, whatever the values', () => {
    for (const text of ['query Q($id: ID!) { a }', 'query Q($id: ID, $name: String!) { a }', 'query Q($name: String) { a }']) {
      const definitions = definitionsOf(text);
      const variables = stringVariables(schema, definitions)!;
      const names = variables.map((variable) => variable.name);
      const cases: (Record<string, unknown> | undefined)[] = [undefined, {}, Object.create({ id: 'inherited', name: 'inherited' }) as Record<string, unknown>];
      for (const first of VALUES) {
        for (const second of VALUES) {
          const given: Record<string, unknown> = {};
          if (first !== undefined) given[names[0]!] = first;
          if (names[1] !== undefined && second !== undefined) given[names[1]] = second;
          cases.push(given);
        }
      }
      for (const given of cases) {
        const graphqlSays = getVariableValues(schema, definitions!, given ?? {}).errors === undefined;
        // Never "coerces" where graphql-js finds an error; the reverse only sends a request to graphql-js.
        if (stringsCoerce(variables, given)) expect({ text, given, graphqlSays }).toEqual({ text, given, graphqlSays: true });
        if (graphqlSays && Object.values(given ?? {}).every((value) => typeof value === 'string' || value === null))
          expect({ text, given, fast: stringsCoerce(variables, given) }).toEqual({ text, given, fast: true });
      }
    }
  });
});
