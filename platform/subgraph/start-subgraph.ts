/**
 * Serves one subgraph: Apollo Server 5 with `buildSubgraphSchema`, behind the
 * platform's small HTTP layer (GraphQL at /graphql, health, Prometheus
 * /metrics, the module's own routes). Identity is verified before any
 * resolver runs. With tracing configured, each request continues the
 * gateway's trace (W3C traceparent).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { sql } from 'kysely';
import { parse, type GraphQLFormattedError } from 'graphql';
import { createUserTokenVerifier } from '../auth/user-token.js';
import type { Viewer } from '../auth/viewer.js';
import { createKysely } from '../database/connection.js';
import { createGraphQLHttpHandler } from '../http/graphql-http.js';
import { refuseContentCoding } from '../http/content-coding.js';
import { healthRoutes } from '../http/health.js';
import { findRoute, refuseUnrouted } from '../http/router.js';
import { sendJson } from '../http/respond.js';
import { boundRequestTime } from '../http/request-time-bounds.js';
import { continueWhenRead } from '../http/expect-continue.js';
import { answerProtocolRefusals } from '../http/protocol-refusals.js';
import { readSchemaFile } from '../paths.js';
import { formatError } from '../graphql/format-error.js';
import { textInputPlugin } from '../graphql/text-input.js';
// Registered up front so that every subgraph exposes event lag, even before its first event.
import '../observability/event-lag.js';
import { measureRequest } from '../observability/http-metrics.js';
import { metricsRoute } from '../observability/metrics.js';
import { startTracing, tracingEnabled, withServerSpan } from '../observability/tracing.js';
import { createSubgraphAuthenticator } from './authenticate.js';
import { createFastPath, installedPlugins } from './fast-path.js';
import { resolveEntitiesPromptly } from './prompt-entities.js';
import { RequestBase } from './request-base.js';
import { serveSubscriptions } from './subscriptions/serve-subscriptions.js';
import type { BaseContext, SubgraphDeps, SubgraphModule } from './subgraph-module.js';

/** Every answer at /graphql, refusals included (but a Content-Encoding's, refused before it). */
const NO_STORE = { 'cache-control': 'no-store' };

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  server: http.Server;
  stop: () => Promise<void>;
}

