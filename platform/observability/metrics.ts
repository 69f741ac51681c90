/**
 * Prometheus metrics (prom-client) of this process, served at `/metrics`.
 * One registry per process: gateway, subgraphs and event consumers register
 * their instruments here once, whatever number of servers a test starts.
 */
import { timingSafeEqual } from 'node:crypto';
import client from 'prom-client';
import type { HttpRoute } from '../subgraph/subgraph-module.js';

export const metricsRegistry = new client.Registry();
client.collectDefaultMetrics({ register: metricsRegistry, prefix: 'bheem_' });

/** Latency buckets, in seconds, for GraphQL requests and subgraph fetches. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Creates an instrument once per process (module reloads in tests must not register twice). */
export function instrument<T>(name: string, create: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Label values a client can influence (operation names) are bounded: past
 * `max` distinct values, new ones are reported as "(other)", so a caller
 * cannot blow up the number of series.
 */
export function boundedLabel(max = 300): (value: string | undefined | null) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!value) return '(anonymous)';
    if (seen.has(value)) return value;
    if (seen.size >= max || value.length > 100) return '(other)';
    seen.add(value);
    return value;
  };
}

/** Whether `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `/metrics`; with `token`, only for `Authorization: Bearer <token>` (operation names are clients' words, counts tell load). */
export function metricsRoute(options: { token?: string } = {}): HttpRoute {
  const { token } = options;
  return {
    method: 'GET',
    path: '/metrics',
    handle: async (request, response) => {
      if (token !== undefined && !bearerMatches(request.headers.authorization, token)) {
        response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
        response.end('metrics need a bearer token\n');
        return;
      }
      const body = await metricsRegistry.metrics();
      response.writeHead(200, { 'content-type': metricsRegistry.contentType });
      response.end(body);
    },
  };
}
