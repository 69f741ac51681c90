/**
 * Entity fetches the plan sends apart that our executor sends as one
 * request (gateway/execution/merge-entity-fetches.ts): the same user lookup
 * at the end of two parallel branches (documents' uploaders, classes'
 * hosts), entities failing in either part, a part with no entities, and
 * lookups of different selections (not merged). And lookups of one subgraph
 * about entities of different types (a course's events, each lesson's room)
 * at the end of two branches, sent as one operation holding both fragments
 * (gateway/execution/merged-entity-operation.ts). Answers must be Apollo's.
 */
import { GraphQLError } from 'graphql';
import { link, type ConformanceSuite } from '../support/conformance-case.js';
import type { SubgraphDefinition } from '../support/subgraph-server.js';

const names: Record<string, string> = { u1: 'Ada', u2: 'Bo', u3: 'Cy' };
const course = (id: string) => ({ id });

/** A subgraph adding to Course a list of items, each naming a user that only `people` resolves. */
const courseItemsNamingUsers = (name: string, list: { field: string; type: string; user: string }, items: (courseId: string) => unknown[]): SubgraphDefinition => ({
  name,
  typeDefs: `${link('key')}
        type Course @key(fields: "id") { id: ID! ${list.field}: [${list.type}!]! }
        type ${list.type} { id: ID! ${list.user}: User }
        type User @key(fields: "id", resolvable: false) { id: ID! }`,
  resolvers: { Course: { __resolveReference: ({ id }: { id: string }) => course(id), [list.field]: ({ id }: { id: string }) => items(id) } },
});

