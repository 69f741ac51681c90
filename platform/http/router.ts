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

/** What GraphQL over HTTP is served with (Apollo Server's Allow on its 405). */
export const GRAPHQL_METHODS = ['GET', 'POST'] as const;

/** The methods some route serves `pathname` with (HEAD wherever GET), sorted: a 405's Allow. */
export function allowedMethods(routes: readonly HttpRoute[], pathname: string): string[] {
  const methods = new Set(routes.filter((route) => servesPath(route, pathname)).flatMap((route) => (route.method === 'GET' ? ['GET', 'HEAD'] : [route.method])));
  return [...methods].sort();
}

/** What a request no route serves is told: 405 with Allow when its path is served with other methods (RFC 9110 §15.5.6), else 404. */
export function unroutedRefusal(method: string, pathname: string, allowed: readonly string[]): { status: 404 | 405; error: string; headers: Record<string, string> } {
  if (allowed.length === 0) return { status: 404, error: `No route for ${method} ${pathname}`, headers: {} };
  return { status: 405, error: `${method} is not served at ${pathname}: use ${allowed.join(', ')}`, headers: { allow: allowed.join(', ') } };
}

export function refuseUnrouted(routes: readonly HttpRoute[], request: IncomingMessage, response: ServerResponse, pathname: string): void {
  const { status, error, headers } = unroutedRefusal(request.method ?? '', pathname, allowedMethods(routes, pathname));
  sendJson(response, status, { error }, headers);
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;
