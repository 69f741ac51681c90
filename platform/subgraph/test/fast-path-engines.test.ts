/**
 * The fast path's two engines (platform/subgraph/fast-path.ts): graphql-jit's
 * compiled queries give the answers graphql-js gives, byte for byte, status
 * and headers too, but for the order of the errors (see comparable), over a federated schema built as the subgraphs build
 * theirs: entities through __resolveReference (found, missing, refused with
 * an HTTP status, asynchronous), abstract types, errors with their paths,
 * nulls bubbling up to the nearest nullable field, the shared scalars and a
 * scalar that cannot serialize, @skip, aliases, a mutation.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, type GraphQLFormattedError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars.js';
import { createFastPath, type FastAnswer } from '../fast-path.js';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  scalar DateTime
  scalar JSON
  type Query {
    courses: [Course!]!
    strictCourses: [Course!]!
    search: [SearchResult!]!
    node(id: ID!): Node
    failing: String!
    meta: JSON
  }
  type Mutation { rename(id: ID!, name: String!): Course }
  interface Node { id: ID! }
  union SearchResult = Course | Room
  type Course implements Node @key(fields: "id") {
    id: ID!
    name: String!
    start: DateTime
    badStart: DateTime
    tags: [String!]
    mustFail: String!
    mayFail: String
    note: String
    code: String!
    rooms: [Room!]!
  }
  type Room implements Node @key(fields: "id") { id: ID! title: String }
`);

const course = (id: string) => ({
  id,
  name: id === 'nullname' ? null : `Course ${id}`,
  start: new Date(Date.UTC(2026, 11, 5, 10, Number(id.length))),
  tags: ['a', id],
  // Leaves with no resolver holding an Error: checked inline by the compiled query (patches/graphql-jit+0.8.9.patch).
  note: id === 'c1' ? new Error(`no note for ${id}`) : null,
  code: id === 'c2' ? new Error(`no code for ${id}`) : `code-${id}`,
  rooms: [{ id: `r-${id}`, title: null }],
});
const resolvers = {
  Query: {
    courses: () => ['c1', 'c2'].map(course),
    strictCourses: () => [course('c1'), null],
    search: () => [
      { __typename: 'Course', ...course('c3') },
      { __typename: 'Room', id: 'r9', title: 'Room 9' },
    ],
    node: (_: unknown, { id }: { id: string }) => (id.startsWith('r') ? { __typename: 'Room', id, title: 'R' } : { __typename: 'Course', ...course(id) }),
    failing: () => {
      throw new Error('root failed');
    },
    meta: () => ({ nested: [1, 'two', null, { three: true }] }),
  },
  Mutation: { rename: async (_: unknown, { id, name }: { id: string; name: string }) => ({ ...course(id), name }) },
  Node: { __resolveType: (value: { __typename: string }) => value.__typename },
  SearchResult: { __resolveType: (value: { __typename: string }) => value.__typename },
  Course: {
    __resolveReference: ({ id }: { id: string }) => {
      if (id === 'missing') return null;
      if (id === 'refused') throw new GraphQLError('No such course', { extensions: { code: 'NOT_FOUND', http: { status: 404 } } });
      if (id === 'later') return Promise.resolve(course(id));
      return course(id);
    },
    badStart: () => new Date(Number.NaN),
    mustFail: ({ id }: { id: string }) => {
      if (id === 'c2' || id === 'later') throw new Error(`mustFail ${id}`);
      return 'fine';
    },
    mayFail: async ({ id }: { id: string }) => {
      if (id === 'c1') throw new GraphQLError('may fail', { extensions: { code: 'FORBIDDEN', detail: 1 } });
      return null;
    },
  },
  Room: { __resolveReference: ({ id }: { id: string }) => ({ id, title: `Room ${id}` }) },
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
};
const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
const options = { service: 'test', schema, formatError: (formatted: GraphQLFormattedError) => formatted, includeStacktrace: false, accountedFor: [] };
const engines = { jit: createFastPath({ ...options, engine: 'jit' }), js: createFastPath({ ...options, engine: 'graphql-js' }) };

/**
 * The answer with its errors in a fixed order: graphql-jit lists the errors of nulls that bubbled up after the
 * others, graphql-js in the order they happened (no spec orders them); everything else must be identical.
 */
