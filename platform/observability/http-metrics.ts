/**
 * Request count and latency of a service's HTTP server (subgraphs; the
 * gateway counts per GraphQL operation instead, see gateway/gateway-metrics.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import client from 'prom-client';
import { LATENCY_BUCKETS, instrument, metricsRegistry } from './metrics.js';

const requests = instrument(
  'bheem_http_requests_total',
  () =>
    new client.Counter({
      name: 'bheem_http_requests_total',
      help: 'HTTP requests served, by service, route and status',
      labelNames: ['service', 'route', 'status'],
      registers: [metricsRegistry],
    }),
);
const duration = instrument(
  'bheem_http_request_duration_seconds',
  () =>
    new client.Histogram({
      name: 'bheem_http_request_duration_seconds',
      help: 'HTTP request latency, by service and route',
      labelNames: ['service', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [metricsRegistry],
    }),
);

/** Records the request when its response is done. `route` must be a known path, never the raw URL. */
export function measureRequest(service: string, route: string, _request: IncomingMessage, response: ServerResponse): void {
  const started = performance.now();
  response.once('close', () => {
    requests.inc({ service, route, status: String(response.statusCode) });
    duration.observe({ service, route }, (performance.now() - started) / 1000);
  });
}
