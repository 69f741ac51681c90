/**
 * Interfaces and unions across subgraphs, @interfaceObject (a subgraph that
 * sees an interface as one object type: the plan's input and output
 * rewrites), and fields of one name but different types under an abstract
 * type (the plan aliases them in the subgraph query and renames them back).
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const media = [
  { __typename: 'Book', id: 'b1', title: 'Dune', pages: 412, size: 412 },
  { __typename: 'Movie', id: 'v1', title: 'Alien', minutes: 117, size: 2048 },
];

export const abstractTypesSuite: ConformanceSuite = {
  name: 'interfaces, unions, @interfaceObject, aliased fields of differing types',
  subgraphs: [
    {
      name: 'library',
      typeDefs: `${link('key', 'shareable')}
        type Query { media: [Media!]! search: [Result!]! }
        interface Media @key(fields: "id") { id: ID! title: String! }
        type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! size: Int! @shareable }
        type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! size: Int }
        union Result = Book | Movie`,
      resolvers: {
        Query: { media: () => media, search: () => [...media].reverse() },
        Media: {
          __resolveType: (item: { __typename: string }) => item.__typename,
          __resolveReference: ({ id }: { id: string }) => media.find((item) => item.id === id),
        },
        Result: { __resolveType: (item: { __typename: string }) => item.__typename },
        Book: { __resolveReference: ({ id }: { id: string }) => media.find((item) => item.id === id) },
        Movie: { __resolveReference: ({ id }: { id: string }) => media.find((item) => item.id === id) },
      },
    },
    {
      name: 'ratings',
      typeDefs: `${link('key', 'interfaceObject')}
        type Query { topRated: [Media!]! }
        type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int! }`,
      resolvers: {
        Query: { topRated: () => [{ id: 'v1' }] },
        Media: { __resolveReference: ({ id }: { id: string }) => ({ id }), stars: ({ id }: { id: string }) => (id === 'b1' ? 5 : 3) },
      },
    },
    {
      // Book.size is Int here and Int! in library: Int in the supergraph, like Movie.size.
      name: 'shelves',
      typeDefs: `${link('key', 'shareable')}
        type Book @key(fields: "id") { id: ID! size: Int @shareable }`,
      resolvers: { Book: { __resolveReference: ({ id }: { id: string }) => ({ id, size: 412 }) } },
    },
  ],
  operations: [
    {
      name: 'a field of an @interfaceObject on every implementation (input rewrite: __typename set to the interface)',
      query: '{ media { __typename id stars ... on Book { pages } } }',
      expected: {
        data: {
          media: [
            { __typename: 'Book', id: 'b1', stars: 5, pages: 412 },
            { __typename: 'Movie', id: 'v1', stars: 3 },
          ],
        },
      },
    },
    {
      name: 'from an @interfaceObject to the implementation fields (its __typename found by the owner)',
      query: '{ topRated { id stars title __typename ... on Movie { minutes } } }',
      expected: { data: { topRated: [{ id: 'v1', stars: 3, title: 'Alien', __typename: 'Movie', minutes: 117 }] } },
    },
    {
      name: "an @interfaceObject's fields fetched after the owner told the concrete type: the type stays the concrete one",
      query: '{ topRated { ... on Movie { ... { stars } __typename } a5: __typename } }',
      expected: { data: { topRated: [{ stars: 3, __typename: 'Movie', a5: 'Movie' }] } },
      apolloWrong: {
        why: '@apollo/gateway merges the @interfaceObject subgraph\'s __typename ("Media") over the concrete "Movie" the owner answered: the fragment on Movie no longer applies',
        answer: { data: { topRated: [{ a5: 'Movie' }] } },
      },
    },
    {
      name: 'fragments on implementations asking an @interfaceObject field or __typename: the concrete type stays',
      query: `{ media { ... on Book { __typename stars } } search { ... on Book { __typename stars } ... on Movie { __typename stars } } topRated { ...MovieId @include(if: true) } }
        fragment MovieId on Movie { __typename id ... on Media { __typename stars } }`,
      expected: {
        data: {
          media: [{ __typename: 'Book', stars: 5 }, {}],
          search: [
            { __typename: 'Movie', stars: 3 },
            { __typename: 'Book', stars: 5 },
          ],
          topRated: [{ __typename: 'Movie', id: 'v1', stars: 3 }],
        },
      },
      apolloWrong: {
        why: '@apollo/gateway takes the @interfaceObject subgraph\'s __typename ("Media") for the concrete type (found by the random check, seeds 1 and 2): no fragment on Book or Movie applies',
        answer: { data: { media: [{}, {}], search: [{}, {}], topRated: [{}] } },
      },
    },
    {
      name: 'one field name of two types under a union (aliased in the subgraph query, renamed back)',
      query: '{ search { ... on Book { size } ... on Movie { size } } }',
      expected: { data: { search: [{ size: 2048 }, { size: 412 }] } },
    },
    {
      name: 'fragments on the interface and on implementations, __typename at every level',
      query: `{ __typename media { ...Named ... on Movie { __typename minutes } } }
        fragment Named on Media { __typename title }`,
      expected: {
        data: {
          __typename: 'Query',
          media: [
            { __typename: 'Book', title: 'Dune' },
            { __typename: 'Movie', title: 'Alien', minutes: 117 },
          ],
        },
      },
    },
  ],
};
