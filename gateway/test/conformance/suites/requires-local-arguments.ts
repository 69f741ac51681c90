/**
 * @requires with arguments on a field of the requiring subgraph itself
 * (`books(first: 2)`), whose sub-selection another subgraph resolves
 * (`title`, @external there): the required field's objects go on to that
 * subgraph's entity fetch before the representation is built.
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const shelves = [
  { id: 's1', books: ['b1', 'b2', 'b3'] },
  { id: 's2', books: ['b4'] },
];
const titles: Record<string, string> = { b1: 'Emma', b2: 'Ulysses', b3: 'Dune', b4: 'Kim' };

export const requiresLocalArgumentsSuite: ConformanceSuite = {
  name: '@requires with arguments on a local field another subgraph completes',
  subgraphs: [
    {
      name: 'shelves',
      typeDefs: `${link('key')}
        type Query { shelves: [Shelf!]! }
        type Shelf @key(fields: "id") { id: ID! }`,
      resolvers: { Query: { shelves: () => shelves.map(({ id }) => ({ id })) } },
    },
    {
      name: 'loans',
      typeDefs: `${link('key', 'external', 'requires')}
        type Shelf @key(fields: "id") {
          id: ID!
          books(first: Int!): [Book!]!
          label: String! @requires(fields: "books(first: 2) { title }")
        }
        type Book @key(fields: "isbn") { isbn: ID! title: String! @external }`,
      resolvers: {
        Shelf: {
          __resolveReference: (reference: Record<string, unknown>) => reference,
          books: ({ id }: { id: string }, { first }: { first: number }) => (shelves.find((shelf) => shelf.id === id)?.books ?? []).slice(0, first).map((isbn) => ({ isbn })),
          // Only the two titles the @requires names may arrive: more means the wrong arguments were used.
          label: ({ books }: { books: { title: string | null }[] }) => {
            if (books.length > 2 || books.some((book) => !book.title)) throw new Error(`wrong requirement: ${JSON.stringify(books)}`);
            return books.map((book) => book.title).join(' + ');
          },
        },
      },
    },
    {
      name: 'catalog',
      typeDefs: `${link('key')}
        type Book @key(fields: "isbn") { isbn: ID! title: String! }`,
      resolvers: { Book: { __resolveReference: ({ isbn }: { isbn: string }) => ({ isbn, title: titles[isbn] }) } },
    },
  ],
  operations: [
    {
      name: 'the required field alone',
      query: '{ shelves { id label } }',
      expected: {
        data: {
          shelves: [
            { id: 's1', label: 'Emma + Ulysses' },
            { id: 's2', label: 'Kim' },
          ],
        },
      },
    },
    {
      name: 'the client asks the required field with other arguments, beside the requiring field',
      query: '{ shelves { books(first: 0) { __typename isbn title } label } }',
      expected: {
        data: {
          shelves: [
            { books: [], label: 'Emma + Ulysses' },
            { books: [], label: 'Kim' },
          ],
        },
      },
      apolloWrong: {
        why: "@apollo/query-planner merges the client's books(first: 0) with the required books(first: 2) and answers the client the required ones",
        answer: {
          data: {
            shelves: [
              {
                books: [
                  { __typename: 'Book', isbn: 'b1', title: 'Emma' },
                  { __typename: 'Book', isbn: 'b2', title: 'Ulysses' },
                ],
                label: 'Emma + Ulysses',
              },
              { books: [{ __typename: 'Book', isbn: 'b4', title: 'Kim' }], label: 'Kim' },
            ],
          },
        },
      },
    },
  ],
};
