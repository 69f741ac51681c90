/**
 * Shapes at entity boundaries: client aliases named like the key fields
 * the plan needs, __typename where the client asks it (entity fetch only,
 * aliased, at the root, inside fragments), @skip/@include on the fields
 * and fragments that cross into another subgraph, and on a key field the
 * plan needs anyway. A client alias named like the key is planned under
 * an alias of ours (planning/client-argument-aliases.ts): Apollo's planner
 * merges it with the key field and answers the key there.
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const products = [
  { id: 'p1', name: 'Lamp' },
  { id: 'p2', name: 'Desk' },
];
const stock: Record<string, { stock: number; warehouse: { code: string } | null }> = {
  p1: { stock: 3, warehouse: { code: 'W1' } },
  p2: { stock: 0, warehouse: null },
};

export const edgeShapesSuite: ConformanceSuite = {
  name: 'aliases on keys, __typename, @skip/@include at entity boundaries',
  subgraphs: [
    {
      name: 'shop',
      typeDefs: `${link('key')}
        type Query { products: [Product!]! }
        type Product @key(fields: "id") { id: ID! name: String! }`,
      resolvers: { Query: { products: () => products } },
    },
    {
      name: 'inventory',
      typeDefs: `${link('key')}
        type Product @key(fields: "id") { id: ID! stock: Int! warehouse: Warehouse }
        type Warehouse { code: String! }`,
      resolvers: { Product: { __resolveReference: ({ id }: { id: string }) => ({ id, ...stock[id] }) } },
    },
  ],
  operations: [
    {
      name: 'client aliases swapping the key and another field, with a field of the other subgraph',
      query: '{ products { id: name name: id stock } }',
      expected: {
        data: {
          products: [
            { id: 'Lamp', name: 'p1', stock: 3 },
            { id: 'Desk', name: 'p2', stock: 0 },
          ],
        },
      },
      apolloWrong: {
        why: "@apollo/query-planner 2.14 keeps the key field it adds under the client's alias `id` and drops the client's `id: name`",
        answer: {
          data: {
            products: [
              { id: 'p1', name: 'p1', stock: 3 },
              { id: 'p2', name: 'p2', stock: 0 },
            ],
          },
        },
      },
    },
    {
      name: 'a field of the other subgraph aliased as the key, the key not asked',
      query: '{ products { id: stock name } }',
      expected: {
        data: {
          products: [
            { id: 3, name: 'Lamp' },
            { id: 0, name: 'Desk' },
          ],
        },
      },
    },
    {
      name: 'the key asked twice under aliases, and __typename aliased as the key',
      query: '{ products { a: id b: id id: __typename stock } }',
      expected: {
        data: {
          products: [
            { a: 'p1', b: 'p1', id: 'Product', stock: 3 },
            { a: 'p2', b: 'p2', id: 'Product', stock: 0 },
          ],
        },
      },
    },
    {
      name: '__typename at the root, in fragments, and as the only field of an object from the other subgraph',
      query: '{ __typename products { ... on Product { __typename t: __typename } warehouse { __typename } } }',
      expected: {
        data: {
          __typename: 'Query',
          products: [
            { __typename: 'Product', t: 'Product', warehouse: { __typename: 'Warehouse' } },
            { __typename: 'Product', t: 'Product', warehouse: null },
          ],
        },
      },
    },
    {
      name: '@include false on a fragment of fields of the other subgraph: no such fields',
      query: 'query($with: Boolean!) { products { name ... on Product @include(if: $with) { stock } } }',
      variables: { with: false },
      expected: { data: { products: [{ name: 'Lamp' }, { name: 'Desk' }] } },
    },
    {
      name: '@include true on a fragment of fields of the other subgraph',
      query: 'query($with: Boolean!) { products { name ... on Product @include(if: $with) { stock } } }',
      variables: { with: true },
      expected: {
        data: {
          products: [
            { name: 'Lamp', stock: 3 },
            { name: 'Desk', stock: 0 },
          ],
        },
      },
    },
    {
      name: '@skip true on the key field the plan needs: the key not in the answer, the other subgraph still asked',
      query: 'query($skip: Boolean!) { products { id @skip(if: $skip) stock } }',
      variables: { skip: true },
      expected: { data: { products: [{ stock: 3 }, { stock: 0 }] } },
    },
    {
      name: '@skip on an object field of the other subgraph, beside a field of it that stays',
      query: 'query($skip: Boolean!) { products { stock warehouse @skip(if: $skip) { code } } }',
      variables: { skip: true },
      expected: { data: { products: [{ stock: 3 }, { stock: 0 }] } },
    },
    {
      name: 'the same field once skipped and once included: included wins',
      query: 'query($skip: Boolean!) { products { stock @skip(if: $skip) ... on Product { stock } } }',
      variables: { skip: true },
      expected: { data: { products: [{ stock: 3 }, { stock: 0 }] } },
    },
  ],
};
