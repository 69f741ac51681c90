/**
 * Operations themselves: @skip/@include deciding fetches (Condition plan
 * nodes) and fields inside them, mutations run one after another in
 * order, aliases, fragments, variables with defaults, __typename, and
 * introspection answered from the API schema.
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const log: string[] = [];
const notes = [{ id: 'n1', text: 'hello' }];

export const operationsSuite: ConformanceSuite = {
  name: '@skip/@include, mutations in order, aliases, fragments, variables, __typename, introspection',
  subgraphs: [
    {
      name: 'notes',
      typeDefs: `${link('key')}
        type Query { notes: [Note!]! note(id: ID!): Note }
        type Mutation { append(text: String!): [String!]! }
        type Note @key(fields: "id") { id: ID! text: String! }`,
      resolvers: {
        Query: { notes: () => notes, note: (_: unknown, { id }: { id: string }) => notes.find((note) => note.id === id) ?? null },
        // Slow first, fast second: only a gateway that waits for each before the next keeps them in order.
        Mutation: {
          append: async (_: unknown, { text }: { text: string }) => {
            await new Promise((resolve) => setTimeout(resolve, text === 'first' ? 50 : 0));
            if (text === 'first') log.length = 0; // each operation starts the log anew
            log.push(text);
            return [...log];
          },
        },
        Note: { __resolveReference: ({ id }: { id: string }) => notes.find((note) => note.id === id) },
      },
    },
    {
      name: 'tags',
      typeDefs: `${link('key')}
        type Note @key(fields: "id") { id: ID! tags: [String!]! }`,
      resolvers: { Note: { __resolveReference: ({ id }: { id: string }) => ({ id }), tags: () => ['a', 'b'] } },
    },
  ],
  operations: [
    {
      name: '@include false on a field of another subgraph: no fetch of it, no field',
      query: 'query($withTags: Boolean!) { notes { id tags @include(if: $withTags) } }',
      variables: { withTags: false },
      expected: { data: { notes: [{ id: 'n1' }] } },
    },
    {
      name: '@include true on a field of another subgraph',
      query: 'query($withTags: Boolean!) { notes { id tags @include(if: $withTags) } }',
      variables: { withTags: true },
      expected: { data: { notes: [{ id: 'n1', tags: ['a', 'b'] }] } },
    },
    {
      name: '@skip with a default, on a fragment and a field inside one fetch',
      query: 'query($hide: Boolean = true) { notes { ... @skip(if: $hide) { text } id __typename } }',
      expected: { data: { notes: [{ id: 'n1', __typename: 'Note' }] } },
    },
    {
      name: 'mutations run one after another, in the order asked',
      query: 'mutation { one: append(text: "first") two: append(text: "second") }',
      expected: { data: { one: ['first'], two: ['first', 'second'] } },
    },
    {
      name: 'aliases, named fragments and variables across subgraphs',
      query: `query Pick($id: ID!) { first: note(id: $id) { ...Full label: text } missing: note(id: "zz") { id } }
        fragment Full on Note { key: id tags __typename }`,
      variables: { id: 'n1' },
      expected: { data: { first: { key: 'n1', tags: ['a', 'b'], __typename: 'Note', label: 'hello' }, missing: null } },
    },
    {
      name: 'introspection from the API schema, with planned fields beside it',
      query: '{ __typename notes { id } __type(name: "Note") { fields { name } } __schema { mutationType { name } } }',
      expected: {
        data: {
          __typename: 'Query',
          notes: [{ id: 'n1' }],
          __type: { fields: [{ name: 'id' }, { name: 'text' }, { name: 'tags' }] },
          __schema: { mutationType: { name: 'Mutation' } },
        },
      },
    },
  ],
};
