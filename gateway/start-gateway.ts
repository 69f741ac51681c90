/**
 * The gateway's HTTP server: GraphQL at /graphql (callers must present a
 * Passport token), health endpoints, and /files/* forwarded to the documents
 * service (signed upload and download URLs live on the public origin).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUserTokenVerifier, bearerToken } from '../platform/auth/user-token.js';
import type { PlatformConfig, SubgraphName } from '../platform/config.js';
import { unauthenticated } from '../platform/errors.js';
import { createGraphQLHttpHandler } from '../platform/http/graphql-http.js';
import { healthRoutes } from '../platform/http/health.js';
import { sendJson } from '../platform/http/respond.js';
import { findRoute } from '../platform/http/router.js';
import type { Logger } from '../platform/logger.js';
import { createGateway } from './create-gateway.js';
import type { GatewayContext } from './gateway-context.js';
import { forwardTo } from './forward.js';

export interface RunningGateway {
  url: string;
  port: number;
  server: http.Server;
  stop: () => Promise<void>;
}

export async function startGateway(options: {
  config: PlatformConfig;
  log: Logger;
  port?: number;
  host?: string;
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
}): Promise<RunningGateway> {
  const { config, log } = options;
  const gateway = await createGateway(options);
  const verifyUserToken = createUserTokenVerifier(config.auth);

  const graphql = createGraphQLHttpHandler<GatewayContext>({
    server: gateway.server,
    maxBodyBytes: 1_000_000,
    context: async (request) => {
      const token = bearerToken(request.headers.authorization);
      if (!token) throw unauthenticated();
      const viewer = await verifyUserToken(token);
      const requestId = (request.headers['x-request-id'] as string | undefined) ?? randomUUID();
      return { viewer, requestId };
    },
  });

  const subgraphHealth = (name: SubgraphName) => async () => {
    const url = new URL('/health/live', gateway.urls[name]);
    const response = await fetch(url, { signal: AbortSignal.timeout(1500) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  };
  const routes = [
    ...healthRoutes('gateway', () =>
      Object.fromEntries((Object.keys(gateway.urls) as SubgraphName[]).map((name) => [name, subgraphHealth(name)])),
    ),
    { method: 'GET' as const, path: '/files/', handle: forwardTo(gateway.urls.documents) },
    { method: 'PUT' as const, path: '/files/', handle: forwardTo(gateway.urls.documents) },
  ];

  const server = http.createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0];
    const handler = pathname === '/graphql' ? graphql : findRoute(routes, request)?.handle;
    if (!handler) return sendJson(response, 404, { error: `No route for ${request.method} ${pathname}` });
    handler(request, response).catch((error: unknown) => {
      log.error({ err: error }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'Internal error' });
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}/graphql`;
  log.info({ url }, 'gateway listening');
  return {
    url,
    port,
    server,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await gateway.stop();
    },
  };
}
