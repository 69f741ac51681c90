/**
 * Answers holding subgraph text (execution/entity-answer-reader.ts,
 * raw-json.ts): for every operation and every subgraph answer here, the
 * client's bytes are the same whether the executor keeps the lists it may
 * as text or parses every answer whole: aliases, __typename, @include and
 * @skip, abstract types, nulls where allowed and where not, invalid leaves,
 * subgraph errors, and answers not in JSON.stringify's form (whitespace,
 * escapes, numbers written otherwise, keys in another order) that must be
 * parsed instead, and characters past Latin-1 (escaped by
 * subgraph-answer-text.ts, as every subgraph answer is read). Where the text
 * qualifies, the test also sees that it was kept (so that it cannot pass with
 * the splice never taken).
 */
import { composeServices } from '@apollo/composition';
import { describe, expect, it } from 'vitest';
import { answerChunks } from '../answer-chunks.js';
import { splicedAnswerBytes } from '../spliced-answer-bytes.js';
import { walkedAnswerBytes } from '../walked-answer-bytes.js';
import { decodeAnswerChunks } from '../subgraph-answer-text.js';
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
type Product @key(fields: "id") { id: ID! reviews: [Review!]! maybe: [Review] reviewCount: Int rating: Float }
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
  /** The `_entities` answer's text (or bytes) for the representations asked. */
  reviews: (representations: { __typename: string; id: string }[]) => string | Buffer;
}

let answers: Answers;

function executor(splice: boolean) {
  return new PlanExecutor({
    planner: apolloPlanner(supergraph),
    supergraphSchema: supergraph.supergraphGraphQLSchema,
    send: async (fetch, variables, _context, read?: AnswerReader) => {
      const answer = fetch.serviceName === 'catalog' ? answers.catalog : answers.reviews(variables.representations as never);
      // As subgraph-data-source.ts: the bytes decoded (a large answer's looked over), the reader first, JSON.parse when it declines.
      const bytes = typeof answer === 'string' ? Buffer.from(answer) : answer;
      const { text, ascii, controlFree } = decodeAnswerChunks([bytes], bytes.length);
      return (splice && read ? read(text, ascii, controlFree) : undefined) ?? JSON.parse(text);
    },
  });
}
const spliced = executor(true);
const parsed = executor(false);

async function bytes(on: PlanExecutor, query: string, variables: Record<string, unknown>, splice: boolean) {
  const prepared = on.prepareOutside(query, undefined, supergraph.apiGraphQLSchema, graphqlRuntime.specifiedRules) as PreparedOperation;
  if (!('plan' in prepared)) throw new Error(JSON.stringify(prepared));
  const result = await on.run(prepared, variables, undefined, splice);
  const answer = { errors: result.errors, data: result.data, extensions: result.extensions };
  const text = answerChunks(answer, result.spliced).join('');
  // The fast lane's writer of such answers (spliced-answer-bytes.ts), when it takes the answer: the same bytes,
  // by walking the containers holding kept text (walked-answer-bytes.ts) and from the placeholders alike.
  const written = result.spliced && splicedAnswerBytes(answer);
  if (written) expect(written.body.toString('latin1')).toBe(Buffer.from(text).toString('latin1'));
  const walked = result.spliced && walkedAnswerBytes(answer, result.spliced);
  if (walked) expect(walked.body.toString('latin1')).toBe(Buffer.from(text).toString('latin1'));
  // It declines only text past ASCII (and the placeholder's writer declines data holding the placeholder).
  if (result.spliced && !/[^\u0000-\u007f]/.test(text)) expect(walked).toBeDefined();
  return { text, kept: result.spliced !== undefined, written: written !== undefined };
}

