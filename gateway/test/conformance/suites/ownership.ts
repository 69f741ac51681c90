/** Who resolves what: @shareable (either subgraph), @override (the new owner only), @inaccessible (not in the API at all). */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const products = [
  { id: 'p1', name: 'Lamp', sku: 'L-1', cost: 3 },
  { id: 'p2', name: 'Desk', sku: 'D-2', cost: 40 },
];

export const ownershipSuite: ConformanceSuite = {
  name: '@shareable, @override, @inaccessible',
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `${link('key', 'shareable', 'inaccessible')}
        type Query { products: [Product!]! }
        type Product @key(fields: "id") { id: ID! name: String! @shareable sku: String! @inaccessible stock: Int! }`,
      resolvers: {
        Query: { products: () => products },
        Product: { __resolveReference: ({ id }: { id: string }) => products.find((product) => product.id === id), stock: () => 1 },
      },
    },
    {
      name: 'pricing',
      typeDefs: `${link('key', 'shareable', 'override')}
        type Query { cheapest: Product! }
        type Product @key(fields: "id") { id: ID! name: String! @shareable stock: Int! @override(from: "catalog") cost: Int! }`,
      resolvers: {
        Query: { cheapest: () => ({ id: 'p1', name: 'Lamp' }) },
        Product: {
          __resolveReference: ({ id }: { id: string }) => products.find((product) => product.id === id),
          stock: ({ id }: { id: string }) => (id === 'p1' ? 7 : 0),
          cost: ({ id }: { id: string }) => products.find((product) => product.id === id)!.cost,
        },
      },
    },
  ],
  operations: [
    {
      name: '@shareable: a field both subgraphs resolve is taken from the one already fetching',
      query: '{ cheapest { name cost } products { name } }',
      expected: { data: { cheapest: { name: 'Lamp', cost: 3 }, products: [{ name: 'Lamp' }, { name: 'Desk' }] } },
    },
    {
      name: '@override: the field comes from its new owner',
      query: '{ products { id stock } }',
      expected: {
        data: {
          products: [
            { id: 'p1', stock: 7 },
            { id: 'p2', stock: 0 },
          ],
        },
      },
    },
    {
      name: '@inaccessible: the field is not in the API schema',
      query: '{ products { sku } }',
      expected: { data: undefined, errors: [{ code: 'GRAPHQL_VALIDATION_FAILED' }] },
    },
  ],
};
