import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../subgraph/subgraph-module.js';

export function findRoute(routes: readonly HttpRoute[], request: IncomingMessage): HttpRoute | undefined {
  const url = request.url ?? '/';
  const queryIndex = url.indexOf('?');
  const pathname = queryIndex >= 0 ? url.slice(0, queryIndex) : url;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return routes.find(
    (route) => (route.method === request.method || route.method === method) && (route.path.endsWith('/') ? pathname.startsWith(route.path) : pathname === route.path),
  );
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
