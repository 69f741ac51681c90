import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../subgraph/subgraph-module.js';
import { sendJson } from './respond.js';

const servesPath = (route: HttpRoute, pathname: string) => (route.path.endsWith('/') ? pathname.startsWith(route.path) : pathname === route.path);

export function findRoute(routes: readonly HttpRoute[], request: IncomingMessage): HttpRoute | undefined {
  const url = request.url ?? '/';
  const queryIndex = url.indexOf('?');
  const pathname = queryIndex >= 0 ? url.slice(0, queryIndex) : url;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return routes.find((route) => (route.method === request.method || route.method === method) && servesPath(route, pathname));
}

/** The methods some route serves `pathname` with (HEAD wherever GET), sorted: a 405's Allow. */
export function allowedMethods(routes: readonly HttpRoute[], pathname: string): string[] {
  const methods = new Set(routes.filter((route) => servesPath(route, pathname)).flatMap((route) => (route.method === 'GET' ? ['GET', 'HEAD'] : [route.method])));
  return [...methods].sort();
}

/** No route for this request: 405 with Allow when its path is served with other methods (RFC 9110 §15.5.6), else 404. */
export function refuseUnrouted(routes: readonly HttpRoute[], request: IncomingMessage, response: ServerResponse, pathname: string): void {
  const allowed = allowedMethods(routes, pathname);
  if (allowed.length === 0) return sendJson(response, 404, { error: `No route for ${request.method} ${pathname}` });
  sendJson(response, 405, { error: `${request.method} is not served at ${pathname}: use ${allowed.join(', ')}` }, { allow: allowed.join(', ') });
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
