/**
 * Subgraph answers that arrive in several chunks are put together in one
 * buffer that every answer reuses (subgraph-answer-text.ts's
 * decodeAnswerChunks), and the lists kept as text (execution/raw-json.ts)
 * are written from the decoded text, never from those bytes. Here many
 * operations run at once against a real subgraph over HTTP, each answer
 * large enough to come in several socket reads and written in pieces so that
 * the answers interleave; every client answer, written after all of them
 * were read, must be exactly its own operation's, byte for byte.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { PlanExecutor, type PreparedOperation } from '../execution/plan-executor.js';
import { apolloPlanner } from '../planning/apollo-planner.js';
import { splicedAnswerBytes } from '../spliced-answer-bytes.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';
import { loadSupergraph } from '../supergraph/load-supergraph.js';

const { parse } = graphqlRuntime;

const CATALOG = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { products(shop: String!): [Product!]! }
type Product @key(fields: "id") { id: ID! name: String! }
`;
const REVIEWS = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "id") { id: ID! reviews: [Review!]! }
type Review { id: ID! body: String! stars: Int! }
`;

const composed = composeServices([
  { name: 'catalog', url: 'http://catalog.invalid/graphql', typeDefs: parse(CATALOG) },
  { name: 'reviews', url: 'http://reviews.invalid/graphql', typeDefs: parse(REVIEWS) },
]);
if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
const supergraph = loadSupergraph(composed.supergraphSdl!);

const QUERY = 'query List($shop: String!) { products(shop: $shop) { id name reviews { id body stars } } }';
/** Shops whose texts are ASCII, Latin-1, or past it (the three ways an answer is decoded). */
const SHOPS = Array.from({ length: 24 }, (_, index) => `shop${index}${['', '-caf\u00e9', '-\u{1F393}'][index % 3]}`);

const products = (shop: string) => [1, 2, 3].map((n) => ({ __typename: 'Product', id: `${shop}-p${n}`, name: `Product ${n} of ${shop}` }));
/** Each review's body long and different per product, so that an answer is ~150 kB and unlike any other. */
const reviewsOf = (id: string) => [1, 2].map((n) => ({ id: `${id}-r${n}`, body: `${id} review ${n} `.repeat(1_500), stars: n + 2 }));

describe('subgraph answers read through a reused buffer', () => {
  let server: http.Server;
  let reviews: SubgraphDataSource;
  let piecesWritten = 0;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { representations: { id: string }[] } };
        const answer = Buffer.from(`${JSON.stringify({ data: { _entities: variables.representations.map(({ id }) => ({ reviews: reviewsOf(id) })) } })}\n`);
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
        // In pieces, each after a turn of the loop: the gateway reads every answer in several chunks, between
        // the chunks of others.
        const piece = Math.ceil(answer.length / 5);
        const writeFrom = (offset: number) => {
          if (offset >= answer.length) return response.end();
          piecesWritten++;
          response.write(answer.subarray(offset, offset + piece));
          setImmediate(() => writeFrom(offset + piece));
        };
        writeFrom(0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    reviews = new SubgraphDataSource({ name: 'reviews', url, signingSecret: 'a secret for the test', connections: 8 });
  });

  afterAll(async () => {
    await reviews.close();
    server.closeAllConnections();
    server.close();
  });

  it('gives every operation its own answer, byte for byte, with many in flight at once', async () => {
    const executor = new PlanExecutor({
      planner: apolloPlanner(supergraph),
      supergraphSchema: supergraph.supergraphGraphQLSchema,
      send: async (fetch, variables, context, read) => {
        if (fetch.serviceName === 'catalog') return { data: { products: products(variables.shop as string) } };
        return reviews.fetch(fetch.operation, variables, fetch.operationName, context as never, false, read) as never;
      },
    });
    const prepared = executor.prepareOutside(QUERY, undefined, supergraph.apiGraphQLSchema, graphqlRuntime.specifiedRules) as PreparedOperation;
    if (!('plan' in prepared)) throw new Error(JSON.stringify(prepared));

    // Every operation read before any answer is written: the buffer has held the others' bytes since.
    const results = await Promise.all(SHOPS.map((shop) => executor.run(prepared, { shop }, undefined, true)));
    expect(piecesWritten).toBeGreaterThanOrEqual(SHOPS.length * 5);
    for (let index = 0; index < SHOPS.length; index++) {
      const shop = SHOPS[index]!;
      const result = results[index]!;
      // The lists were kept as text (else this would not test their writing).
      expect(result.spliced).toBeDefined();
      const written = splicedAnswerBytes({ errors: result.errors, data: result.data, extensions: result.extensions });
      expect(written).toBeDefined();
      const expected = {
        data: { products: products(shop).map(({ id, name }) => ({ id, name, reviews: reviewsOf(id) })) },
      };
      expect(written!.body.toString('utf8')).toBe(`${JSON.stringify(expected)}\n`);
      written!.release?.();
    }
  });
});
