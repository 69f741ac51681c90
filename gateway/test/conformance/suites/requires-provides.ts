/**
 * @requires (with arguments), @provides and @external. Three cases are
 * where @apollo/query-planner 2.14 plans wrongly and our planning layer
 * corrects its plan (gateway/planning/entity-fetch-correction.ts): marked
 * `apolloWrong`, with Apollo's wrong answer.
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const posts = [
  { id: 'p1', author: { id: 'a1', name: 'Ann' }, comments: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }], price: { USD: 10, EUR: 9 }, score: { base: 4 } },
  { id: 'p2', author: { id: 'a2', name: 'Raj' }, comments: [{ id: 'c4' }], price: { USD: 20, EUR: 18 }, score: { base: 7 } },
];

export const requiresProvidesSuite: ConformanceSuite = {
  name: '@requires (with arguments), @provides, @external',
  subgraphs: [
    {
      name: 'posts',
      typeDefs: `${link('key', 'shareable')}
        type Query { posts: [Post!]! }
        type Post @key(fields: "id") { id: ID! comments(limit: Int): [Comment!]! price(currency: String = "USD"): Float! author: Author! @shareable score: Score! }
        type Comment @shareable { id: ID! }
        type Score { value(scale: Int = 1): Int! }
        type Author @key(fields: "id") { id: ID! }`,
      resolvers: {
        Query: { posts: () => posts },
        Post: {
          __resolveReference: ({ id }: { id: string }) => posts.find((post) => post.id === id),
          comments: (post: (typeof posts)[number], { limit }: { limit?: number }) => (limit === undefined ? post.comments : post.comments.slice(0, limit)),
          price: (post: (typeof posts)[number], { currency }: { currency: 'USD' | 'EUR' }) => post.price[currency],
          author: (post: (typeof posts)[number]) => ({ id: post.author.id }),
        },
        Score: { value: (score: { base: number }, { scale }: { scale: number }) => score.base * scale },
      },
    },
    {
      name: 'stats',
      typeDefs: `${link('key', 'external', 'requires', 'shareable')}
        type Post @key(fields: "id") {
          id: ID!
          comments(limit: Int): [Comment!]! @external
          price(currency: String = "USD"): Float! @external
          seen: Int! @requires(fields: "comments(limit: 1) { id }")
          estimate: Float! @requires(fields: "price")
          estimateEur: Float! @requires(fields: "price(currency: \\"EUR\\")")
          score: Score! @external
          rank: Int! @requires(fields: "score { value(scale: 10) }")
        }
        type Comment @shareable { id: ID! }
        type Score @external { value(scale: Int = 1): Int! }`,
      resolvers: {
        Post: {
          __resolveReference: (reference: Record<string, unknown>) => reference,
          seen: ({ comments }: { comments: unknown[] }) => comments.length,
          estimate: ({ price }: { price: number }) => price * 2,
          estimateEur: ({ price }: { price: number }) => price * 2,
          rank: ({ score }: { score: { value: number } }) => score.value,
        },
      },
    },
    {
      name: 'people',
      typeDefs: `${link('key', 'external', 'provides', 'shareable')}
        type Query { featured: Post! }
        type Post @key(fields: "id") { id: ID! author: Author! @provides(fields: "name") @shareable }
        type Author @key(fields: "id") { id: ID! name: String! @external }`,
      resolvers: {
        // The provided name comes with the post: no call to another subgraph for it.
        Query: { featured: () => ({ id: 'p2', author: { id: 'a2', name: 'Raj (provided)' } }) },
        Post: {
          __resolveReference: ({ id }: { id: string }) => {
            const author = posts.find((post) => post.id === id)?.author;
            return author && { id, author: { id: author.id, name: `${author.name} (provided)` } };
          },
        },
      },
    },
    {
      name: 'authors',
      typeDefs: `${link('key', 'shareable')}
        type Author @key(fields: "id") { id: ID! name: String! @shareable }`,
      resolvers: { Author: { __resolveReference: ({ id }: { id: string }) => posts.map((post) => post.author).find((author) => author.id === id) } },
    },
  ],
  operations: [
    {
      name: 'a client alias named like the field a @requires asks, beside the requiring field',
      query: '{ posts { price: id estimate } }',
      expected: {
        data: {
          posts: [
            { price: 'p1', estimate: 20 },
            { price: 'p2', estimate: 40 },
          ],
        },
      },
      apolloWrong: {
        why: "@apollo/query-planner 2.14 sends the client's `price: id` as the required price: the requiring subgraph fails on it",
        answer: {
          data: null,
          errors: [
            { path: ['posts', 0, 'estimate'], code: 'DOWNSTREAM_SERVICE_ERROR' },
            { path: ['posts', 1, 'estimate'], code: 'DOWNSTREAM_SERVICE_ERROR' },
          ],
        },
      },
    },
    {
      name: '@requires of a field with arguments: the required selection with them',
      query: '{ posts { id seen } }',
      expected: {
        data: {
          posts: [
            { id: 'p1', seen: 1 },
            { id: 'p2', seen: 1 },
          ],
        },
      },
    },
    {
      name: '@requires with arguments next to the same field asked without them',
      query: '{ posts { id comments { id } seen } }',
      expected: {
        data: {
          posts: [
            { id: 'p1', comments: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }], seen: 1 },
            { id: 'p2', comments: [{ id: 'c4' }], seen: 1 },
          ],
        },
      },
      apolloWrong: {
        why: '@apollo/query-planner fetches `comments` once, without the arguments of the @requires, so `seen` counts every comment',
        answer: {
          data: {
            posts: [
              { id: 'p1', comments: [{ id: 'c1' }, { id: 'c2' }, { id: 'c3' }], seen: 3 },
              { id: 'p2', comments: [{ id: 'c4' }], seen: 1 },
            ],
          },
        },
      },
    },
    {
      name: 'two @requires of one field with different arguments',
      query: '{ posts { estimate estimateEur } }',
      expected: {
        data: {
          posts: [
            { estimate: 20, estimateEur: 18 },
            { estimate: 40, estimateEur: 36 },
          ],
        },
      },
      apolloWrong: {
        why: '@apollo/query-planner merges price and price(currency: "EUR") into one fetch of the EUR price: estimate is computed from it too',
        answer: {
          data: {
            posts: [
              { estimate: 18, estimateEur: 18 },
              { estimate: 36, estimateEur: 36 },
            ],
          },
        },
      },
    },
    {
      name: '@requires of a nested field with arguments, the client asking it without them',
      query: '{ posts { score { value } rank } }',
      expected: {
        data: {
          posts: [
            { score: { value: 4 }, rank: 40 },
            { score: { value: 7 }, rank: 70 },
          ],
        },
      },
      apolloWrong: {
        why: "@apollo/query-planner fetches `score { value }` once, without the scale of the @requires: rank is computed from the client's value",
        answer: {
          data: {
            posts: [
              { score: { value: 4 }, rank: 4 },
              { score: { value: 7 }, rank: 7 },
            ],
          },
        },
      },
    },
    {
      name: '@requires of a field the client also asks',
      query: '{ posts { price estimate } }',
      expected: {
        data: {
          posts: [
            { price: 10, estimate: 20 },
            { price: 20, estimate: 40 },
          ],
        },
      },
    },
    {
      name: 'a field whose @requires the client also asks, excluded by a variable: the client still gets its fields',
      query: 'query($c: Boolean!) { featured { ... on Post { estimate @include(if: $c) ... on Post { rank price } } } }',
      variables: { c: false },
      expected: { data: { featured: { rank: 70, price: 20 } } },
    },
    {
      name: 'a field with @requires excluded by a variable, beside another from the same fetch',
      query: 'query($c: Boolean!) { featured { estimate @include(if: $c) rank } }',
      variables: { c: false },
      expected: { data: { featured: { rank: 70 } } },
      apolloWrong: {
        why: '@apollo/query-planner builds one representation for rank and estimate, with the price estimate requires fetched only under its @include: every entity is dropped',
        answer: { data: null },
      },
    },
    {
      name: 'fields with @requires excluded by literal conditions, beside others from the same fetch',
      query: '{ posts { seen rank estimate @skip(if: true) estimateEur @include(if: false) } }',
      expected: {
        data: {
          posts: [
            { seen: 1, rank: 40 },
            { seen: 1, rank: 70 },
          ],
        },
      },
      apolloWrong: {
        why: 'the same defect with literal conditions and other fields (found by the random check, seed 1): every entity is dropped',
        answer: { data: null },
      },
    },
    {
      name: 'a field whose @requires the client also asks, included by a variable',
      query: 'query($c: Boolean!) { featured { ... on Post { estimate @include(if: $c) ... on Post { rank price } } } }',
      variables: { c: true },
      expected: { data: { featured: { estimate: 40, rank: 70, price: 20 } } },
    },
    {
      name: 'a field whose @requires the client also asks, skipped by a variable',
      query: 'query($c: Boolean!) { featured { ... on Post { estimate @skip(if: $c) ... on Post { rank price } } } }',
      variables: { c: true },
      expected: { data: { featured: { rank: 70, price: 20 } } },
    },
    {
      name: 'a field whose @requires the client also asks, not skipped by a variable',
      query: 'query($c: Boolean!) { featured { ... on Post { estimate @skip(if: $c) ... on Post { rank price } } } }',
      variables: { c: false },
      expected: { data: { featured: { estimate: 40, rank: 70, price: 20 } } },
    },
    {
      name: 'the client asks the required field outside the fragment of a field excluded by a variable',
      query: 'query($c: Boolean!) { featured { price ... on Post { estimate @include(if: $c) } } }',
      variables: { c: false },
      expected: { data: { featured: { price: 20 } } },
    },
    {
      name: 'the client asks the required field outside the fragment of a field included by a variable',
      query: 'query($c: Boolean!) { featured { price ... on Post { estimate @include(if: $c) } } }',
      variables: { c: true },
      expected: { data: { featured: { price: 20, estimate: 40 } } },
    },
    {
      name: 'a skipped field with @requires beside another: the other still gets its own requirement',
      query: '{ featured { ... on Post @skip(if: true) { seen } estimateEur } }',
      expected: { data: { featured: { estimateEur: 36 } } },
    },
    {
      name: 'a field under a variable @skip whose selections literal conditions all remove, not skipped: {}',
      query: 'query($c: Boolean!) { featured @skip(if: $c) { ...PostId @include(if: false) } } fragment PostId on Post { id }',
      variables: { c: false },
      expected: { data: { featured: {} } },
      apolloWrong: {
        why: '@apollo/query-planner 2.14 plans no fetch for it, and the executor finds no value for the non-null featured',
        answer: { data: null },
      },
    },
    {
      name: 'a field under a variable @skip whose selections literal conditions all remove, skipped',
      query: 'query($c: Boolean!) { featured @skip(if: $c) { ...PostId @include(if: false) } } fragment PostId on Post { id }',
      variables: { c: true },
      expected: { data: {} },
    },
    {
      name: 'a field under a variable @include whose fragment a literal condition empties, included: {}',
      query: 'query($c: Boolean!) { posts @include(if: $c) { ... on Post { id @skip(if: true) } } }',
      variables: { c: true },
      expected: { data: { posts: [{}, {}] } },
      apolloWrong: {
        why: '@apollo/query-planner 2.14 plans no fetch for it, and the executor finds no value for the non-null posts',
        answer: { data: null },
      },
    },
    {
      name: '@provides: the provided field comes from the providing subgraph',
      query: '{ featured { id author { id name } } }',
      expected: { data: { featured: { id: 'p2', author: { id: 'a2', name: 'Raj (provided)' } } } },
    },
    {
      name: '@external field reached through its owner elsewhere',
      query: '{ posts { author { name } } }',
      expected: { data: { posts: [{ author: { name: 'Ann' } }, { author: { name: 'Raj' } }] } },
    },
  ],
};
