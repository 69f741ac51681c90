/**
 * The gateway's Prometheus instruments (served at /metrics with the
 * process's default metrics). Operation names are bounded labels: only
 * operations that passed validation are named, and at most a few hundred.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import client from 'prom-client';
import { LATENCY_BUCKETS, boundedLabel, instrument, metricsRegistry } from '../platform/observability/metrics.js';
import { type CounterSeries, type HistogramSeries, SeriesCounter, SeriesHistogram } from '../platform/observability/series-metrics.js';
import type { GatewayContext } from './gateway-context.js';

const registers = [metricsRegistry];

/** A gauge that is a count kept by its users, read when scraped: moved twice a request, prom-client's would hash its labels each time. */
class CountedGauge extends client.Gauge {
  count = 0;
}

export const gatewayMetrics = {
  // Counted on every request: series taken once (platform/observability/series-metrics.ts), not labels hashed each time.
  requests: instrument(
    'bheem_gateway_requests_total',
    () =>
      new SeriesCounter({
        name: 'bheem_gateway_requests_total',
        help: 'GraphQL requests by operation and outcome (ok, error: answered with errors, refused: stopped before execution)',
        labelNames: ['operation', 'type', 'outcome'],
        registers,
      }),
  ),
  duration: instrument(
    'bheem_gateway_request_duration_seconds',
    () =>
      new SeriesHistogram({
        name: 'bheem_gateway_request_duration_seconds',
        help: 'GraphQL request latency by operation',
        labelNames: ['operation', 'type'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
  ),
  errors: instrument(
    'bheem_gateway_errors_total',
    () =>
      new client.Counter({
        name: 'bheem_gateway_errors_total',
        help: 'Errors returned to clients, by extensions.code',
        labelNames: ['code'],
        registers,
      }),
  ),
  subgraphFetch: instrument(
    'bheem_gateway_subgraph_fetch_duration_seconds',
    () =>
      new SeriesHistogram({
        name: 'bheem_gateway_subgraph_fetch_duration_seconds',
        help: 'Latency of gateway calls to subgraphs, by subgraph and outcome (ok, error: unreachable, slow or not GraphQL)',
        labelNames: ['subgraph', 'outcome'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
  ),
  subgraphRequestsMerged: instrument(
    'bheem_gateway_subgraph_requests_merged_total',
    () =>
      new client.Counter({
        name: 'bheem_gateway_subgraph_requests_merged_total',
        help: 'Subgraph queries not sent because one with the same identity and body was in flight: they shared its answer (gateway/in-flight-requests.ts)',
        labelNames: ['subgraph'],
        registers,
      }),
  ),
  fastLane: instrument(
    'bheem_gateway_fast_lane_requests_total',
    () =>
      new SeriesCounter({
        name: 'bheem_gateway_fast_lane_requests_total',
        help: "GraphQL requests answered without Apollo Server's pipeline (an operation text it already let through; see gateway/fast-lane.ts)",
        registers,
      }),
  ),
  activeSubscriptions: instrument(
    'bheem_gateway_active_subscriptions',
    () =>
      new client.Gauge({
        name: 'bheem_gateway_active_subscriptions',
        help: 'Subscriptions currently open through the gateway (any transport)',
        registers,
      }),
  ),
  inFlight: instrument(
    'bheem_gateway_in_flight_requests',
    () =>
      new CountedGauge({
        name: 'bheem_gateway_in_flight_requests',
        help: 'HTTP requests being served',
        registers,
        collect() {
          this.set((this as CountedGauge).count);
        },
      }),
  ),
  fallbacks: instrument(
    'bheem_gateway_executor_fallbacks_total',
    () =>
      new client.Counter({
        name: 'bheem_gateway_executor_fallbacks_total',
        help: "Operations our executor does not run, refused with OPERATION_NOT_SUPPORTED (once handed to @apollo/gateway's executor), by reason (gateway/execution/unsupported.ts)",
        labelNames: ['reason'],
        registers,
      }),
  ),
  operationsWaiting: instrument(
    'bheem_gateway_operations_waiting',
    () =>
      new client.Gauge({
        name: 'bheem_gateway_operations_waiting',
        help: 'Operations of several subgraph fetches waiting for their turn (GATEWAY_CONCURRENT_PLANS)',
        registers,
      }),
  ),
};

const operationLabel = boundedLabel();

/** An operation's series, by its label and type: taken once, counted into on every request. */
interface OperationSeries {
  duration: HistogramSeries;
  ok: CounterSeries;
  error: CounterSeries;
}
const operationSeries = new Map<string, Map<string, OperationSeries>>();

function seriesOf(operation: string, type: string): OperationSeries {
  let byType = operationSeries.get(operation);
  if (!byType) operationSeries.set(operation, (byType = new Map()));
  let series = byType.get(type);
  if (!series) {
    series = {
      duration: gatewayMetrics.duration.series({ operation, type }),
      ok: gatewayMetrics.requests.series({ operation, type, outcome: 'ok' }),
      error: gatewayMetrics.requests.series({ operation, type, outcome: 'error' }),
    };
    byType.set(type, series);
  }
  return series;
}

/** Counts a request refused before it reached Apollo (limits, rate limits, authentication, size). */
export function countRefusal(code: string): void {
  gatewayMetrics.errors.inc({ code });
  gatewayMetrics.requests.inc({ operation: '(refused)', type: 'unknown', outcome: 'refused' });
}

/** Counts the error codes of an answer (as they were before formatting). */
export function countErrors(errors: readonly { extensions?: Record<string, unknown> }[]): void {
  for (const error of errors) gatewayMetrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
}

/** Counts an answered operation and its latency since `started` (performance.now()). */
export function countOperation(operationName: string | null | undefined, type: string, failed: boolean, started: number): void {
  const series = seriesOf(operationLabel(operationName), type);
  series.duration.observe((performance.now() - started) / 1000);
  (failed ? series.error : series.ok).inc();
}

/** Per operation: count, latency, and the code of every error in the answer. */
export function metricsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation: string | null = '(invalid)';
      let type = 'unknown';
      let failed = false;
      return {
        async didResolveOperation({ operationName, operation: definition }) {
          operation = operationName;
          type = definition?.operation ?? 'unknown';
        },
        async didEncounterErrors({ errors }) {
          failed = true;
          countErrors(errors);
        },
        async willSendResponse() {
          countOperation(operation, type, failed, started);
        },
      };
    },
  };
}
