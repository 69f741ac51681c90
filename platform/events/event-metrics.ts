/**
 * Lag of every consumer group as Prometheus gauges, read from the database
 * when `/metrics` is scraped (event-status.ts): events behind, age of the
 * oldest of them, open dead letters. Any process that runs a consumer
 * exposes them for all groups; the per-event delay from outbox to handler is
 * the `bheem_event_lag_seconds` histogram (platform/observability).
 */
import client from 'prom-client';
import { createKysely } from '../database/connection.js';
import { instrument, metricsRegistry } from '../observability/metrics.js';
import { readConsumerStatus, type ConsumerGroupStatus } from './event-status.js';

let databaseUrl: string | undefined;
let cached: { at: number; status: Promise<ConsumerGroupStatus[]> } | undefined;

/** One query per scrape, whichever gauge asks first. */
function currentStatus(): Promise<ConsumerGroupStatus[]> {
  if (!databaseUrl) return Promise.resolve([]);
  if (!cached || Date.now() - cached.at > 1_000) {
    const status = readConsumerStatus(createKysely(databaseUrl)).catch(() => []);
    cached = { at: Date.now(), status };
  }
  return cached.status;
}

function gauge(name: string, help: string, value: (group: ConsumerGroupStatus) => number): void {
  instrument(
    name,
    () =>
      new client.Gauge({
        name,
        help,
        labelNames: ['group'],
        registers: [metricsRegistry],
        async collect() {
          this.reset();
          for (const group of await currentStatus()) this.set({ group: group.group }, value(group));
        },
      }),
  );
}

/** Registers the gauges (once per process) and points them at this database. */
export function registerEventMetrics(url: string): void {
  databaseUrl = url;
  cached = undefined;
  gauge('bheem_events_consumer_behind', 'Committed events of a consumer group’s topics not yet handled', (group) => group.behind);
  gauge('bheem_events_consumer_oldest_age_seconds', 'Age of the oldest event a consumer group has not yet handled', (group) => group.oldestAgeSeconds);
  gauge('bheem_events_dead_letters', 'Dead letters of a consumer group not yet replayed or discarded', (group) => group.deadLetters);
}