/** Fires when the response's connection closes before the answer is out: nobody is waiting for it any more. */
function callerGone(response: http.ServerResponse): AbortSignal {
  const controller = new AbortController();
  // 'close' comes once: no once() wrapper.
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

export interface StartSubgraphOptions {
  /**
   * What executes the fast path's known texts (fast-path.ts): graphql-jit, the default and what every deployment runs,
   * or graphql-js, for tests that compare the two over the real subgraphs (test/fast-path-engines-stack.test.ts).
   */
  fastPathEngine?: 'jit' | 'graphql-js';
}

export async function startSubgraph<TContext extends BaseContext>(
  module: SubgraphModule<TContext>,
  deps: SubgraphDeps,
  listen: { port: number; host?: string } = { port: 0 },
  options: StartSubgraphOptions = {},
): Promise<RunningSubgraph> {
  const { config, log } = deps;
  startTracing(module.name, config.tracing);
  const runtime = await module.start(deps);
  const schema = buildSubgraphSchema({
    typeDefs: parse(readSchemaFile(module.name)),
    resolvers: module.resolvers as never,
  });
  // Entities whose references resolve at once are answered without a promise each (prompt-entities.ts).
  resolveEntitiesPromptly(schema);
  const formatErrorLogged = (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error, log);
  const textInput = textInputPlugin();
  // The fast path runs the text checks itself (checkTextInput).
  const fastPath = createFastPath({
    service: module.name,
    schema,
    formatError: formatErrorLogged,
    includeStacktrace: !config.production,
    accountedFor: [textInput],
    engine: options.fastPathEngine,
  });
  const apollo = new ApolloServer<TContext>({
    schema,
    // Subgraphs sit behind the gateway: no landing page, traces or introspection for outsiders.
    introspection: !config.production,
    includeStacktraceInErrorResponses: !config.production,
    formatError: formatErrorLogged,
    // Apollo's default plugins cost every request for nothing here: inline traces (our tracing is OpenTelemetry's);
    // cache control, whose willResolveField hook wraps every resolver of the schema, while no type or field carries
    // a cache hint and nothing caches subgraph answers (they go out as `no-store`, below); usage and schema
    // reporting (no Apollo Studio, whatever APOLLO_KEY says). Text arguments are checked here, for every subgraph
    // alike (platform/graphql/text-input.ts).
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      textInput,
      // Texts that reach execution are served past this pipeline next time (fast-path.ts).
      fastPath.plugin,
    ],
    csrfPrevention: false, // only the gateway (a server, not a browser) may call us, and it signs every request
    // Shutdown is ours (platform/bootstrap/shutdown.ts, npm start's): Apollo's own handlers would stop this server
    // and send the signal again, which reads as a second Ctrl-C and exits 1 mid-stop.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  // With Apollo's defaults now added: any plugin with per-request work must be accounted for by the fast path.
  fastPath.checkPlugins(installedPlugins(apollo));

  const authenticate = createSubgraphAuthenticator(config, module.name, createUserTokenVerifier(config.auth));
  const contextFor = (request: http.IncomingMessage, response: http.ServerResponse, viewer: Viewer): TContext => {
    const requestId = (request.headers['x-request-id'] as string | undefined) ?? randomUUID();
    // The request's statements are cancelled when its caller (the gateway) gives up on it.
    return runtime.createContext(new RequestBase(viewer, requestId, callerGone(response), log));
  };
  const graphql = createGraphQLHttpHandler<TContext>({
    server: apollo,
    maxBodyBytes: 5_000_000,
    fastPath,
    // What Apollo's cache-control plugin answered for every operation without hints.
    answerHeaders: NO_STORE,
    // The gateway's signed identity is checked at once, and the context built without a promise.
    context: (request, rawBody, response) => {
      const viewer = authenticate(request, rawBody);
      return viewer instanceof Promise ? viewer.then((verified) => contextFor(request, response, verified)) : contextFor(request, response, viewer);
    },
  });
  const db = createKysely(deps.databaseUrl);
  const routes = [
    ...healthRoutes(module.name, () => ({
      database: async () => void (await sql`SELECT 1`.execute(db)),
      ...runtime.readiness,
    })),
    metricsRoute(),
    ...(runtime.routes ?? []),
  ];

  const server = http.createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0]!;
    const route = pathname === '/graphql' ? undefined : findRoute(routes, request);
    const handler = pathname === '/graphql' ? graphql : route?.handle;
    if (!handler) return refuseUnrouted(routes, request, response, pathname);
    // No route but a handler: /graphql (a constant string: the route's series are found by it).
    measureRequest(module.name, route?.path ?? '/graphql', request, response);
    if (refuseContentCoding(request, response, pathname === '/graphql')) return;
    const run = () =>
      handler(request, response).catch((error: unknown) => {
        log.error({ err: error }, 'request failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'Internal error' }, handler === graphql ? NO_STORE : {});
        else response.destroy();
      });
    if (!tracingEnabled()) return void run();
    const attributes = { 'bheem.subgraph': module.name, 'url.path': pathname, 'bheem.request_id': String(request.headers['x-request-id'] ?? '') };
    void withServerSpan(`${module.name} ${request.method} ${pathname}`, request, attributes, async (span) => {
      await run();
      span.setAttribute('http.response.status_code', response.statusCode);
    });
  });
  server.keepAliveTimeout = 65_000;
  // Ordinary requests arrive within a total time, uploads may take as long as their bytes keep coming.
  boundRequestTime(server, config.http);
  // Expect: 100-continue is answered once a route reads the body: a refusal comes in its place.
  continueWhenRead(server);
  // What Node refuses before any route (unparsable requests, an unknown Expect, CONNECT) is answered with a message too.
  // /graphql is served outside the routes, with what Apollo's 405 allows.
  answerProtocolRefusals(server, routes);
  // Subscriptions: graphql-ws on /graphql, for the gateway (see subscriptions/serve-subscriptions.ts).
  const subscriptions = serveSubscriptions({ server, schema, audience: module.name, config, databaseUrl: deps.databaseUrl, log, createContext: runtime.createContext });
  // A port in use (EADDRINUSE) fails the start with the reason, rather than as an uncaught 'error' event.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${listen.host && listen.host !== '0.0.0.0' ? listen.host : '127.0.0.1'}:${port}/graphql`;
  log.info({ url }, `${module.name} subgraph listening`);

  return {
    name: module.name,
    url,
    port,
    server,
    stop: async () => {
      await subscriptions.close(); // subscriptions hook
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await runtime.stop?.();
    },
  };
}
