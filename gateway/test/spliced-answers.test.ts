/**
 * Answers holding subgraph text (execution/entity-answer-reader.ts,
 * raw-json.ts): for every operation and every subgraph answer here, the
 * client's bytes are the same whether the executor keeps the lists it may
 * as text or parses every answer whole: aliases, __typename, @include and
 * @skip, abstract types, nulls where allowed and where not, invalid leaves,
 * subgraph errors, and answers not in JSON.stringify's form (whitespace,
 * escapes, numbers written otherwise, keys in another order) that must be
 * parsed instead. Where the text qualifies, the test also sees that it was
 * kept (so that it cannot pass with the splice never taken).
 */
import { composeServices } from '@apollo/composition';
import { describe, expect, it } from 'vitest';
import { answerChunks } from '../answer-chunks.js';
import type { AnswerReader } from '../execution/execute-plan.js';
import { PlanExecutor, type PreparedOperation } from '../execution/plan-executor.js';
import { apolloPlanner } from '../planning/apollo-planner.js';
import { loadSupergraph } from '../supergraph/load-supergraph.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { parse } = graphqlRuntime;

const CATALOG = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { products: [Product!]! items: [Item!]! }
interface Item { id: ID! }
type Product implements Item @key(fields: "id") { id: ID! name: String! }
type Seller implements Item @key(fields: "id") { id: ID! name: String! }
`;
const REVIEWS = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "id") { id: ID! reviews: [Review!]! maybe: [Review] }
type Seller @key(fields: "id") { id: ID! reviews: [Review!]! }
type Review { id: ID! body: String stars: Int! score: Float kind: Kind }
enum Kind { GOOD BAD }
`;

const composed = composeServices([
  { name: 'catalog', url: 'http://catalog.invalid/graphql', typeDefs: parse(CATALOG) },
  { name: 'reviews', url: 'http://reviews.invalid/graphql', typeDefs: parse(REVIEWS) },
]);
if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
const supergraph = loadSupergraph(composed.supergraphSdl!);

/** What the catalog answers (its root fields), and what the reviews subgraph answers for its entities. */
interface Answers {
  catalog: string;
  /** The `_entities` answer's text for the representations asked. */
  reviews: (representations: { __typename: string; id: string }[]) => string;
}

let answers: Answers;

function executor(splice: boolean) {
  return new PlanExecutor({
    planner: apolloPlanner(supergraph),
    supergraphSchema: supergraph.supergraphGraphQLSchema,
    send: async (fetch, variables, _context, read?: AnswerReader) => {
      const text = fetch.serviceName === 'catalog' ? answers.catalog : answers.reviews(variables.representations as never);
      // As subgraph-data-source.ts: the reader first, JSON.parse when it declines.
      return (splice && read ? read(text) : undefined) ?? JSON.parse(text);
    },
  });
}
const spliced = executor(true);
const parsed = executor(false);

async function bytes(on: PlanExecutor, query: string, variables: Record<string, unknown>, splice: boolean) {
  const prepared = on.prepareOutside(query, undefined, supergraph.apiGraphQLSchema, graphqlRuntime.specifiedRules) as PreparedOperation;
  if (!('plan' in prepared)) throw new Error(JSON.stringify(prepared));
  const result = await on.run(prepared, variables, undefined, splice);
  const text = answerChunks({ errors: result.errors, data: result.data, extensions: result.extensions }, result.spliced).join('');
  return { text, kept: result.spliced !== undefined };
}

/** The client's bytes both ways, checked equal (and equal to JSON.stringify of the parsed path's answer). */
async function same(query: string, variables: Record<string, unknown> = {}) {
  const { text, kept } = await bytes(spliced, query, variables, true);
  const expected = await bytes(parsed, query, variables, false);
  expect(expected.kept).toBe(false);
  expect(text).toBe(expected.text);
  return { text, kept, answer: JSON.parse(text) as { data?: unknown; errors?: unknown[] } };
}

const PRODUCTS = '{"data":{"products":[{"__typename":"Product","id":"p1","name":"Lamp"},{"__typename":"Product","id":"p2","name":"Desk"}]}}';
const review = (id: string, extra = '') => `{"id":"${id}","body":"good ${id}","stars":4${extra}}`;
/** Each entity's answer from `entity(id)`, as the subgraph writes it. */
const entities =
  (entity: (id: string) => string, tail = '\n') =>
  (representations: { id: string }[]) =>
    `{"data":{"_entities":[${representations.map((representation) => entity(representation.id)).join(',')}]}}${tail}`;

const LIST = '{ products { id name reviews { id body stars } } }';

