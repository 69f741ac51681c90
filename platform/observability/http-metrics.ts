/**
 * Request count and latency of a service's HTTP server (subgraphs; the
 * gateway counts per GraphQL operation instead, see gateway/gateway-metrics.ts).
 * Counted on every subgraph fetch: each route's series are taken once
 * (series-metrics.ts) and counted into when its response closes, where
 * prom-client's inc and observe hashed and checked two label objects a request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LATENCY_BUCKETS, instrument, metricsRegistry } from './metrics.js';
import { type CounterSeries, type HistogramSeries, SeriesCounter, SeriesHistogram } from './series-metrics.js';

const requests = instrument(
  'bheem_http_requests_total',
  () =>
    new SeriesCounter({
      name: 'bheem_http_requests_total',
      help: 'HTTP requests served, by service, route and status',
      labelNames: ['service', 'route', 'status'],
      registers: [metricsRegistry],
    }),
);
const duration = instrument(
  'bheem_http_request_duration_seconds',
  () =>
    new SeriesHistogram({
      name: 'bheem_http_request_duration_seconds',
      help: 'HTTP request latency, by service and route',
      labelNames: ['service', 'route'],
      buckets: LATENCY_BUCKETS,
      registers: [metricsRegistry],
    }),
);

/** One route's series: its latency, and its count by status (taken on the status' first request, as prom-client made them). */
class RouteSeries {
  private readonly byStatus = new Map<number, CounterSeries>();
  readonly duration: HistogramSeries;

  constructor(
    private readonly service: string,
    private readonly route: string,
  ) {
    this.duration = duration.series({ service, route });
  }

  count(status: number): void {
    let series = this.byStatus.get(status);
    if (!series) this.byStatus.set(status, (series = requests.series({ service: this.service, route: this.route, status: String(status) })));
    series.inc();
  }
}

/** Series by service, then route: a process serves one service (tests several), each a handful of routes. */
const routeSeries = new Map<string, Map<string, RouteSeries>>();

function seriesOf(service: string, route: string): RouteSeries {
  let byRoute = routeSeries.get(service);
  if (!byRoute) routeSeries.set(service, (byRoute = new Map()));
  let series = byRoute.get(route);
  if (!series) byRoute.set(route, (series = new RouteSeries(service, route)));
  return series;
}

/** Records the request when its response is done. `route` must be a known path, never the raw URL. */
export function measureRequest(service: string, route: string, _request: IncomingMessage, response: ServerResponse): void {
  const series = seriesOf(service, route);
  const started = performance.now();
  // 'close' comes once (Node's emitCloseNT and its socket's close both check `_closed`): no once() wrapper needed.
  response.on('close', () => {
    series.count(response.statusCode);
    series.duration.observe((performance.now() - started) / 1000);
  });
}
