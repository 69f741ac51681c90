/**
 * The gateway's own execution of query plans (gateway/execution/), on a
 * small federation in one process: what a client gets (aliases, __typename,
 * fragments on interfaces and unions, nulls bubbling to the nearest nullable
 * parent, a subgraph's errors at their place in the response with partial
 * data), each time checked against @apollo/gateway's executor as well.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayMetrics } from '../gateway-metrics.js';
import { startLocalFederation, type LocalFederation } from './support/local-federation.js';

let federation: LocalFederation;
beforeAll(async () => {
  federation = await startLocalFederation();
});
beforeEach(() => {
  federation.failingReviews.clear();
  federation.down.clear();
  federation.calls.length = 0;
});

let oursCalls: string[] = [];

/** The answer as a client receives it (errors as JSON), from our executor, after checking Apollo's gives the same. */
async function run(query: string, variables?: Record<string, unknown>) {
  const ours = JSON.parse(JSON.stringify(await federation.ours(query, variables))) as { data?: any; errors?: any[]; extensions?: any };
  oursCalls = [...federation.calls];
  const apollo = JSON.parse(JSON.stringify(await federation.apollo(query, variables))) as unknown;
  expect(ours).toEqual(apollo);
  return ours;
}

describe('executing query plans', () => {
  it('answers aliases, __typename and entity fields from two subgraphs in the order asked', async () => {
    const answer = await run('{ first: product(id: "p1") { kind: __typename label: name price reviews { stars id } id } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      first: {
        kind: 'Product',
        label: 'Lamp',
        price: 12.5,
        reviews: [
          { stars: 4, id: 'p1-r1' },
          { stars: 3, id: 'p1-r2' },
        ],
        id: 'p1',
      },
    });
    expect(Object.keys(answer.data.first)).toEqual(['kind', 'label', 'price', 'reviews', 'id']);
    expect(oursCalls).toEqual(['catalog', 'reviews']);
  });

  it('applies fragments on interfaces and unions by the runtime type', async () => {
    const answer = await run(
      `
      query Mixed($text: String!) {
        search(text: $text) { __typename ... on Product { name topReview { body } } ... on Seller { name rating } }
        items { id ...ItemName ... on Seller { rating } }
      }
      fragment ItemName on Item { name ... on Product { status } }`,
      { text: 'a' },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      search: [
        { __typename: 'Product', name: 'Lamp', topReview: { body: 'good p1' } },
        { __typename: 'Seller', name: 'Ada', rating: 5 },
      ],
      items: [
        { id: 's1', name: 'Ada', rating: 5 },
        { id: 'p2', name: 'Desk', status: 'RETIRED' },
      ],
    });
  });

  it('gives partial data when a subgraph fails for one entity, the error at that entity with the subgraph named', async () => {
    federation.failingReviews.add('p3');
    const answer = await run('{ shelf { id name topReview { body } } }');
    expect(answer.data.shelf).toEqual([
      { id: 'p1', name: 'Lamp', topReview: { body: 'good p1' } },
      { id: 'p2', name: 'Desk', topReview: null },
      { id: 'p3', name: 'Chair', topReview: null },
    ]);
    expect(answer.errors).toEqual([
      expect.objectContaining({ message: 'review store unavailable', path: ['shelf', 2], extensions: expect.objectContaining({ code: 'UNAVAILABLE', serviceName: 'reviews' }) }),
    ]);
  });

  it('bubbles a missing non-null field up to the nearest nullable parent', async () => {
    federation.failingReviews.add('p2');
    // Product.reviews is non-null: p2 cannot be answered. In a list of nullable items only p2 is null...
    const shelf = await run('{ shelf { id reviews { id } } }');
    expect(shelf.data.shelf.map((product: { id: string } | null) => product?.id ?? null)).toEqual(['p1', null, 'p3']);
    expect(shelf.errors?.[0]).toMatchObject({ path: ['shelf', 1], extensions: { serviceName: 'reviews' } });
    // ...in a nullable list of non-null items the whole list is, and the rest of the answer stays.
    const products = await run('{ products { id reviews { id } } product(id: "p1") { name } }');
    expect(products.data).toEqual({ products: null, product: { name: 'Lamp' } });
    expect(products.errors).toHaveLength(1);
  });

  it('answers data null when a non-null root field cannot be completed, with the subgraph down named', async () => {
    federation.down.add('catalog');
    const answer = await run('mutation { rename(id: "p1", name: "Lamp") { id name } }');
    expect(answer.data).toBeNull();
    expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'catalog' }) })]);
  });

  it('runs mutations and the entity fetches that follow them', async () => {
    const answer = await run('mutation Rename($id: ID!) { rename(id: $id, name: "Standing desk") { name topReview { stars } } }', { id: 'p2' });
    expect(answer).toEqual({ data: { rename: { name: 'Standing desk', topReview: null } } });
    federation.products[1]!.name = 'Desk';
  });

  it('refuses variables of the wrong type before calling any subgraph', async () => {
    const answer = await run('query One($id: ID!) { product(id: $id) { name } }', { id: { nested: true } });
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.message).toMatch(/\$id/);
    expect(oursCalls).toEqual([]);
  });

  it('runs @skip/@include itself: Condition nodes, directives inside fetches, defaults, fragments, without falling back', async () => {
    const before = await fallbacks();
    const query = `query Maybe($with: Boolean!, $hide: Boolean = true) {
      product(id: "p1") { name topReview @include(if: $with) { body } price @skip(if: $hide) ...Reviews @include(if: $with) }
    }
    fragment Reviews on Product { reviews { stars } }`;
    expect(await run(query, { with: false })).toEqual({ data: { product: { name: 'Lamp' } } });
    expect(oursCalls).toEqual(['catalog']);
    expect(await run(query, { with: true, hide: false })).toEqual({
      data: { product: { name: 'Lamp', topReview: { body: 'good p1' }, price: 12.5, reviews: [{ stars: 4 }, { stars: 3 }] } },
    });
    expect(await run('{ product(id: "p2") { name status @include(if: false) } }')).toEqual({ data: { product: { name: 'Desk' } } });
    expect(await fallbacks()).toBe(before);
  });

  it('answers introspection from the API schema beside planned fields, without falling back', async () => {
    const before = await fallbacks();
    const answer = await run(
      `query Look($name: String!) {
      product(id: "p1") { name }
      __type(name: $name) { name kind fields { name } }
      ...Schema
    }
    fragment Schema on Query { __schema { queryType { name } mutationType { name } } }`,
      { name: 'Review' },
    );
    expect(answer).toEqual({
      data: {
        product: { name: 'Lamp' },
        __type: { name: 'Review', kind: 'OBJECT', fields: [{ name: 'id' }, { name: 'body' }, { name: 'stars' }] },
        __schema: { queryType: { name: 'Query' }, mutationType: { name: 'Mutation' } },
      },
    });
    expect(await fallbacks()).toBe(before);
  });
});

describe('what our executor does not run', () => {
  it('refuses it with OPERATION_NOT_SUPPORTED and counts it, with no other executor behind', async () => {
    const before = await fallbacks();
    const answer = JSON.parse(JSON.stringify(await federation.ours('{ product(id: "p1") { __proto__: name } }'))) as { data?: unknown; errors?: any[] };
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_SUPPORTED');
    expect(federation.calls).toEqual([]);
    expect(await fallbacks()).toBe(before + 1);
  });
});

async function fallbacks(): Promise<number> {
  const metric = await gatewayMetrics.fallbacks.get();
  return metric.values.reduce((sum, value) => sum + value.value, 0);
}
