/**
 * The gateway's HTTP server: GraphQL at /graphql (callers must present a
 * Passport token; see graphql-endpoint.ts for the protections in front of
 * Apollo), health endpoints, Prometheus /metrics, and /files/* forwarded to
 * the documents service (signed upload and download URLs live on the public
 * origin). Starts whatever the state of subgraphs and database: it serves
 * what it can, and /health/ready says what is missing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { createUserTokenVerifier } from '../platform/auth/user-token.js';
import { loadPolicyGrants } from './planning/policy-grants.js';
import { SUBGRAPH_NAMES, type PlatformConfig } from '../platform/config.js';
import { createKysely } from '../platform/database/connection.js';
import { clientIp, trustedProxies } from '../platform/http/client-ip.js';
import { refuseContentCoding } from '../platform/http/content-coding.js';
import { createCors } from '../platform/http/cors.js';
import { healthRoutes, type ReadinessChecks } from '../platform/http/health.js';
import { requestIdOf } from '../platform/http/request-id.js';
import { sendJson } from '../platform/http/respond.js';
import { boundRequestTime } from '../platform/http/request-time-bounds.js';
import { continueWhenRead } from '../platform/http/expect-continue.js';
import { answerProtocolRefusals } from '../platform/http/protocol-refusals.js';
import { findRoute, refuseUnrouted } from '../platform/http/router.js';
import type { Logger } from '../platform/logger.js';
import { metricsRoute } from '../platform/observability/metrics.js';
import { flushTraces, startTracing, tracingEnabled, withServerSpan } from '../platform/observability/tracing.js';
import { cachedTokenVerifier } from './cached-token-verifier.js';
import { createGateway } from './create-gateway.js';
import { forwardTo } from './forward.js';
import { gatewayMetrics } from './gateway-metrics.js';
import { createGraphQLEndpoint, type RequestInfo } from './graphql-endpoint.js';
import { checkOperationLimits, warmUpOperationLimits, type LimitVerdict } from './operation-limits.js';
import { createPostgresRateLimiter } from './postgres-rate-limiter.js';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limiter.js';
import { createGatewayPipeline } from './pipeline/gateway-pipeline.js';
import { SubscriptionQuota } from './pipeline/subscription-quota.js';
import { loadSafelist } from './safelist.js';
import type { FederationGateway } from './supergraph/federation-gateway.js';
import { streamedQueries } from './subscriptions/streamed-queries.js';
import { acceptsOnlyEventStream } from './subscriptions/sse-params.js';
import { SSE_PATH, startGatewaySubscriptions } from './subscriptions/start-subscriptions.js';
import { answeredBuildPending } from './web/build-pending-page.js';
import { createWebRoutes } from './web/web-routes.js';
import type { HttpRoute } from '../platform/subgraph/subgraph-module.js';
import type { DocumentNode } from 'graphql';

/** Polled by `npm start` and orchestrators until it answers 200; its 503s are expected while the subgraphs start. */
const READINESS_PATH = '/health/ready';

export interface RunningGateway {
  url: string;
  port: number;
  server: http.Server;
  /** The supergraph serving and its reloads (gateway/supergraph/federation-gateway.ts). */
  federation: FederationGateway;
  /** The gateway's operation limits, for other transports (graphql-ws) to apply the same rules. */
  checkOperationLimits: (operation: string | DocumentNode) => LimitVerdict;
  /** /metrics on a port of its own (GATEWAY_METRICS_PORT), when it has one. */
  metricsUrl?: string;
  /** Stops accepting, lets in-flight requests finish (up to GATEWAY_SHUTDOWN_GRACE_MS), then closes. */
  stop: () => Promise<void>;
}

export interface StartGatewayOptions {
  config: PlatformConfig;
  log: Logger;
  port?: number;
  host?: string;
  /** URLs by subgraph name, over the supergraph's and the environment's. */
  subgraphUrls?: Partial<Record<string, string>>;
  /** A supergraph served as is; defaults to GATEWAY_SUPERGRAPH_FILE or schema/supergraph.graphql (reloaded on change). */
  supergraphSdl?: string;
  /** Database for rate limits and readiness; defaults to config.databaseUrl. */
  databaseUrl?: string;
  /** The demo administrator's dev token for the explorer and the web client (embedded dev mode only). */
  devToken?: () => Promise<string | undefined>;
}

function createRateLimiter(config: PlatformConfig, databaseUrl: string | undefined, log: Logger): RateLimiter | undefined {
  const { store } = config.gateway.rateLimit;
  if (store === 'off') return undefined;
  if (store === 'postgres' && databaseUrl) return createPostgresRateLimiter(databaseUrl, log);
  if (store === 'postgres') log.warn('GATEWAY_RATE_LIMIT_STORE=postgres without a database: rate limits are per process');
  return createMemoryRateLimiter();
}

