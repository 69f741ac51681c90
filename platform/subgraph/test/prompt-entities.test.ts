/**
 * `_entities` with prompt references (platform/subgraph/prompt-entities.ts):
 * an entity whose `__resolveReference` answers at once is answered as a value,
 * not a promise, and every answer is the one @apollo/subgraph's resolver
 * gives: `__typename` marked, promises awaited, an entity that cannot be
 * marked failing alone, interfaces and unknown types answered as Apollo does.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { resolveEntitiesPromptly } from '../prompt-entities.js';
import { graphqlRuntime } from '../subscriptions/graphql-runtime.js';

const { execute, parse } = graphqlRuntime;

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
  type Course @key(fields: "id") { id: ID! title: String }
  type Room @key(fields: "id") { id: ID! name: String }
  type Frozen @key(fields: "id") { id: ID! }
  type Sealed @key(fields: "id") { id: ID! }
  type Inherited @key(fields: "id") { id: ID! }
  interface Node @key(fields: "id") { id: ID! }
  type Page implements Node @key(fields: "id") { id: ID! }
  type Query { ping: Boolean }
`);
const resolvers = {
  Course: { __resolveReference: (reference: { id: string }) => ({ ...reference, title: `Course ${reference.id}` }) },
  Room: { __resolveReference: async (reference: { id: string }) => ({ id: reference.id, name: `Room ${reference.id}` }) },
  // An object that cannot take a `__typename`: Apollo's resolver fails this entity alone.
  Frozen: { __resolveReference: (reference: { id: string }) => Object.freeze({ id: reference.id }) },
  // Frozen with its own `__typename` already the type's: Apollo's defineProperty changes nothing, the entity is answered.
  Sealed: { __resolveReference: (reference: { id: string }) => Object.freeze({ id: reference.id, __typename: 'Sealed' }) },
  // Frozen, its `__typename` only inherited: Apollo's defineProperty fails, this entity alone.
  Inherited: { __resolveReference: (reference: { id: string }) => Object.freeze(Object.assign(Object.create({ __typename: 'Inherited' }), { id: reference.id })) },
  Node: { __resolveReference: (reference: { id: string }) => ({ id: reference.id, __typename: 'Page' }) },
};

const schemas = () => {
  const apollo = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  const prompt = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  resolveEntitiesPromptly(prompt);
  return { apollo, prompt };
};

const query = parse(
  'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Course { title } ... on Room { name } ... on Node { id } ... on Sealed { id } ... on Inherited { id } } }',
);
const run = async (schema: GraphQLSchema, representations: unknown[]) => JSON.stringify(await execute({ schema, document: query, variableValues: { r: representations } }));

describe('_entities with prompt references', () => {
  it("answers as @apollo/subgraph's resolver does", async () => {
    const { apollo, prompt } = schemas();
    const cases = [
      [
        { __typename: 'Course', id: '1' },
        { __typename: 'Room', id: '2' },
        { __typename: 'Course', id: '3', title: 'sent' },
      ],
      [
        { __typename: 'Course', id: '1' },
        { __typename: 'Frozen', id: '2' },
        { __typename: 'Course', id: '3' },
      ],
      [
        { __typename: 'Sealed', id: '4' },
        { __typename: 'Inherited', id: '5' },
        { __typename: 'Course', id: '6' },
      ],
      [
        { __typename: 'Node', id: '7' },
        { __typename: 'Course', id: '1' },
      ],
      [
        { __typename: 'Course', id: '1' },
        { __typename: 'Nothing', id: '2' },
      ],
    ];
    for (const representations of cases) expect(await run(prompt, representations)).toBe(await run(apollo, representations));
  });

  it('answers an entity resolved at once without a promise, and one resolved later with one', () => {
    const { prompt } = schemas();
    const field = prompt.getQueryType()!.getFields()._entities!;
    const info = { schema: prompt } as never;
    const [course, room] = field.resolve!(
      undefined,
      {
        representations: [
          { __typename: 'Course', id: '1' },
          { __typename: 'Room', id: '2' },
        ],
      },
      {},
      info,
    ) as unknown[];
    expect(course).not.toBeInstanceOf(Promise);
    expect(course).toMatchObject({ __typename: 'Course', id: '1', title: 'Course 1' });
    expect(room).toBeInstanceOf(Promise);
  });
});
