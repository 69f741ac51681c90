import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { metricsRoute } from '../../observability/metrics.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { ensureConsumerGroup } from '../consumer-groups.js';
import { startEventConsumer, type EventConsumer } from '../event-consumer.js';
import { publishTasks, waitFor } from './event-test-support.js';

let database: TestDatabase;
let db: Kysely<any>;
let server: Server;
let consumer: EventConsumer | undefined;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
  const route = metricsRoute();
  server = createServer((request, response) => void route.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await consumer?.stop();
  await new Promise((resolve) => server?.close(resolve));
  await database?.drop();
});

async function scrape(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample of the exposition text, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('event lag on /metrics', () => {
  it('shows, per group, the events behind and the age of the oldest, and the delay of each handled event', async () => {
    // A group nobody runs falls behind; a running one keeps up.
    await ensureConsumerGroup(db, { group: 'idle', topics: ['project.task.created'], partitions: 2, startFrom: 'now' });
    let handled = 0;
    consumer = await startEventConsumer({
      databaseUrl: database.url,
      group: 'live',
      startFrom: 'now',
      retention: false,
      pollIntervalMs: 200,
      rebalanceIntervalMs: 100,
      handlers: { 'project.task.created': async () => void (handled += 1) },
    });
    await waitFor('the live group to hold its partitions', async () => consumer!.heldPartitions().length === 8);
    await publishTasks(db, 6);
    await waitFor('6 handled events', async () => handled >= 6);

    // The cursor commits before the consumer records each event's lag: wait for both to show.
    const text = await waitFor('the live group to have caught up in the metrics', async () => {
      const body = await scrape();
      const caughtUp = sample(body, 'bheem_events_consumer_behind', 'group="live"') === 0;
      return caughtUp && sample(body, 'bheem_event_lag_seconds_count', 'consumer="live",topic="project.task.created"') === 6 && body;
    });
    expect(sample(text, 'bheem_events_consumer_behind', 'group="idle"')).toBe(6);
    expect(sample(text, 'bheem_events_consumer_oldest_age_seconds', 'group="idle"')).toBeGreaterThan(0);
    expect(sample(text, 'bheem_events_consumer_oldest_age_seconds', 'group="live"')).toBe(0);
    expect(sample(text, 'bheem_events_dead_letters', 'group="live"')).toBe(0);
    expect(sample(text, 'bheem_event_lag_seconds_count', 'consumer="live",topic="project.task.created"')).toBe(6);
  });
});