/** The client's bytes both ways, checked equal (and equal to JSON.stringify of the parsed path's answer). */
async function same(query: string, variables: Record<string, unknown> = {}) {
  const { text, kept, written } = await bytes(spliced, query, variables, true);
  const expected = await bytes(parsed, query, variables, false);
  expect(expected.kept).toBe(false);
  expect(expected.written).toBe(false);
  expect(text).toBe(expected.text);
  expect((text as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
  return { text, kept, written, answer: JSON.parse(text) as { data?: unknown; errors?: unknown[] } };
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
    expect(result.written).toBe(true);
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

  it('reads the keys beside kept lists by their own names, in any order', async () => {
    // reviewCount and rating are parsed, not kept (entity-answer-reader.ts reads their keys from the text).
    const query = '{ products { id reviewCount reviews { id body stars } rating } }';
    for (const entity of [
      (id: string) => `{"reviewCount":2,"reviews":[${review(id)}],"rating":4.5}`,
      (id: string) => `{"rating":1.5,"reviewCount":${id.length},"reviews":[${review(id)}]}`,
      (id: string) => `{"reviewsX":[],"rating":null,"reviews":[${review(id)}],"reviewCount":7}`,
    ]) {
      answers = { catalog: PRODUCTS, reviews: entities(entity) };
      const result = await same(query);
      expect(result.kept).toBe(true);
      expect(Object.keys((result.answer.data as { products: object[] }).products[0]!)).toEqual(['id', 'reviewCount', 'reviews', 'rating']);
    }
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

  it('keeps lists with characters past Latin-1 as text, written as those characters', async () => {
    const titles = ['Réunion 🎓 du cours', '中文课程', 'Ärger, Öl, Übung', '🎓🎓', 'Ω', 'ā', 'end 𝄞'];
    for (const title of titles) {
      // As the subgraph writes it (raw UTF-8); the gateway reads the wide characters as escapes.
      answers = { catalog: PRODUCTS, reviews: entities((id) => `{"reviews":[{"id":"${id}","body":${JSON.stringify(title)},"stars":4}]}`) };
      const result = await same(LIST);
      expect(result.kept, title).toBe(true);
      expect(JSON.stringify(result.answer), title).toContain(JSON.stringify(title));
    }
    // Escapes the subgraph wrote itself, upper-case hex too; a character the decoder replaced (an invalid byte).
    answers.reviews = entities((id) => `{"reviews":[{"id":"${id}","body":"\\u4E2D\\u6587 \\ud83c\\udf93","stars":4}]}`);
    expect((await same(LIST)).kept).toBe(true);
    answers.reviews = (representations) => {
      const parts = representations.map((representation) =>
        Buffer.concat([Buffer.from(`{"reviews":[{"id":"${representation.id}","body":"bad `), Buffer.from([0xff, 0xe4, 0xb8]), Buffer.from(' 中","stars":4}]}')]),
      );
      return Buffer.concat([Buffer.from('{"data":{"_entities":['), ...parts.flatMap((part, index) => (index > 0 ? [Buffer.from(','), part] : [part])), Buffer.from(']}}')]);
    };
    expect((await same(LIST)).kept).toBe(true);
  });

  it('never copies a control character: in a string, a key or a parsed list the answer is refused as JSON.parse refuses it', async () => {
    answers = { catalog: PRODUCTS, reviews: () => '' };
    // Without an Int the list is checked by its pattern (list-pattern.ts); with one, by the reader's scan.
    const STRINGS = '{ products { id reviews { id body } } }';
    for (const [query, stars] of [
      [STRINGS, ''],
      [LIST, ',"stars":4'],
    ]) {
      const item = (id: string, body = 'b') => `{"id":"${id}","body":"${body}"${stars}}`;
      answers.reviews = entities((id) => `{"reviews":[${item(id)}]}`);
      expect((await same(query!)).kept, query).toBe(true);
      for (const control of ['\u0000', '\n', '\t', '\u001f']) {
        const cases: [string, (id: string) => string][] = [
          ['in a kept string', (id) => `{"reviews":[${item(id, `a${control}b`)}]}`],
          ['in a key', (id) => `{"revi${control}ews":[${item(id)}],"reviews":[${item(id)}]}`],
          ['in a parsed list', (id) => `{"reviews":[{"body":"a${control}b","id":"${id}"${stars}}]}`],
        ];
        for (const [name, entity] of cases) {
          answers.reviews = entities(entity);
          const result = await same(query!);
          expect(result.kept, `${name} ${JSON.stringify(control)}`).toBe(false);
          expect(result.answer.errors?.length, name).toBeGreaterThan(0);
        }
      }
    }
  });

  it('never copies a control character of a large answer, whose bytes are looked over for one', async () => {
    // Answers of CHECKED_FROM bytes and more (subgraph-answer-text.ts): their kept strings are then checked for
    // quotes alone (list-pattern.ts), so a control character anywhere must keep the text from that check.
    answers = { catalog: PRODUCTS, reviews: () => '' };
    const STRINGS = '{ products { id reviews { id body } } }';
    const many = (id: string, body: (index: number) => string) =>
      `{"reviews":[${Array.from({ length: 40 }, (_, index) => `{"id":"${id}-${index}","body":"${body(index)}"}`).join(',')}]}`;
    answers.reviews = entities((id) => many(id, (index) => `body ${index} ${'x'.repeat(20)}`));
    expect((await same(STRINGS)).kept).toBe(true);
    for (const control of ['\u0000', '\n', '\t', '\u001f']) {
      for (const where of [0, 17, 39]) {
        answers.reviews = entities((id) => many(id, (index) => (index === where && id === 'p2' ? `a${control}b` : `body ${index}`)));
        const result = await same(STRINGS);
        expect(result.kept, `${JSON.stringify(control)} in item ${where}`).toBe(false);
        expect(result.answer.errors?.length).toBeGreaterThan(0);
      }
    }
    // A backslash anywhere: the strings are checked whole again, escaped quotes and all.
    answers.reviews = entities((id) => many(id, (index) => (index === 5 && id === 'p2' ? 'say \\"hi\\"' : `body ${index}`)));
    expect((await same(STRINGS)).kept).toBe(true);
    answers.reviews = entities((id) => many(id, (index) => (index === 5 ? 'wide \\u4e2d' : `body ${index}`)));
    expect((await same(STRINGS)).kept).toBe(true);
  });

  it('checks lists of strings in ASCII answers over their bytes (list-scan.ts) as the pattern did, odd strings and all', async () => {
    answers = { catalog: PRODUCTS, reviews: () => '' };
    // No Int: the lists have a template, and ASCII answers are checked by it; other answers by the pattern.
    const STRINGS = '{ products { id reviews { id body } maybe { id } } }';
    const cases: [string, string, boolean][] = [
      ['plain', 'a body', true],
      ['empty', '', true],
      ['long', 'x'.repeat(100), true],
      ['wide escapes the subgraph wrote', '\\u4E2D\\u6587 \\ud83c\\udf93', true],
      ['Latin-1 written raw (not ASCII)', 'caf\u00e9 cr\u00e8me', true],
      ['an emoji written raw (not ASCII)', 'cap \u{1F393}', true],
      ['a lone high surrogate escaped', 'x \\ud800 y', false],
      ['a lone low surrogate escaped', 'x \\udc00', false],
      ['a Latin-1 character escaped', 'caf\\u00e9', false],
      ['an escaped quote', 'say \\"hi\\"', false],
      ['an escaped backslash', 'a \\\\ b', false],
      ['a newline escaped', 'a\\nb', false],
      ['a bracket and brace', 'a ]} b', true],
    ];
    for (const [name, body, kept] of cases) {
      answers.reviews = entities((id) => `{"reviews":[{"id":"${id}","body":"${body}"},{"id":"${id}-2","body":"${body}"}],"maybe":[null,{"id":"${body}"}]}`);
      expect((await same(STRINGS)).kept, name).toBe(kept);
    }
    for (const control of ['\u0000', '\u0001', '\n', '\u001f', '\u007f']) {
      answers.reviews = entities((id) => `{"reviews":[{"id":"${id}","body":"a${control}b"}],"maybe":[]}`);
      const result = await same(STRINGS);
      // DEL is no control character to JSON.
      expect(result.kept, JSON.stringify(control)).toBe(control === '\u007f');
      expect(result.answer.errors?.length ?? 0, JSON.stringify(control)).toBe(control === '\u007f' ? 0 : 1);
    }
  });

  it('parses what escapes other than those of wide characters, wherever they are', async () => {
    answers = { catalog: PRODUCTS, reviews: () => '' };
    const cases: [string, (id: string) => string][] = [
      ['a lone high surrogate', (id) => `{"reviews":[{"id":"${id}","body":"x \\ud800 y","stars":4}]}`],
      ['a lone low surrogate', (id) => `{"reviews":[{"id":"${id}","body":"x \\udc00","stars":4}]}`],
      ['a high surrogate before a non-surrogate', (id) => `{"reviews":[{"id":"${id}","body":"\\ud83c\\u4e2d","stars":4}]}`],
      ['a pair in the wrong order', (id) => `{"reviews":[{"id":"${id}","body":"\\udf93\\ud83c","stars":4}]}`],
      ['a high surrogate at the end', (id) => `{"reviews":[{"id":"${id}","body":"a\\ud83c","stars":4}]}`],
      ['a quote beside a wide character', (id) => `{"reviews":[{"id":"${id}","body":"🎓 say \\"hi\\"","stars":4}]}`],
      ['an escaped backslash before u', (id) => `{"reviews":[{"id":"${id}","body":"🎓 \\\\u4e2d","stars":4}]}`],
      ['an escaped backslash at the end', (id) => `{"reviews":[{"id":"${id}","body":"中\\\\","stars":4}]}`],
      ['a Latin-1 character escaped', (id) => `{"reviews":[{"id":"${id}","body":"中 caf\\u00e9","stars":4}]}`],
      ['a short escape', (id) => `{"reviews":[{"id":"${id}","body":"中 \\u4e","stars":4}]}`],
      ['a wide character in an enum', (id) => `{"reviews":[{"id":"${id}","body":"b","stars":4,"kind":"G\\u4e2dD"}]}`],
    ];
    for (const [name, entity] of cases) {
      answers.reviews = entities(entity);
      const query = name.includes('enum') ? '{ products { id reviews { id body stars kind } } }' : LIST;
      expect((await same(query)).kept, name).toBe(false);
    }
    // An escape in a key: JSON.parse reads the key unescaped; the whole answer is parsed.
    answers.reviews = entities((id) => `{"revi\\u0065ws":[{"id":"${id}","body":"中","stars":4}]}`);
    expect((await same(LIST)).kept).toBe(false);
    // A list not in its form, with escaped quotes and wide characters, skipped to keep the one after it.
    answers.reviews = entities((id) => `{"reviews":[{"stars":4,"id":"${id} \\"]}","body":"中"}],"maybe":[{"id":"🎓 ${id}"},null]}`);
    const mixed = await same('{ products { id reviews { id body stars } maybe { id } } }');
    expect(mixed.kept).toBe(true);
  });

  it("writes an answer whose data holds the writer's placeholder through the string writer, unchanged", async () => {
    // spliced-answer-bytes.ts stands each kept list in for a placeholder string: data holding that same string
    // (a name, a kept list's body) must not be taken for one.
    const placeholder = '\u0000raw';
    for (const [name, body] of [
      [placeholder, 'b'],
      ['Lamp', placeholder],
      [`x${placeholder}`, `${placeholder}"`],
    ]) {
      answers = {
        catalog: JSON.stringify({ data: { products: [{ __typename: 'Product', id: 'p1', name }] } }),
        reviews: entities((id) => `{"reviews":[{"id":"${id}","body":${JSON.stringify(body)},"stars":4}]}`),
      };
      const result = await same(LIST);
      expect(JSON.stringify(result.answer)).toContain(JSON.stringify(name));
    }
  });
});
