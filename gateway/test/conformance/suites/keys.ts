/** @key: several keys on one entity, compound keys, keys with nested fields; entities that cannot be found or fail. */
import { GraphQLError } from 'graphql';
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const users = [
  { id: 'u1', email: 'a@x.test', org: { id: 'o1' }, name: 'Ada' },
  { id: 'u2', email: 'b@x.test', org: { id: 'o1' }, name: 'Bo' },
  { id: 'u3', email: 'c@x.test', org: { id: 'o2' }, name: 'Cy' },
];

export const keysSuite: ConformanceSuite = {
  name: '@key (multiple, compound, nested), null keys and entity errors',
  subgraphs: [
    {
      name: 'accounts',
      typeDefs: `${link('key')}
        type Query { users: [User!]! user(id: ID!): User }
        type User @key(fields: "id") @key(fields: "email") @key(fields: "id org { id }") { id: ID! email: String! org: Org! name: String! }
        type Org { id: ID! }`,
      resolvers: {
        Query: { users: () => users, user: (_: unknown, { id }: { id: string }) => users.find((user) => user.id === id) ?? null },
        User: {
          __resolveReference: (reference: { id?: string; email?: string }) =>
            users.find((user) => (reference.id ? user.id === reference.id : user.email === reference.email)) ?? null,
        },
      },
    },
    {
      name: 'mail',
      typeDefs: `${link('key')}
        type Query { inbox: [Message!]! }
        type Message { id: ID! from: User }
        type User @key(fields: "email") { email: String! unread: Int! }`,
      resolvers: {
        Query: {
          inbox: () => [
            { id: 'm1', from: { email: 'a@x.test' } },
            { id: 'm2', from: { email: 'nobody@x.test' } },
            { id: 'm3', from: null },
          ],
        },
        User: { __resolveReference: ({ email }: { email: string }) => ({ email }), unread: ({ email }: { email: string }) => email.length },
      },
    },
    {
      name: 'seats',
      typeDefs: `${link('key')}
        type User @key(fields: "id org { id }") { id: ID! org: Org! seat: String }
        type Org { id: ID! }`,
      resolvers: {
        User: {
          __resolveReference: async (reference: { id: string; org: { id: string } }) => {
            if (reference.id === 'u3') throw new GraphQLError('seat registry unavailable', { extensions: { code: 'UNAVAILABLE' } });
            return reference;
          },
          seat: ({ id, org }: { id: string; org: { id: string } }) => `${org.id}-${id}`,
        },
      },
    },
  ],
  operations: [
    {
      name: 'an entity field a literal condition removes: no fetch of its subgraph, so none of its errors',
      query: '{ users { seat @include(if: false) } }',
      expected: { data: { users: [{}, {}, {}] } },
    },
    {
      name: 'joins by a second key (email) from another subgraph',
      query: '{ users { id unread } }',
      expected: {
        data: {
          users: [
            { id: 'u1', unread: 8 },
            { id: 'u2', unread: 8 },
            { id: 'u3', unread: 8 },
          ],
        },
      },
    },
    {
      name: 'joins by a compound key with a nested field',
      query: '{ user(id: "u2") { name seat } }',
      expected: { data: { user: { name: 'Bo', seat: 'o1-u2' } } },
    },
    {
      name: 'goes from an entity known by one key to a field only the other key reaches',
      query: '{ inbox { id from { email name unread } } }',
      expected: {
        data: {
          inbox: [
            { id: 'm1', from: { email: 'a@x.test', name: 'Ada', unread: 8 } },
            { id: 'm2', from: null },
            { id: 'm3', from: null },
          ],
        },
      },
    },
    {
      name: 'an entity fetch whose planned representation nests a fragment on its own type (kept as planned)',
      query: 'query($hide: Boolean = false) { ... @skip(if: $hide) { inbox { from @include(if: true) { name } } } }',
      expected: { data: { inbox: [{ from: { name: 'Ada' } }, { from: null }, { from: null }] } },
    },
    {
      name: 'an entity whose subgraph fails: its field null, the error at its path, the rest answered',
      query: '{ users { id seat } }',
      expected: {
        data: {
          users: [
            { id: 'u1', seat: 'o1-u1' },
            { id: 'u2', seat: 'o1-u2' },
            { id: 'u3', seat: null },
          ],
        },
        errors: [{ path: ['users', 2], code: 'UNAVAILABLE' }],
      },
    },
    {
      name: 'fields removed by literal conditions under a field with a variable one: {} for each item',
      query: 'query($c: Boolean = false) { inbox @skip(if: $c) { id @include(if: false) from @include(if: false) { seat } } }',
      expected: { data: { inbox: [{}, {}, {}] } },
      apolloWrong: {
        why: '@apollo/query-planner 2.14 plans no fetch for it, and the executor finds no value for the non-null inbox (random check, seed 3)',
        answer: { data: null },
      },
    },
    {
      name: 'an entity field a literal condition removes, beside __typename: no fetch of its subgraph',
      query: '{ users { seat @include(if: false) __typename } }',
      expected: { data: { users: [{ __typename: 'User' }, { __typename: 'User' }, { __typename: 'User' }] } },
      apolloWrong: {
        why: '@apollo/query-planner fetches the seats subgraph for the skipped seat, and its error for u3 is given for nothing asked (random check, seed 1)',
        answer: { data: { users: [{ __typename: 'User' }, { __typename: 'User' }, { __typename: 'User' }] }, errors: [{ path: ['users', 2], code: 'UNAVAILABLE' }] },
      },
    },
  ],
};
