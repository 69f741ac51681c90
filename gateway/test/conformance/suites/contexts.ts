/**
 * @fromContext (Federation 2.8): an argument the client never writes, its
 * value read from an ancestor that sets a @context: one level up, several
 * levels up (through a value type), from an interface's and a union's
 * members, the value null or absent, and lists of entities under
 * ancestors of different values. The subgraph echoes what it was given, so
 * that the answer shows what the gateway sent.
 */
import type { ConformanceSuite } from '../support/conformance-case.js';

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@context", "@fromContext", "@shareable"])`;

const stores = [
  { id: 's1', currency: 'EUR', shelves: [{ name: 'top', products: ['p1', 'p2'] }], products: ['p1', 'p2'] },
  {
    id: 's2',
    currency: 'USD',
    shelves: [
      { name: 'low', products: ['p3'] },
      { name: 'mid', products: ['p1'] },
    ],
    products: ['p3'],
  },
  { id: 's3', currency: null, shelves: [{ name: 'bin', products: ['p2'] }], products: ['p2'] },
];
/** A store whose currency fails to resolve: null, with an error. */
const broken = { id: 's4', currency: 'GBP', shelves: [], products: ['p4'] };
const venues = [
  { __typename: 'Cinema', id: 'c1', locale: 'fr', screen: 'IMAX', films: ['f1'] },
  { __typename: 'Theatre', id: 't1', locale: 'de', stage: 'round', films: ['f2', 'f1'] },
];
const listings = [
  { __typename: 'Gallery', id: 'g1', city: 'Oslo', posters: ['x1'] },
  { __typename: 'Market', id: 'm1', posters: ['x2', 'x3'] },
  { __typename: 'Gallery', id: 'g2', city: null, posters: ['x1'] },
];

/** What a contextual argument was: its value, "null", or "absent" when no variable was given. */
const echo = (value: unknown) => (value === undefined ? 'absent' : value === null ? 'null' : String(value));

