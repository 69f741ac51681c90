/**
 * A small federation in one process for the executor's tests: two subgraphs
 * (catalog, reviews) built with @apollo/subgraph and composed, served by
 * @apollo/gateway's LocalGraphQLDataSource (real GraphQL execution, no
 * network). `execute` runs an operation through our executor and through
 * @apollo/gateway's, so a test can check one against the other.
 */
import { createHash } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
import type { GatewayExecutionResult, GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import type { OperationAdmission } from '../../execution/operation-admission.js';
import { PlanExecutor } from '../../execution/plan-executor.js';
import { apolloPlanner } from '../../planning/apollo-planner.js';
import { loadSupergraph } from '../../supergraph/load-supergraph.js';
import { graphqlRuntime } from '../../../platform/subgraph/subscriptions/graphql-runtime.js';

const { parse, getOperationAST, GraphQLError } = graphqlRuntime;

const CATALOG = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query {
  products: [Product!]
  shelf: [Product]!
  product(id: ID!): Product
  search(text: String!): [SearchResult!]!
  items: [Item!]!
}
type Mutation { rename(id: ID!, name: String!): Product! }
interface Item { id: ID! name: String! }
enum Status { ACTIVE RETIRED }
type Product implements Item @key(fields: "id") { id: ID! name: String! price: Float! status: Status! }
type Seller implements Item @key(fields: "id") { id: ID! name: String! rating: Int }
union SearchResult = Product | Seller
`;

const REVIEWS = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "id") { id: ID! reviews: [Review!]! topReview: Review }
type Review { id: ID! body: String! stars: Int! }
`;

interface Product {
  id: string;
  name: string;
  price: number;
  status: string;
}

export interface LocalFederation {
  /** Runs through our executor; `context` as the gateway's (its `incremental` for @defer delivered in parts). */
  ours: (query: string, variables?: Record<string, unknown>, context?: object) => Promise<GatewayExecutionResult>;
  /** Runs through @apollo/gateway's own executor. */
  apollo: (query: string, variables?: Record<string, unknown>) => Promise<GatewayExecutionResult>;
  /** Subgraph calls made, by subgraph name. */
  calls: string[];
  /** Product ids whose reviews fail to load; products whose `topReview` is null. */
  failingReviews: Set<string>;
  /** Subgraphs that are down (their calls throw). */
  down: Set<string>;
  products: Product[];
}

/** `admission`: bounds our executor's operations of several fetches (gateway/execution/operation-admission.ts). */
export async function startLocalFederation(options: { admission?: OperationAdmission } = {}): Promise<LocalFederation> {
  const products: Product[] = [
    { id: 'p1', name: 'Lamp', price: 12.5, status: 'ACTIVE' },
    { id: 'p2', name: 'Desk', price: 99, status: 'RETIRED' },
    { id: 'p3', name: 'Chair', price: 45, status: 'ACTIVE' },
  ];
  const sellers = [{ id: 's1', name: 'Ada', rating: 5 }];
  const failingReviews = new Set<string>();
  const down = new Set<string>();
  const calls: string[] = [];
  const byId = (id: string) => products.find((product) => product.id === id) ?? null;

  const catalog = buildSubgraphSchema({
    typeDefs: parse(CATALOG),
    resolvers: {
      Query: {
        products: () => products,
        shelf: () => products,
        product: (_: unknown, { id }: { id: string }) => byId(id),
        search: () => [products[0], sellers[0]],
        items: () => [sellers[0], products[1]],
      },
      Mutation: {
        rename: (_: unknown, { id, name }: { id: string; name: string }) => {
          const product = byId(id)!;
          product.name = name;
          return product;
        },
      },
      Item: { __resolveType: (item: { price?: number }) => (item.price === undefined ? 'Seller' : 'Product') },
      SearchResult: { __resolveType: (item: { price?: number }) => (item.price === undefined ? 'Seller' : 'Product') },
      Product: { __resolveReference: ({ id }: { id: string }) => byId(id) },
    } as never,
  });
  const reviews = buildSubgraphSchema({
    typeDefs: parse(REVIEWS),
    resolvers: {
      Product: {
        __resolveReference: async ({ id }: { id: string }) => {
          if (failingReviews.has(id)) throw new GraphQLError('review store unavailable', { extensions: { code: 'UNAVAILABLE' } });
          return { id };
        },
        reviews: ({ id }: { id: string }) => [
          { id: `${id}-r1`, body: `good ${id}`, stars: 4 },
          { id: `${id}-r2`, body: `fine ${id}`, stars: 3 },
        ],
        topReview: ({ id }: { id: string }) => (id === 'p2' ? null : { id: `${id}-r1`, body: `good ${id}`, stars: 4 }),
      },
    } as never,
  });

  const composed = composeServices([
    { name: 'catalog', url: 'http://catalog.invalid/graphql', typeDefs: parse(CATALOG) },
    { name: 'reviews', url: 'http://reviews.invalid/graphql', typeDefs: parse(REVIEWS) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  const sources: Record<string, LocalGraphQLDataSource> = {
    catalog: new LocalGraphQLDataSource(catalog as unknown as GraphQLSchema),
    reviews: new LocalGraphQLDataSource(reviews as unknown as GraphQLSchema),
  };
  const call = async (name: string, query: string, variables: Record<string, unknown> | undefined, operationName?: string) => {
    calls.push(name);
    if (down.has(name)) throw new GraphQLError(`Subgraph "${name}" is unavailable: connect ECONNREFUSED`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: name } });
    return sources[name]!.process({ request: { query, variables, operationName }, context: {} } as never);
  };
  const apolloGateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ name }) => ({ process: ({ request }) => call(name, request.query!, request.variables, request.operationName) }),
  });
  await apolloGateway.load();
  const apolloExecutor = (apolloGateway as unknown as { executor: GatewayExecutor }).executor;
  const supergraph = loadSupergraph(composed.supergraphSdl);
  const ours = new PlanExecutor({
    planner: apolloPlanner(supergraph),
    supergraphSchema: supergraph.supergraphGraphQLSchema,
    send: (fetch, variables) => call(fetch.serviceName, fetch.operation, variables, fetch.operationName),
    admission: options.admission,
  });

  const requestContext = (query: string, variables: Record<string, unknown> = {}, context: object = {}) => {
    const document = parse(query);
    const operation = getOperationAST(document)!;
    return {
      request: { query, variables, operationName: operation.name?.value },
      document,
      operation,
      operationName: operation.name?.value ?? null,
      queryHash: createHash('sha256').update(query).digest('hex'),
      source: query,
      schema: supergraph.apiGraphQLSchema,
      context,
      logger: console,
      metrics: {},
    } as unknown as GatewayGraphQLRequestContext;
  };
  return {
    ours: (query, variables, context) => ours.executor(requestContext(query, variables, context)),
    apollo: (query, variables) => apolloExecutor(requestContext(query, variables)),
    calls,
    failingReviews,
    down,
    products,
  };
}
