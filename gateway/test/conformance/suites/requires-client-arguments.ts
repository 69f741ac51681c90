/**
 * A client asking, with its own arguments, a field that a @requires asks
 * with others (`tracks(first: 1)` while `headliner` requires
 * `tracks(first: 3) { artist }`): the client gets what its arguments ask,
 * the requiring field what the @requires names.
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const playlists = [
  { id: 'p1', tracks: ['t1', 't2', 't3', 't4'], seconds: 600 },
  { id: 'p2', tracks: ['t5', 't6', 't7'], seconds: 120 },
];
const artists: Record<string, string> = { t1: 'Nina', t2: 'Miles', t3: 'Ella', t4: 'Bill', t5: 'Chet', t6: 'Sarah', t7: 'Dizzy' };

const why = '@apollo/query-planner merges the client field with the required one by response name and keeps the @requires arguments';

export const requiresClientArgumentsSuite: ConformanceSuite = {
  name: 'a field asked by the client with other arguments than a @requires asks it',
  subgraphs: [
    {
      name: 'library',
      typeDefs: `${link('key')}
        type Query { playlists: [Playlist!]! }
        type Playlist @key(fields: "id") { id: ID! length(unit: String!): Int! }
        type Track @key(fields: "id") { id: ID! artist: String! lyrics: String }`,
      resolvers: {
        Query: { playlists: () => playlists.map(({ id }) => ({ id })) },
        Playlist: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          length: ({ id }: { id: string }, { unit }: { unit: string }) => {
            const seconds = playlists.find((playlist) => playlist.id === id)!.seconds;
            return unit === 'min' ? seconds / 60 : seconds;
          },
        },
        Track: {
          __resolveReference: ({ id }: { id: string }) => ({ id, artist: artists[id] }),
          lyrics: ({ id }: { id: string }) => {
            if (id === 't1') throw new Error('lyrics withheld');
            return `la ${id}`;
          },
        },
      },
    },
    {
      name: 'charts',
      typeDefs: `${link('key', 'external', 'requires')}
        type Playlist @key(fields: "id") {
          id: ID!
          tracks(first: Int!): [Track!]!
          headliner: String! @requires(fields: "tracks(first: 3) { artist }")
          length(unit: String!): Int! @external
          summary: String! @requires(fields: "length(unit: \\"s\\")")
        }
        type Track @key(fields: "id") { id: ID! artist: String! @external }`,
      resolvers: {
        Playlist: {
          __resolveReference: (reference: Record<string, unknown>) => reference,
          tracks: ({ id }: { id: string }, { first }: { first: number }) =>
            playlists
              .find((playlist) => playlist.id === id)!
              .tracks.slice(0, first)
              .map((track) => ({ id: track })),
          // Exactly the three tracks the @requires names: any other count means the client's arguments were used.
          headliner: ({ tracks }: { tracks: { artist: string }[] }) => {
            if (tracks.length !== 3) throw new Error(`wrong requirement: ${tracks.length} tracks`);
            return tracks[2]!.artist;
          },
          summary: ({ length }: { length: number }) => `${length} s`,
        },
      },
    },
  ],
  operations: [
    {
      name: 'a field with @requires skipped by a literal condition, asked elsewhere too, beside another field of its fetch',
      query: 'query($c: Boolean = false) { a2: playlists { summary } playlists @skip(if: $c) { summary @skip(if: true) tracks(first: 2) { id artist } } }',
      expected: {
        data: {
          a2: [{ summary: '600 s' }, { summary: '120 s' }],
          playlists: [
            {
              tracks: [
                { id: 't1', artist: 'Nina' },
                { id: 't2', artist: 'Miles' },
              ],
            },
            {
              tracks: [
                { id: 't5', artist: 'Chet' },
                { id: 't6', artist: 'Sarah' },
              ],
            },
          ],
        },
      },
      apolloWrong: {
        why: '@apollo/query-planner fetches the requirement (length) only under the literal @skip, and asks summary in the entity fetch without it: every entity is dropped (found by the random check, seed 1)',
        answer: { data: null },
      },
    },
    {
      name: 'a field with @requires excluded by a condition beside the requiring field of another @requires',
      query: '{ playlists { headliner summary @include(if: false) } }',
      expected: { data: { playlists: [{ headliner: 'Ella' }, { headliner: 'Dizzy' }] } },
      apolloWrong: {
        why: '@apollo/query-planner builds one representation for both, with the length summary requires fetched only under its @include: every entity is dropped (found by the random check, seeds 1 and 2)',
        answer: { data: null },
      },
    },
    {
      name: 'the requiring field alone',
      query: '{ playlists { headliner } }',
      expected: { data: { playlists: [{ headliner: 'Ella' }, { headliner: 'Dizzy' }] } },
    },
    {
      name: 'the client asks the required field with other literal arguments',
      query: '{ playlists { headliner tracks(first: 1) { id } } }',
      expected: {
        data: {
          playlists: [
            { headliner: 'Ella', tracks: [{ id: 't1' }] },
            { headliner: 'Dizzy', tracks: [{ id: 't5' }] },
          ],
        },
      },
      apolloWrong: {
        why,
        answer: {
          data: {
            playlists: [
              { headliner: 'Ella', tracks: [{ id: 't1' }, { id: 't2' }, { id: 't3' }] },
              { headliner: 'Dizzy', tracks: [{ id: 't5' }, { id: 't6' }, { id: 't7' }] },
            ],
          },
        },
      },
    },
    {
      name: 'the client asks it by a variable, in two fragments, before the requiring field',
      query: `query ($first: Int!) { playlists { ...A id ...B headliner } }
        fragment A on Playlist { tracks(first: $first) { id } }
        fragment B on Playlist { tracks(first: $first) { artist } }`,
      variables: { first: 2 },
      expected: {
        data: {
          playlists: [
            {
              tracks: [
                { id: 't1', artist: 'Nina' },
                { id: 't2', artist: 'Miles' },
              ],
              id: 'p1',
              headliner: 'Ella',
            },
            {
              tracks: [
                { id: 't5', artist: 'Chet' },
                { id: 't6', artist: 'Sarah' },
              ],
              id: 'p2',
              headliner: 'Dizzy',
            },
          ],
        },
      },
      apolloWrong: {
        why,
        answer: {
          data: {
            playlists: [
              { tracks: ['t1', 't2', 't3'].map((id) => ({ id, artist: artists[id] })), id: 'p1', headliner: 'Ella' },
              { tracks: ['t5', 't6', 't7'].map((id) => ({ id, artist: artists[id] })), id: 'p2', headliner: 'Dizzy' },
            ],
          },
        },
      },
    },
    {
      name: 'the client asks a required leaf with other arguments',
      query: '{ playlists { summary length(unit: "min") } }',
      expected: {
        data: {
          playlists: [
            { summary: '600 s', length: 10 },
            { summary: '120 s', length: 2 },
          ],
        },
      },
      apolloWrong: {
        why,
        answer: {
          data: {
            playlists: [
              { summary: '600 s', length: 600 },
              { summary: '120 s', length: 120 },
            ],
          },
        },
      },
    },
    {
      name: 'an error inside the client field: its path names the client field, not our alias',
      query: '{ playlists { headliner tracks(first: 1) { id lyrics } } }',
      expected: {
        data: {
          playlists: [
            { headliner: 'Ella', tracks: [{ id: 't1', lyrics: null }] },
            { headliner: 'Dizzy', tracks: [{ id: 't5', lyrics: 'la t5' }] },
          ],
        },
        errors: [{ path: ['playlists', 0, 'tracks', 0, 'lyrics'] }],
      },
      apolloWrong: {
        why,
        answer: {
          data: {
            playlists: [
              {
                headliner: 'Ella',
                tracks: [
                  { id: 't1', lyrics: null },
                  { id: 't2', lyrics: 'la t2' },
                  { id: 't3', lyrics: 'la t3' },
                ],
              },
              { headliner: 'Dizzy', tracks: ['t5', 't6', 't7'].map((id) => ({ id, lyrics: `la ${id}` })) },
            ],
          },
          errors: [{ path: ['playlists', 0, 'tracks', 0, 'lyrics'] }],
        },
      },
    },
    {
      name: 'the client asks the required arguments themselves, or under an alias',
      query: '{ playlists { headliner tracks(first: 3) { id } few: tracks(first: 1) { id } } }',
      expected: {
        data: {
          playlists: [
            { headliner: 'Ella', tracks: [{ id: 't1' }, { id: 't2' }, { id: 't3' }], few: [{ id: 't1' }] },
            { headliner: 'Dizzy', tracks: [{ id: 't5' }, { id: 't6' }, { id: 't7' }], few: [{ id: 't5' }] },
          ],
        },
      },
    },
  ],
};