function comparable(answer: FastAnswer | undefined) {
  if (!answer) return answer;
  const { errors, ...rest } = JSON.parse(answer.body) as { errors?: unknown[] };
  return { ...answer, body: JSON.stringify(rest), errors: errors?.map((error) => JSON.stringify(error)).sort() };
}

async function both(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const request = { document: parse(query), variables, operationName, contentType: 'application/json; charset=utf-8' };
  const [jit, js] = [await engines.jit.execute(request, {}), await engines.js.execute(request, {})];
  expect(comparable(jit)).toEqual(comparable(js));
  // Twice: the second answer comes from the compiled query kept for the text.
  expect(comparable(await engines.jit.execute(request, {}))).toEqual(comparable(js));
  return js && { ...js, body: JSON.parse(js.body), jitBody: jit!.body };
}

const representations = ['c1', 'missing', 'later', 'nullname', 'c2'].map((id) => ({ __typename: 'Course', id }));

describe('subgraph fast path engines', () => {
  it('answer entity fetches alike: found, missing, refused, later, and a null bubbling to the entity', async () => {
    const found = await both(
      'query E($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Course { id name start tags rooms { id title } } ... on Room { id title } } }',
      {
        r: [...representations, { __typename: 'Room', id: 'r1' }],
      },
    );
    expect(found!.status).toBe(200);
    expect(found!.body.data._entities).toHaveLength(6);
    expect(found!.body.errors.map((error: { path: unknown[] }) => error.path)).toEqual([['_entities', 3, 'name']]);
    // A reference that throws fails the whole field (@apollo/subgraph awaits them all), and _entities is non-null.
    const refused = await both('query E($r: [_Any!]!) { _entities(representations: $r) { ... on Course { id } } }', {
      r: [...representations, { __typename: 'Course', id: 'refused' }],
    });
    expect(refused).toMatchObject({ status: 404, body: { data: null, errors: [{ path: ['_entities'], extensions: { code: 'NOT_FOUND' } }] } });
  });

  it('answer errors of fields alike, with their paths, codes and the non-null bubbling', async () => {
    const answer = await both('query E($r: [_Any!]!) { _entities(representations: $r) { ... on Course { id mustFail mayFail } } }', { r: representations });
    expect(answer!.body.errors.map((error: { path: unknown[] }) => error.path)).toEqual([
      ['_entities', 2, 'mustFail'],
      ['_entities', 4, 'mustFail'],
      ['_entities', 0, 'mayFail'],
    ]);
    // The one difference: the bubbling nulls' errors last.
    expect(JSON.parse(answer!.jitBody).errors.map((error: { path: unknown[] }) => error.path[1])).toEqual([0, 2, 4]);
  });

  it('answer abstract types, a root non-null failing, a list of non-null with a null, and a scalar that cannot serialize alike', async () => {
    await both(
      '{ search { __typename ... on Course { id name } ... on Room { title } } node(id: "c7") { id ... on Course { name } ... on Room { title } } room: node(id: "r2") { __typename id } }',
    );
    expect(await both('{ failing }')).toMatchObject({ body: { data: null } });
    expect(await both('{ strictCourses { id name } }')).toMatchObject({ body: { data: null } });
    expect((await both('{ courses { id badStart start } }'))!.body.errors[0].path).toEqual(['courses', 0, 'badStart']);
    const errorLeaves = await both('{ courses { id note } search { ... on Course { code } } }');
    expect(errorLeaves!.body.errors.map((error: { message: string }) => error.message)).toEqual(['no note for c1']);
    expect((await both('{ courses { code } }'))!.body).toMatchObject({ data: null, errors: [{ message: 'no code for c2', path: ['courses', 1, 'code'] }] });
  });

  it('answer @skip, aliases, fragments, JSON, a mutation and __typename alike', async () => {
    for (const skip of [true, false]) {
      await both('query S($skip: Boolean!) { courses { ...C name @skip(if: $skip) alias: name __typename } meta } fragment C on Course { id tags }', { skip });
    }
    await both('mutation R($id: ID!, $name: String!) { rename(id: $id, name: $name) { id name } }', { id: 'c5', name: 'New' });
    await both('query A { courses { id } } query B { meta }', undefined, 'B');
  });

  it('leave variables that do not coerce, or an unknown operation name, to Apollo Server alike', async () => {
    expect(await both('query S($skip: Boolean!) { courses { id @skip(if: $skip) } }', { skip: 'no' })).toBeUndefined();
    expect(await both('query A { courses { id } }', undefined, 'Nope')).toBeUndefined();
  });
});