export const mergedFetchesSuite: ConformanceSuite = {
  name: 'entity fetches of parallel branches merged into one request',
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `${link('key')}
        type Query { course(id: ID!): Course courses: [Course!]! }
        type Course @key(fields: "id") { id: ID! title: String! }`,
      resolvers: {
        Query: { course: (_: unknown, { id }: { id: string }) => course(id), courses: () => [course('c1'), course('c2'), course('empty')] },
        Course: { __resolveReference: ({ id }: { id: string }) => course(id), title: ({ id }: { id: string }) => `Course ${id}` },
      },
    },
    courseItemsNamingUsers('files', { field: 'documents', type: 'Document', user: 'uploadedBy' }, (id) =>
      id === 'empty'
        ? []
        : [
            { id: `${id}-d1`, uploadedBy: { id: 'u1' } },
            { id: `${id}-d2`, uploadedBy: { id: 'broken' } },
          ],
    ),
    courseItemsNamingUsers('classes', { field: 'classes', type: 'Class', user: 'host' }, (id) => [
      { id: `${id}-k1`, host: { id: 'u2' } },
      { id: `${id}-k2`, host: { id: 'u1' } },
      { id: `${id}-k3`, host: { id: 'u9' } },
    ]),
    {
      name: 'lessons',
      typeDefs: `${link('key')}
        type Course @key(fields: "id") { id: ID! lessons: [Lesson!]! }
        type Lesson @key(fields: "id") { id: ID! }`,
      resolvers: {
        Course: { __resolveReference: ({ id }: { id: string }) => course(id), lessons: ({ id }: { id: string }) => [{ id: `${id}-l1` }, { id: `${id}-l2` }, { id: 'l-broken' }] },
        Lesson: { __resolveReference: ({ id }: { id: string }) => ({ id }) },
      },
    },
    {
      name: 'schedule',
      typeDefs: `${link('key')}
        type Course @key(fields: "id") { id: ID! events(first: Int): [String!]! }
        type Lesson @key(fields: "id") { id: ID! room: String }`,
      resolvers: {
        Course: {
          __resolveReference: ({ id }: { id: string }) => course(id),
          events: ({ id }: { id: string }, { first }: { first?: number }) => [`${id} opens`, `${id} closes`].slice(0, first ?? 2),
        },
        Lesson: {
          __resolveReference: async ({ id }: { id: string }) => ({ id }),
          room: ({ id }: { id: string }) => {
            if (id === 'l-broken') throw new GraphQLError('no room for it', { extensions: { code: 'UNAVAILABLE' } });
            return `room of ${id}`;
          },
        },
      },
    },
    {
      name: 'people',
      typeDefs: `${link('key')}
        type User @key(fields: "id") { id: ID! name: String! email: String }`,
      resolvers: {
        User: {
          // Async, so that a failing user fails alone (a synchronous throw fails the whole `_entities`).
          __resolveReference: async ({ id }: { id: string }) => {
            if (id === 'broken') throw new GraphQLError('directory unavailable', { extensions: { code: 'UNAVAILABLE' } });
            return names[id] ? { id } : null;
          },
          name: ({ id }: { id: string }) => names[id],
          email: ({ id }: { id: string }) => `${id}@x.test`,
        },
      },
    },
  ],
  operations: [
    {
      name: 'users behind two branches in one request, an unknown one null, a failing one of the second part with its error at its own path',
      query: '{ course(id: "c1") { id documents { id uploadedBy { id name } } classes { id host { id name } } } }',
      expected: {
        data: {
          course: {
            id: 'c1',
            documents: [
              { id: 'c1-d1', uploadedBy: { id: 'u1', name: 'Ada' } },
              { id: 'c1-d2', uploadedBy: null },
            ],
            classes: [
              { id: 'c1-k1', host: { id: 'u2', name: 'Bo' } },
              { id: 'c1-k2', host: { id: 'u1', name: 'Ada' } },
              { id: 'c1-k3', host: null },
            ],
          },
        },
        errors: [{ path: ['course', 'documents', 1, 'uploadedBy'], code: 'UNAVAILABLE' }],
      },
    },
    {
      name: 'over a list of courses, one of them without documents, the root fields of the catalog beside',
      query: '{ courses { id title documents { uploadedBy { name } } classes { host { name } } } }',
      expected: {
        data: {
          courses: ['c1', 'c2', 'empty'].map((id) => ({
            id,
            title: `Course ${id}`,
            documents: id === 'empty' ? [] : [{ uploadedBy: { name: 'Ada' } }, { uploadedBy: null }],
            classes: [{ host: { name: 'Bo' } }, { host: { name: 'Ada' } }, { host: null }],
          })),
        },
        errors: ['c1', 'c2'].map((_, index) => ({ path: ['courses', index, 'documents', 1, 'uploadedBy'], code: 'UNAVAILABLE' })),
      },
    },
    {
      name: 'different selections of one entity type stay two requests, each answered',
      query: '{ course(id: "c2") { documents { uploadedBy { name } } classes { host { email } } } }',
      expected: {
        data: {
          course: {
            documents: [{ uploadedBy: { name: 'Ada' } }, { uploadedBy: null }],
            classes: [{ host: { email: 'u2@x.test' } }, { host: { email: 'u1@x.test' } }, { host: { email: null } }],
          },
        },
        errors: [{ path: ['course', 'documents', 1, 'uploadedBy'], code: 'UNAVAILABLE' }],
      },
    },
    {
      name: "lookups of one subgraph about different entity types, one operation, a failing lesson's error at its own path",
      query: 'query Timetable($first: Int) { course(id: "c1") { id events(first: $first) lessons { id room } } }',
      variables: { first: 1 },
      expected: {
        data: {
          course: {
            id: 'c1',
            events: ['c1 opens'],
            lessons: [
              { id: 'c1-l1', room: 'room of c1-l1' },
              { id: 'c1-l2', room: 'room of c1-l2' },
              { id: 'l-broken', room: null },
            ],
          },
        },
        errors: [{ path: ['course', 'lessons', 2, 'room'], code: 'UNAVAILABLE' }],
      },
    },
    {
      name: 'an entity whose fields a condition excludes, beside the same field skipped literally: no fetch, so no error',
      query: 'query($c: Boolean = false) { course(id: "c1") { documents { a2: uploadedBy @skip(if: true) { name } a2: uploadedBy { name @include(if: $c) } } } }',
      expected: { data: { course: { documents: [{ a2: {} }, { a2: {} }] } } },
      apolloWrong: {
        why: "@apollo/query-planner loses the @include of the entity fetch when a literally skipped twin is beside it: the failing user's subgraph is asked, and its error given for nothing asked (random check, default seed)",
        answer: { data: { course: { documents: [{ a2: {} }, { a2: {} }] } }, errors: [{ path: ['course', 'documents', 1, 'a2'], code: 'UNAVAILABLE' }] },
      },
    },
    {
      name: 'a field skipped literally beside its twin under a variable condition: the error only at the field asked',
      query: 'query($c: Boolean = false) { course(id: "c1") @skip(if: $c) { lessons { a12: room @skip(if: true) room } } }',
      expected: {
        data: { course: { lessons: [{ room: 'room of c1-l1' }, { room: 'room of c1-l2' }, { room: null }] } },
        errors: [{ path: ['course', 'lessons', 2, 'room'], code: 'UNAVAILABLE' }],
      },
      apolloWrong: {
        why: '@apollo/gateway also gives the error at the literally skipped a12, a path the answer does not have (random check, seeds 1 and 3)',
        answer: {
          data: { course: { lessons: [{ room: 'room of c1-l1' }, { room: 'room of c1-l2' }, { room: null }] } },
          errors: [
            { path: ['course', 'lessons', 2, 'a12'], code: 'UNAVAILABLE' },
            { path: ['course', 'lessons', 2, 'room'], code: 'UNAVAILABLE' },
          ],
        },
      },
    },
  ],
};
