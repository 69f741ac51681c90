/**
 * The federated gateway inside Apollo Server 5: any Federation 2
 * supergraph (GATEWAY_SUPERGRAPH_FILE, default the platform's checked-in
 * schema/supergraph.graphql; never runtime introspection), reloaded when its
 * file changes, planned by our planning step and run by our executor
 * (gateway/supergraph/, gateway/planning/, gateway/execution/).
 */
import { ApolloServer } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { PlatformConfig } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { formatError } from '../platform/graphql/format-error.js';
import { schemaPath } from '../platform/paths.js';
import { createFastLane, formatErrors } from './fast-lane.js';
import { OperationAdmission } from './execution/operation-admission.js';
import type { GatewayContext } from './gateway-context.js';
import { gatewayMetrics, metricsPlugin } from './gateway-metrics.js';
import { answerStatusPlugin } from './pipeline/answer-status.js';
import { FederationGateway } from './supergraph/federation-gateway.js';
import { stringifyResult } from './unserializable-answer.js';

export interface GatewayOptions {
  config: PlatformConfig;
  log: Logger;
  /** URLs by subgraph name, over the supergraph's and the environment's. */
  subgraphUrls?: Partial<Record<string, string>>;
  /** A supergraph to serve as is (not watched); default GATEWAY_SUPERGRAPH_FILE, else the platform's. */
  supergraphSdl?: string;
}

/** URLs and IP addresses (with or without a port), as drivers and sockets put them in their messages. */
const INTERNAL_ADDRESS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\[[0-9a-f:.]+\](?::\d+)?/gi;

/**
 * Production messages never name where services live: a subgraph that cannot be reached is named, not its
 * address or the socket error (`connect ECONNREFUSED 10.0.0.5:4302`, `getaddrinfo ENOTFOUND erp`); any other
 * message loses its URLs and IP addresses. The full message stays in the log.
 */
function withoutInternalAddresses(message: string, extensions: Record<string, unknown>, log: Logger): string {
  const serviceName = extensions.serviceName;
  if (extensions.code === 'SUBGRAPH_UNAVAILABLE' && serviceName !== undefined) {
    log.warn({ serviceName, message }, 'subgraph unavailable');
    return `Subgraph "${String(serviceName)}" is unavailable`;
  }
  const masked = message.replace(INTERNAL_ADDRESS, '[internal address]');
  if (masked !== message) log.warn({ serviceName, message }, 'error message with an internal address, masked for the client');
  return masked;
}

export async function createGateway({ config, log, subgraphUrls, supergraphSdl }: GatewayOptions) {
  const file = config.gateway.supergraphFile;
  const gateway = new FederationGateway({
    config,
    log,
    explicit: subgraphUrls,
    platformSupergraph: supergraphSdl === undefined && file === undefined,
    supergraph: supergraphSdl !== undefined ? { sdl: supergraphSdl } : { file: file ?? schemaPath('supergraph') },
    admission: new OperationAdmission(config.gateway.concurrentPlans, (waiting) => gatewayMetrics.operationsWaiting.set(waiting), config.gateway.maxQueuedPlans),
  });
  const formatClientError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const safe = formatError(formatted, error, log);
    if (!config.production || !safe.extensions) return safe;
    // Subgraphs' errors pass through with their extensions: strip their stack traces, and mask
    // their unexpected failures (a driver's "connect ECONNREFUSED 10.0.0.5:5432" tells outsiders too much).
    const { stacktrace: _stacktrace, ...extensions } = safe.extensions;
    const masked = extensions.code === 'INTERNAL_SERVER_ERROR' && extensions.serviceName !== undefined;
    if (masked) return { ...safe, message: `Internal error in subgraph "${String(extensions.serviceName)}"`, extensions };
    return { ...safe, message: withoutInternalAddresses(safe.message, extensions, log), extensions };
  };
  const server = new ApolloServer<GatewayContext>({
    gateway,
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
    // A subgraph's value nested past the stack: an answer that says so, not Apollo's 500 (unserializable-answer.ts).
    stringifyResult: stringifyResult((error) => log.warn({ err: error }, 'answer too deeply nested to serialize')),
    // Requests of the fast lane (fast-lane.ts) never reach plugins: what a plugin does, the lane must do too.
    plugins: [metricsPlugin(), answerStatusPlugin()],
    // Shutdown is ours (platform/bootstrap/shutdown.ts drains first): Apollo's own signal handlers would stop the
    // server and send the signal again, which reads as a second signal and exits 1 mid-drain.
    stopOnTerminationSignals: false,
  });
  await server.start();
  return {
    server,
    gateway,
    /** Subgraph URLs by name, of the supergraph serving now. */
    urls: () => gateway.current.urls,
    /** Requests Apollo Server already let through, answered without its pipeline (fast-lane.ts). */
    fastLane: createFastLane({
      executor: gateway.currentExecutor,
      formatError: formatClientError,
      includeStacktrace: !config.production,
      maxResponseBytes: config.gateway.maxResponseBytes,
      onTooDeep: (error, requestId) => log.warn({ err: error, requestId }, 'answer too deeply nested to serialize'),
    }),
    /** Errors formatted as Apollo Server formats them (@defer's later payloads). */
    formatErrors: (errors: readonly GraphQLError[]) => formatErrors(errors, { formatError: formatClientError, includeStacktrace: !config.production }),
    /** The subgraphs of the supergraph serving now. */
    subgraphNames: () => Object.keys(gateway.current.urls),
    stop: async () => {
      await server.stop();
      await gateway.sources.close();
    },
  };
}
