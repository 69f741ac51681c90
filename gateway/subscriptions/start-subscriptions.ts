/**
 * Subscriptions on the gateway's HTTP server: graphql-ws on /graphql, SSE
 * on /graphql/stream, one engine behind both (subscription-engine.ts).
 */
import type http from 'node:http';
import type { PlatformConfig } from '../../platform/config.js';
import type { TrustedProxies } from '../../platform/http/client-ip.js';
import type { Logger } from '../../platform/logger.js';
import type { GatewayPipeline } from '../pipeline/gateway-pipeline.js';
import type { StreamedQueries } from './streamed-queries.js';
import { createSseHandler } from './sse-transport.js';
import { SubscriptionEngine, type SubscriptionEngineOptions } from './subscription-engine.js';
import { serveWebSocket } from './websocket-transport.js';

export { SSE_PATH } from '../pipeline/paths.js';

export interface GatewaySubscriptionsOptions {
  server: http.Server;
  config: PlatformConfig;
  log: Logger;
  /** The supergraph serving when subscriptions start (engine.update() follows reloads). */
  supergraph: SubscriptionEngineOptions['supergraph'];
  /** The steps graphql-ws and SSE requests pass (gateway-pipeline.ts): the HTTP path's rules. */
  pipeline: Pick<GatewayPipeline, 'authenticate' | 'subscribe' | 'sse'>;
  /** The gateway's trusted proxies, for the client's address. */
  trust: TrustedProxies;
  /** Queries over graphql-ws and SSE (streamed-queries.ts), run by the supergraph serving now. */
  queries?: StreamedQueries;
  /** SSE: events a stream may hold unsent before its client is let go. Default 100. */
  maxQueuedEvents?: number;
}

export interface GatewaySubscriptions {
  engine: SubscriptionEngine;
  /** Handles SSE_PATH requests. */
  handleSse: (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;
  /** Closes every client (1001 going away) and the upstream connections. */
  close: () => Promise<void>;
}

const engines = new Set<SubscriptionEngine>();

/** Client subscriptions of every gateway in this process (benchmarks and tests read it). */
export function activeClientSubscriptions(): number {
  let clients = 0;
  for (const engine of engines) clients += engine.stats().clients;
  return clients;
}

export function startGatewaySubscriptions(options: GatewaySubscriptionsOptions): GatewaySubscriptions {
  const log = options.log.child({ component: 'subscriptions' });
  const engine = new SubscriptionEngine({
    supergraph: options.supergraph,
    signingSecret: options.config.internalSigningSecret,
    log,
    subgraphTimeoutMs: options.config.gateway.subgraphTimeoutMs,
  });
  engines.add(engine);
  const { pipeline, trust } = options;
  const { wsPingIntervalMs, wsPongTimeoutMs, ssePingIntervalMs, sseStallTimeoutMs } = options.config.gateway;
  const websocket = serveWebSocket({
    server: options.server,
    engine,
    pipeline,
    trust,
    log,
    queries: options.queries,
    pingIntervalMs: wsPingIntervalMs,
    pongTimeoutMs: wsPongTimeoutMs,
  });
  const handleSse = createSseHandler({
    engine,
    pipeline,
    trust,
    maxQueuedEvents: options.maxQueuedEvents,
    keepAliveMs: ssePingIntervalMs,
    stallTimeoutMs: sseStallTimeoutMs,
    queries: options.queries,
    requestTimeoutMs: options.config.gateway.requestTimeoutMs,
  });
  let closing: Promise<void> | undefined;
  return {
    engine,
    handleSse,
    close: () =>
      (closing ??= (async () => {
        await websocket.close();
        await engine.close();
        engines.delete(engine);
      })()),
  };
}