describe('answers holding subgraph text', () => {
  it('keeps lists in their answer form as text, the answer unchanged', async () => {
    answers = { catalog: PRODUCTS, reviews: entities((id) => `{"reviews":[${review(`${id}-a`)},${review(`${id}-b`)}]}`) };
    const result = await same(LIST);
    expect(result.kept).toBe(true);
    expect(result.answer).toEqual({
      data: {
        products: [
          {
            id: 'p1',
            name: 'Lamp',
            reviews: [
              { id: 'p1-a', body: 'good p1-a', stars: 4 },
              { id: 'p1-b', body: 'good p1-b', stars: 4 },
            ],
          },
          {
            id: 'p2',
            name: 'Desk',
            reviews: [
              { id: 'p2-a', body: 'good p2-a', stars: 4 },
              { id: 'p2-b', body: 'good p2-b', stars: 4 },
            ],
          },
        ],
      },
    });
    // Empty lists, and an answer without the trailing newline.
    answers.reviews = entities(() => '{"reviews":[]}', '');
    expect((await same(LIST)).kept).toBe(true);
  });

  it('answers aliases, __typename, enums, floats and nulls where allowed from text', async () => {
    answers = {
      catalog: PRODUCTS,
      reviews: entities(
        (id) =>
          `{"r":[{"__typename":"Review","n":"${id}","body":null,"score":2.5,"kind":"GOOD"},{"__typename":"Review","n":"x","body":"b","score":-1e-7,"kind":null}],"maybe":[null]}`,
      ),
    };
    const result = await same('{ products { id r: reviews { __typename n: id body score kind } maybe { id } } }');
    expect(result.kept).toBe(true);
  });

  it('parses what is not in its answer form, and shapes it as before', async () => {
    answers = { catalog: PRODUCTS, reviews: () => '' };
    const cases: [string, (id: string) => string][] = [
      ['keys in another order', (id) => `{"reviews":[{"stars":4,"id":"${id}","body":"b"}]}`],
      ['a key not asked', (id) => `{"reviews":[${review(id, ',"extra":1')}]}`],
      ['a key missing', (id) => `{"reviews":[{"id":"${id}","body":"b"}]}`],
      ['a null item of a non-null list', () => '{"reviews":[null]}'],
      ['a null where the type forbids it', (id) => `{"reviews":[{"id":"${id}","body":"b","stars":null}]}`],
      ['an invalid leaf', (id) => `{"reviews":[{"id":"${id}","body":"b","stars":"four"}]}`],
      ['a float for an Int', (id) => `{"reviews":[{"id":"${id}","body":"b","stars":4.5}]}`],
      ['a number written otherwise', (id) => `{"reviews":[{"id":"${id}","body":"b","stars":4.0}]}`],
      ['an exponent for an integer', (id) => `{"reviews":[{"id":"${id}","body":"b","stars":1e2}]}`],
      ['an escaped quote', (id) => `{"reviews":[{"id":"${id}","body":"say \\"hi\\"","stars":4}]}`],
      ['an escape JSON.stringify does not write', (id) => `{"reviews":[{"id":"${id}","body":"caf\\u00e9 \\/","stars":4}]}`],
      ['whitespace', (id) => `{"reviews": [ {"id":"${id}", "body":"b","stars":4} ]}`],
      ['a list not a list', () => '{"reviews":{"id":"x"}}'],
      ['a null list', () => '{"reviews":null}'],
      ['a duplicate key', (id) => `{"reviews":[],"reviews":[${review(id)}]}`],
      ['an object for a leaf', (id) => `{"reviews":[{"id":"${id}","body":{"a":1},"stars":4}]}`],
      ['a __proto__ key', (id) => `{"__proto__":{"x":1},"reviews":[${review(id)}]}`],
    ];
    for (const [name, entity] of cases) {
      answers.reviews = entities(entity);
      const result = await same(LIST);
      // A duplicate key: JSON.parse keeps the last value, which is in its form here.
      expect(result.kept, name).toBe(name === 'a duplicate key');
    }
  });

  it('parses an answer with errors, extensions or invalid JSON as before', async () => {
    answers = { catalog: PRODUCTS, reviews: () => '' };
    const texts = [
      `{"data":{"_entities":[{"reviews":[${review('a')}]},null]},"errors":[{"message":"p2 failed","path":["_entities",1]}]}`,
      `{"errors":[{"message":"down"}],"data":{"_entities":[null,null]}}`,
      `{"data":{"_entities":[{"reviews":[${review('a')}]},{"reviews":[]}]},"extensions":{"x":1}}`,
      `{"data":{"_entities":[{"reviews":[${review('a')}]},{"reviews":[]}]}`,
      `{"data":{"_entities":[{"reviews":[${review('a')}]}]}}`,
      `{"data":{"_entities":[{"reviews":[{"id":"a","body":"b","stars":4,}]},{"reviews":[]}]}}`,
    ];
    for (const text of texts) {
      answers.reviews = () => text;
      await same(LIST);
    }
  });

  it('keeps text only where its shape is known, under @include/@skip and abstract types too', async () => {
    answers = { catalog: PRODUCTS, reviews: entities((id) => `{"reviews":[${review(id)}]}`) };
    for (const include of [true, false]) {
      await same('query($x: Boolean!) { products { id reviews @include(if: $x) { id body stars } } }', { x: include });
      await same('query($x: Boolean!) { products { id reviews { id body @skip(if: $x) stars } } }', { x: include });
    }
    answers = {
      catalog: '{"data":{"items":[{"__typename":"Product","id":"p1"},{"__typename":"Seller","id":"s1"}]}}',
      reviews: entities((id) => `{"__typename":"${id === 's1' ? 'Seller' : 'Product'}","reviews":[${review(id)}]}`),
    };
    await same('{ items { id ... on Product { reviews { id stars } } ... on Seller { reviews { id body } } } }');
  });

  it('leaves a field that a later fetch of the plan reads or writes parsed', async () => {
    answers = { catalog: PRODUCTS, reviews: entities((id) => `{"reviews":[${review(id)}]}`) };
    // Two selections of one list: merged by the planner into one fetch, and still the same bytes.
    await same('{ products { id reviews { id } again: reviews { stars } } }');
  });
});