export const contextsSuite: ConformanceSuite = {
  name: '@fromContext: arguments read from an ancestor',
  apolloRefuses: {
    why: '@apollo/gateway 2.x loads no supergraph linking the context spec, which only Apollo Router executes',
    message: /context\/v0\.1 is for: SECURITY but is unsupported/,
  },
  subgraphs: [
    {
      name: 'shop',
      typeDefs: `${link}
        type Query { stores: [Store!]! outlets: [Store!]! venues: [Venue!]! listings: [Listing!]! }
        type Store @key(fields: "id") @context(name: "store") {
          id: ID!
          currency: String
          products: [Product!]!
          shelves: [Shelf!]!
        }
        type Shelf { name: String! products: [Product!]! }
        type Product @key(fields: "id") {
          id: ID!
          price(currency: String @fromContext(field: "$store { currency }")): String!
        }
        interface Venue @context(name: "venue") { id: ID! locale: String films: [Film!]! }
        type Cinema implements Venue @key(fields: "id") { id: ID! locale: String screen: String! films: [Film!]! }
        type Theatre implements Venue @key(fields: "id") { id: ID! locale: String stage: String! films: [Film!]! }
        type Film @key(fields: "id") { id: ID! subtitles(locale: String @fromContext(field: "$venue { locale }")): String! }
        union Listing @context(name: "listing") = Gallery | Market
        type Gallery @key(fields: "id") { id: ID! city: String posters: [Poster!]! }
        type Market @key(fields: "id") { id: ID! posters: [Poster!]! }
        type Poster @key(fields: "id") { id: ID! caption(city: String @fromContext(field: "$listing ... on Gallery { city }")): String! }`,
      resolvers: {
        Query: { stores: () => stores, outlets: () => [broken, stores[0]], venues: () => venues, listings: () => listings },
        Store: {
          currency: (store: { currency: string | null }) => {
            if (store === broken) throw new Error('the currency service is down');
            return store.currency;
          },
          __resolveReference: ({ id }: { id: string }) => stores.find((store) => store.id === id),
          products: (store: { products: string[] }) => store.products.map((id) => ({ id })),
          shelves: (store: { shelves: { name: string; products: string[] }[] }) =>
            store.shelves.map((shelf) => ({ name: shelf.name, products: shelf.products.map((id) => ({ id })) })),
        },
        Venue: { __resolveType: (venue: { __typename: string }) => venue.__typename },
        Listing: { __resolveType: (listing: { __typename: string }) => listing.__typename },
        Cinema: { __resolveReference: ({ id }: { id: string }) => venues.find((venue) => venue.id === id), films: filmsOf },
        Theatre: { __resolveReference: ({ id }: { id: string }) => venues.find((venue) => venue.id === id), films: filmsOf },
        Gallery: { __resolveReference: ({ id }: { id: string }) => listings.find((listing) => listing.id === id), posters: postersOf },
        Market: { __resolveReference: ({ id }: { id: string }) => listings.find((listing) => listing.id === id), posters: postersOf },
        Product: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          price: ({ id }: { id: string }, { currency }: { currency?: string | null }) => `${id} in ${echo(currency)}`,
        },
        Film: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          subtitles: ({ id }: { id: string }, { locale }: { locale?: string | null }) => `${id} in ${echo(locale)}`,
        },
        Poster: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          caption: ({ id }: { id: string }, { city }: { city?: string | null }) => `${id} for ${echo(city)}`,
        },
      },
    },
    {
      name: 'reviews',
      typeDefs: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key"])
        type Query { featured: [Store!]! }
        type Store @key(fields: "id") { id: ID! }
        type Product @key(fields: "id") { id: ID! stars: Int! }`,
      resolvers: {
        Query: { featured: () => [{ id: 's2' }, { id: 's1' }] },
        Product: { __resolveReference: ({ id }: { id: string }) => ({ id }), stars: ({ id }: { id: string }) => Number(id.slice(1)) },
      },
    },
  ],
  operations: [
    {
      name: 'from the parent entity, for a list of entities under parents of different values',
      query: '{ stores { id products { id price } } }',
      expected: {
        data: {
          stores: [
            {
              id: 's1',
              products: [
                { id: 'p1', price: 'p1 in EUR' },
                { id: 'p2', price: 'p2 in EUR' },
              ],
            },
            { id: 's2', products: [{ id: 'p3', price: 'p3 in USD' }] },
            { id: 's3', products: [{ id: 'p2', price: 'p2 in null' }] },
          ],
        },
      },
    },
    {
      name: 'from two levels up, through a value type; one entity under two stores; beside another subgraph',
      query: '{ stores { shelves { name products { price stars } } } }',
      expected: {
        data: {
          stores: [
            {
              shelves: [
                {
                  name: 'top',
                  products: [
                    { price: 'p1 in EUR', stars: 1 },
                    { price: 'p2 in EUR', stars: 2 },
                  ],
                },
              ],
            },
            {
              shelves: [
                { name: 'low', products: [{ price: 'p3 in USD', stars: 3 }] },
                { name: 'mid', products: [{ price: 'p1 in USD', stars: 1 }] },
              ],
            },
            { shelves: [{ name: 'bin', products: [{ price: 'p2 in null', stars: 2 }] }] },
          ],
        },
      },
    },
    {
      name: 'the context set by an entity fetch after another subgraph',
      query: '{ featured { id products { price } } }',
      expected: {
        data: {
          featured: [
            { id: 's2', products: [{ price: 'p3 in USD' }] },
            { id: 's1', products: [{ price: 'p1 in EUR' }, { price: 'p2 in EUR' }] },
          ],
        },
      },
    },
    {
      name: 'the context field failed: its error, and the argument null',
      query: '{ outlets { id products { price } } }',
      expected: {
        data: {
          outlets: [
            { id: 's4', products: [{ price: 'p4 in null' }] },
            { id: 's1', products: [{ price: 'p1 in EUR' }, { price: 'p2 in EUR' }] },
          ],
        },
        errors: [{ path: ['outlets', 0, 'currency'] }],
      },
    },
    {
      name: 'from an interface, each implementation giving its own',
      query: '{ venues { __typename id films { id subtitles } } }',
      expected: {
        data: {
          venues: [
            { __typename: 'Cinema', id: 'c1', films: [{ id: 'f1', subtitles: 'f1 in fr' }] },
            {
              __typename: 'Theatre',
              id: 't1',
              films: [
                { id: 'f2', subtitles: 'f2 in de' },
                { id: 'f1', subtitles: 'f1 in de' },
              ],
            },
          ],
        },
      },
    },
    {
      name: 'from an interface, asked through one implementation only',
      query: '{ venues { ... on Cinema { films { subtitles } } } }',
      expected: { data: { venues: [{ films: [{ subtitles: 'f1 in fr' }] }, {}] } },
    },
    {
      name: 'from a union member, its value null for one',
      query: '{ listings { ... on Gallery { id posters { id caption } } } }',
      expected: {
        data: {
          listings: [{ id: 'g1', posters: [{ id: 'x1', caption: 'x1 for Oslo' }] }, {}, { id: 'g2', posters: [{ id: 'x1', caption: 'x1 for null' }] }],
        },
      },
    },
    {
      name: 'a client alias named like the context field (planned under an alias of ours)',
      query: '{ stores { currency: id products { price } } }',
      expected: {
        data: {
          stores: [
            { currency: 's1', products: [{ price: 'p1 in EUR' }, { price: 'p2 in EUR' }] },
            { currency: 's2', products: [{ price: 'p3 in USD' }] },
            { currency: 's3', products: [{ price: 'p2 in null' }] },
          ],
        },
      },
    },
    {
      name: 'from a union member without the context field: the planner cannot plan it',
      query: '{ listings { ... on Market { posters { caption } } } }',
      expected: { data: undefined, errors: [{ code: 'QUERY_PLANNING_FAILED' }] },
    },
  ],
};

function filmsOf(parent: { films: string[] }) {
  return parent.films.map((id) => ({ id }));
}

function postersOf(parent: { posters: string[] }) {
  return parent.posters.map((id) => ({ id }));
}
