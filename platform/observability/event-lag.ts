/**
 * Event lag: how long after its outbox row was written an event reached a
 * consumer. Consumers of the event backbone call `recordEventLag` for every
 * event they process; Prometheus reads `bheem_event_lag_seconds`.
 */
import client from 'prom-client';
import { instrument, metricsRegistry } from './metrics.js';

const lag = instrument(
  'bheem_event_lag_seconds',
  () =>
    new client.Histogram({
      name: 'bheem_event_lag_seconds',
      help: 'Delay between an event being written to the outbox and a consumer processing it',
      labelNames: ['consumer', 'topic'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [metricsRegistry],
    }),
);

export function recordEventLag(consumer: string, topic: string, createdAt: Date): void {
  lag.observe({ consumer, topic }, Math.max(0, (Date.now() - createdAt.getTime()) / 1000));
}