/** /metrics alone on its own port (GATEWAY_METRICS_PORT), for a scraper inside the network. */
async function serveMetrics(port: number, host: string | undefined, token: string | undefined): Promise<{ server: http.Server; url: string }> {
  const route = metricsRoute({ token });
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '/').split('?')[0] !== '/metrics') return sendJson(response, 404, { error: 'Only GET /metrics here' });
    route.handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, host ?? '127.0.0.1', resolve));
  return { server, url: `http://${host && host !== '0.0.0.0' ? host : '127.0.0.1'}:${(server.address() as AddressInfo).port}/metrics` };
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config, log } = options;
  const settings = config.gateway;
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;
  startTracing('gateway', config.tracing);
  const gateway = await createGateway(options);
  warmUpOperationLimits();
  const rateLimiter = createRateLimiter(config, databaseUrl, log);
  const safelist = settings.safelistFile ? loadSafelist(settings.safelistFile) : undefined;
  if (safelist) log.info({ operations: safelist.size }, 'safelist mode: only persisted operations run');
  const grantPolicies = settings.policiesFile ? loadPolicyGrants(settings.policiesFile) : undefined;
  const verifyUserToken = cachedTokenVerifier(createUserTokenVerifier(config.auth, grantPolicies));
  const quota = new SubscriptionQuota(settings.maxSubscriptionsPerConnection, settings.maxSubscriptionsPerUser);
  const pipeline = createGatewayPipeline({ config: settings, verifyUserToken, rateLimiter, safelist, anonymous: settings.anonymous, subscriptionSteps: [quota.step] });
  const graphql = createGraphQLEndpoint({
    server: gateway.server,
    config: settings,
    pipeline,
    rateLimiter,
    fastLane: gateway.fastLane,
    formatErrors: gateway.formatErrors,
    onFailed: (error, requestId) => log.error({ err: error, requestId }, 'incremental answer failed'),
  });
  const cors = createCors(settings.corsOrigins);
  const trust = trustedProxies(settings.trustProxy);

  let draining = false;
  const subgraphHealth = (name: string) => async () => {
    const url = new URL('/health/live', gateway.urls()[name]);
    const response = await fetch(url, { signal: AbortSignal.timeout(1500) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  };
  const db = databaseUrl ? createKysely(databaseUrl) : undefined;
  const readiness = (): ReadinessChecks => ({
    ...(draining && {
      shutdown: async () => {
        throw new Error('draining');
      },
    }),
    ...(db && { database: async () => void (await sql`SELECT 1`.execute(db)) }),
    // The platform's subgraphs answer /health/live; those of another supergraph need not.
    ...Object.fromEntries(
      gateway
        .subgraphNames()
        .filter((name) => (SUBGRAPH_NAMES as readonly string[]).includes(name))
        .map((name) => [name, subgraphHealth(name)]),
    ),
  });
  // Plain HTTP that lives on the public origin, streamed to the service that owns it (when the supergraph has it).
  const urls = gateway.urls();
  const forward = (method: HttpRoute['method'], path: string, subgraph: string) =>
    urls[subgraph] ? [{ method, path, handle: forwardTo(urls[subgraph], subgraph, { trust, timeoutMs: settings.forwardTimeoutMs }) }] : [];
  const web = createWebRoutes({ config, devToken: options.devToken });
  const routes = [
    ...healthRoutes('gateway', readiness),
    ...web.routes,
    // Off the public port unless configured (GATEWAY_METRICS_PORT): by default only outside production.
    ...(settings.metricsPort === 'public' ? [metricsRoute({ token: settings.metricsToken })] : []),
    ...(['GET', 'PUT', 'POST'] as const).flatMap((method) => forward(method, '/files/', 'documents')),
    // Resumable uploads (tus) speak these too.
    ...(['PATCH', 'DELETE', 'OPTIONS'] as const).flatMap((method) => forward(method, '/files/tus', 'documents')),
    ...(['PATCH', 'DELETE', 'OPTIONS'] as const).flatMap((method) => forward(method, '/files/tus/', 'documents')),
    ...forward('GET', '/recordings/', 'meet'),
    ...forward('GET', '/attendance/', 'meet'),
    ...forward('GET', '/calendar/feed/', 'calendar'),
    ...forward('POST', '/webhooks/livekit', 'meet'),
    ...forward('POST', '/events/ingest', 'erp'),
  ];

  let inFlight = 0;
  let drained: (() => void) | undefined;
  const serve = async (request: http.IncomingMessage, response: http.ServerResponse, info: RequestInfo, pathname: string) => {
    if (refuseContentCoding(request, response, pathname === '/graphql' || pathname === SSE_PATH)) return;
    if (pathname === SSE_PATH) return subscriptions.handleSse(request, response); // subscriptions hook
    if (web.wantsExplorer(request, pathname)) return web.serveExplorer(request, response);
    if (pathname === '/graphql') {
      if (cors.handle(request, response)) return;
      // A graphql-sse client pointed at /graphql: served as on SSE_PATH.
      if (acceptsOnlyEventStream(request.headers.accept)) return subscriptions.handleSse(request, response);
      return graphql(request, response, info);
    }
    const route = findRoute(routes, request);
    if (!route) return refuseUnrouted(routes, request, response, pathname);
    return route.handle(request, response);
  };

  const server = http.createServer((request, response) => {
    const started = performance.now();
    const url = request.url ?? '/';
    const queryIndex = url.indexOf('?');
    const pathname = queryIndex >= 0 ? url.slice(0, queryIndex) : url;
    const info: RequestInfo = { requestId: requestIdOf(request), clientIp: clientIp(request, trust) };
    response.setHeader('x-request-id', info.requestId);
    if (draining) response.setHeader('connection', 'close');
    inFlight++;
    gatewayMetrics.inFlight.count++;
    response.once('close', () => {
      inFlight--;
      gatewayMetrics.inFlight.count--;
      // The entry is built only when it is logged (the benchmark and quiet deployments log at warn). A readiness
      // 503 is an answer ("not ready yet", polled until the subgraphs are up), not a failed request.
      const failed = response.statusCode >= 500 && !answeredBuildPending(response) && pathname !== READINESS_PATH;
      if (failed || (pathname === '/graphql' && log.isLevelEnabled('info'))) {
        const entry = { ...info, method: request.method, path: pathname, status: response.statusCode, ms: Math.round(performance.now() - started) };
        if (failed) log.error(entry, 'request failed');
        else log.info(entry, 'request');
      }
      if (inFlight === 0) drained?.();
    });
    const run = () =>
      serve(request, response, info, pathname).catch((error: unknown) => {
        log.error({ err: error, requestId: info.requestId }, 'request failed');
        if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        else response.destroy();
      });
    if (!tracingEnabled()) return void run();
    void withServerSpan(
      `${request.method} ${pathname}`,
      request,
      { 'http.request.method': request.method, 'url.path': pathname, 'bheem.request_id': info.requestId },
      async (span) => {
        await run();
        span.setAttribute('http.response.status_code', response.statusCode);
        if (info.operationName) span.setAttribute('graphql.operation.name', info.operationName);
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  // Ordinary requests arrive within a total time, uploads may take as long as their bytes keep coming.
  boundRequestTime(server, config.http);
  // Expect: 100-continue is answered once a route reads the body: a refusal comes in its place.
  continueWhenRead(server);
  // What Node refuses before any route (unparsable requests, an unknown Expect, CONNECT) is answered with a message too.
  // /graphql and its stream are served outside the routes, with what Apollo's and the SSE transport's 405 allow.
  answerProtocolRefusals(server, routes, ['/graphql', SSE_PATH]);
  // Subscriptions hook: graphql-ws on /graphql and SSE on /graphql/stream (gateway/subscriptions/).
  const subscriptions = startGatewaySubscriptions({
    server,
    config,
    log,
    supergraph: gateway.gateway.current,
    pipeline,
    trust,
    queries: streamedQueries({
      serving: () => gateway.gateway.current,
      introspection: settings.introspection,
      formatErrors: gateway.formatErrors,
      maxResponseBytes: settings.maxResponseBytes,
      onFailed: (error) => log.error({ err: error }, 'streamed answer failed'),
    }),
  });
  gateway.gateway.onServing((serving) => subscriptions.engine.update(serving));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}/graphql`;
  log.info({ url }, 'gateway listening');

  let stopping: Promise<void> | undefined;
  const metricsServer = typeof settings.metricsPort === 'number' ? await serveMetrics(settings.metricsPort, options.host, settings.metricsToken) : undefined;

  const stop = async () => {
    draining = true;
    await subscriptions.close(); // subscriptions hook: clients get 1001 (going away)
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise<void>((resolve) => setTimeout(resolve, settings.shutdownGraceMs).unref())]);
    }
    server.closeAllConnections();
    await closed;
    await gateway.stop();
    await rateLimiter?.close();
    await flushTraces();
    if (metricsServer) await new Promise<void>((resolve) => metricsServer.server.close(() => resolve()));
  };

  return {
    url,
    metricsUrl: metricsServer?.url,
    port,
    server,
    federation: gateway.gateway,
    checkOperationLimits: (operation) => checkOperationLimits(operation, settings.limits),
    stop: () => (stopping ??= stop()),
  };
}
