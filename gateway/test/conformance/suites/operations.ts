/**
 * Operations themselves: @skip/@include deciding fetches (Condition plan
 * nodes) and fields inside them, mutations run one after another in
 * order (in two subgraphs, each with its entity fetches done before the
 * next: `logged` shows the log as the later fetch finds it), aliases,
 * fragments, variables with defaults and of input-object and list types,
 * __typename, and introspection answered from the API schema.
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const log: string[] = [];
const notes = [{ id: 'n1', text: 'hello' }];

export const operationsSuite: ConformanceSuite = {
  name: '@skip/@include, mutations in order, aliases, fragments, variables, __typename, introspection',
  // Before each operation of the random check (random-operations.test.ts): each gateway's mutations then start anew.
  resetState: () => {
    log.length = 0;
  },
  subgraphs: [
    {
      name: 'notes',
      typeDefs: `${link('key')}
        type Query { notes: [Note!]! note(id: ID!): Note notesWhere(filter: NoteFilter!, ids: [ID!]): [Note!]! }
        input NoteFilter { text: String ids: [ID!] }
        type Mutation { append(text: String!): [String!]! addNote(text: String!): Note! }
        type Note @key(fields: "id") { id: ID! text: String! }`,
      resolvers: {
        Query: {
          notes: () => notes,
          note: (_: unknown, { id }: { id: string }) => notes.find((note) => note.id === id) ?? null,
          notesWhere: (_: unknown, { filter, ids }: { filter: { text?: string | null; ids?: string[] | null }; ids?: string[] | null }) =>
            notes.filter((note) => note.text.includes(filter.text ?? '') && [filter.ids, ids].every((only) => !only || only.includes(note.id))),
        },
        // Slow first, fast second: only a gateway that waits for each before the next keeps them in order.
        Mutation: {
          append: async (_: unknown, { text }: { text: string }) => {
            await new Promise((resolve) => setTimeout(resolve, text === 'first' ? 50 : 0));
            if (text === 'first') log.length = 0; // each operation starts the log anew
            log.push(text);
            return [...log];
          },
          addNote: (_: unknown, { text }: { text: string }) => {
            log.push(`note:${text}`);
            return { id: `n${log.length}`, text };
          },
        },
        Note: { __resolveReference: ({ id }: { id: string }) => notes.find((note) => note.id === id) },
      },
    },
    {
      name: 'tags',
      typeDefs: `${link('key')}
        type Mutation { tag(names: [String!]!): [String!]! }
        type Note @key(fields: "id") { id: ID! tags: [String!]! logged: [String!]! }`,
      resolvers: {
        Mutation: {
          tag: (_: unknown, { names }: { names: string[] }) => {
            log.push(`tag:${names.join(',')}`);
            return [...log];
          },
        },
        Note: { __resolveReference: ({ id }: { id: string }) => ({ id }), tags: () => ['a', 'b'], logged: () => [...log] },
      },
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
      name: 'mutations in two subgraphs, each with its entity fetch, one after another',
      query: 'mutation { one: append(text: "first") made: addNote(text: "x") { id text logged } tag(names: ["p", "q"]) last: addNote(text: "y") { id logged } }',
      expected: {
        data: {
          one: ['first'],
          made: { id: 'n2', text: 'x', logged: ['first', 'note:x'] },
          tag: ['first', 'note:x', 'tag:p,q'],
          last: { id: 'n4', logged: ['first', 'note:x', 'tag:p,q', 'note:y'] },
        },
      },
    },
    {
      name: 'variables of an input-object type and of a list type',
      query: 'query($filter: NoteFilter!, $ids: [ID!]) { notesWhere(filter: $filter, ids: $ids) { id tags } }',
      variables: { filter: { text: 'ell', ids: ['n1', 'n9'] }, ids: ['n1'] },
      expected: { data: { notesWhere: [{ id: 'n1', tags: ['a', 'b'] }] } },
    },
    {
      name: 'an input object and a list as literals, one of them filtering everything out',
      query: '{ all: notesWhere(filter: { text: "" }) { id } none: notesWhere(filter: { ids: [] }, ids: ["n1"]) { id } }',
      expected: { data: { all: [{ id: 'n1' }], none: [] } },
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
          __type: { fields: [{ name: 'id' }, { name: 'text' }, { name: 'tags' }, { name: 'logged' }] },
          __schema: { mutationType: { name: 'Mutation' } },
        },
      },
    },
  ],
};
