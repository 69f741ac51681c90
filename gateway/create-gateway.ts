/**
 * The federated gateway: @apollo/gateway over the checked-in static
 * supergraph (never runtime introspection), inside Apollo Server 5. Apollo
 * Server gets our executor (execution/plan-executor.ts): Apollo's planner
 * and schema, our execution of the plan; Apollo's executor stays behind it
 * for what ours leaves out.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { PlatformConfig, SubgraphName } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { formatError } from '../platform/graphql/format-error.js';
import { schemaPath } from '../platform/paths.js';
import { createFastLane } from './fast-lane.js';
import { OperationAdmission } from './execution/operation-admission.js';
import { withPlanExecutor } from './execution/with-plan-executor.js';
import type { GatewayContext } from './gateway-context.js';
import { gatewayMetrics, metricsPlugin } from './gateway-metrics.js';
import { SubgraphDataSource } from './subgraph-data-source.js';

export interface GatewayOptions {
  config: PlatformConfig;
  log: Logger;
  /** Defaults to config.subgraphUrls. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  supergraphSdl?: string;
}

export async function createGateway({ config, log, subgraphUrls, supergraphSdl }: GatewayOptions) {
  const urls = { ...config.subgraphUrls, ...subgraphUrls };
  const dataSources: SubgraphDataSource[] = [];
  const sourceByName = new Map<string, SubgraphDataSource>();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSdl ?? readFileSync(schemaPath('supergraph'), 'utf8'),
    buildService: ({ name }) => {
      const url = urls[name as SubgraphName];
      if (!url) throw new Error(`No URL configured for subgraph "${name}"`);
      const source = new SubgraphDataSource({
        name,
        url,
        signingSecret: config.internalSigningSecret,
        timeoutMs: config.gateway.subgraphTimeoutMs,
        connections: config.gateway.subgraphConnections,
      });
      dataSources.push(source);
      sourceByName.set(name, source);
      return source;
    },
    logger: log,
  });
  const gatewayWithOurExecutor = withPlanExecutor(gateway, (fetch, variables, context) => {
    const source = sourceByName.get(fetch.serviceName);
    if (!source) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
    return source.fetch(fetch.operation, variables, fetch.operationName, context as GatewayContext | undefined, fetch.isMutation);
  }, new OperationAdmission(config.gateway.concurrentPlans, (waiting) => gatewayMetrics.operationsWaiting.set(waiting)));
  const formatClientError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const safe = formatError(formatted, error, log);
    if (!config.production || !safe.extensions) return safe;
    // Subgraphs' errors pass through with their extensions: strip their stack traces, and mask
    // their unexpected failures (a driver's "connect ECONNREFUSED 10.0.0.5:5432" tells outsiders too much).
    const { stacktrace: _stacktrace, ...extensions } = safe.extensions;
    const masked = extensions.code === 'INTERNAL_SERVER_ERROR' && extensions.serviceName !== undefined;
    return { ...safe, ...(masked && { message: `Internal error in subgraph "${String(extensions.serviceName)}"` }), extensions };
  };
  const server = new ApolloServer<GatewayContext>({
    gateway: gatewayWithOurExecutor,
    introspection: config.gateway.introspection,
    includeStacktraceInErrorResponses: !config.production,
    hideSchemaDetailsFromClientErrors: !config.gateway.fieldSuggestions,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries would let anyone register operations; the safelist (GATEWAY_SAFELIST_FILE) replaces them.
    persistedQueries: false,
    // A second line behind operation-limits.ts, should a document reach Apollo unchecked.
    maxRecursiveSelections: config.gateway.limits.maxRecursiveSelections,
    formatError: formatClientError,
    // Requests of the fast lane (fast-lane.ts) never reach plugins: what a plugin does, the lane must do too.
    plugins: [metricsPlugin()],
  });
  await server.start();
  const planExecutor = gatewayWithOurExecutor.planExecutor;
  return {
    server,
    urls,
    /** Requests Apollo Server already let through, answered without its pipeline (fast-lane.ts). */
    fastLane: planExecutor && createFastLane({ executor: planExecutor, formatError: formatClientError, includeStacktrace: !config.production }),
    /** The subgraphs of the supergraph (known once started). */
    subgraphNames: () => dataSources.map((source) => source.name as SubgraphName),
    stop: async () => {
      await server.stop();
      await Promise.all(dataSources.map((source) => source.close()));
    },
  };
}
