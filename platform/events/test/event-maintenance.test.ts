import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { metricsRegistry } from '../../observability/metrics.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { ensureConsumerGroup, saveCursors } from '../consumer-groups.js';
import { registerEventMetrics } from '../event-metrics.js';
import { readConsumerStatus } from '../event-status.js';
import { pruneEvents } from '../prune-events.js';
import { publishEvent } from '../publish-event.js';
import { classPayload, COMPANY_ID, publishTasks } from './event-test-support.js';

let database: TestDatabase;
let db: Kysely<any>;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
});
afterAll(() => database?.drop());

const DAY = 86_400_000;
const ids = async () => new Set((await sql<{ id: string }>`SELECT id FROM events.outbox`.execute(db)).rows.map((row) => row.id));
const publishClasses = async (count: number) => {
  const published: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const payload = classPayload();
    const { id } = await db
      .transaction()
      .execute((trx) => publishEvent(trx, { topic: 'meet.class.started', companyId: COMPANY_ID, key: payload.live_class_id, payload, source: 'meet' }));
    published.push(id);
  }
  return published;
};
const age = (eventIds: string[], days: number) => sql`UPDATE events.outbox SET created_at = now() - make_interval(days => ${days}) WHERE id = ANY(${eventIds}::uuid[])`.execute(db);

describe('event maintenance', () => {
  it('prunes old events every group has passed, and keeps those a group still owes', async () => {
    await ensureConsumerGroup(db, { group: 'slow-reader', topics: ['project.task.created'], partitions: 1, startFrom: 'beginning' });
    const key = randomUUID();
    const handled = await publishTasks(db, 3, () => key);
    const owed = await publishTasks(db, 2, () => key);
    const recent = await publishTasks(db, 2, () => key);
    // The group has handled the first three.
    const { rows } = await sql<{ txid: string; position: string }>`
      SELECT txid::text, position::text FROM events.outbox WHERE id = ${handled[2]}`.execute(db);
    await saveCursors(db, 'slow-reader', new Map([[0, rows[0]!]]));
    await age([...handled, ...owed], 10);
    await sql`INSERT INTO events.processed (group_name, event_id, processed_at) VALUES ('slow-reader', ${handled[0]}, now() - interval '10 days')`.execute(db);

    const result = await pruneEvents(db, { maxAgeMs: 7 * DAY });
    expect(result).toMatchObject({ ran: true, events: 3, processed: 1 });
    const left = await ids();
    for (const id of handled) expect(left.has(id)).toBe(false);
    for (const id of [...owed, ...recent]) expect(left.has(id)).toBe(true);
  });

  it('stops keeping events for a group no process has run for long, and says so in the status', async () => {
    await ensureConsumerGroup(db, { group: 'gone-quiet', topics: ['meet.class.started'], partitions: 1, startFrom: 'beginning' });
    const owed = await publishClasses(3);
    await age(owed, 10);
    const prune = () => pruneEvents(db, { maxAgeMs: 7 * DAY, abandonedAfterMs: 14 * DAY });

    // Seen lately: its events are kept, however old.
    expect(await prune()).toMatchObject({ ran: true, events: 0, abandonedGroups: [] });
    expect((await readConsumerStatus(db, { abandonedAfterMs: 14 * DAY })).find((group) => group.group === 'gone-quiet')).toMatchObject({ abandoned: false, behind: 3 });

    await sql`UPDATE events.consumer_groups SET last_seen_at = now() - interval '15 days' WHERE name = 'gone-quiet'`.execute(db);
    const status = (await readConsumerStatus(db, { abandonedAfterMs: 14 * DAY })).find((group) => group.group === 'gone-quiet')!;
    expect(status).toMatchObject({ abandoned: true, members: 0 });
    expect(await prune()).toMatchObject({ ran: true, events: 3, abandonedGroups: ['gone-quiet'] });
    const left = await ids();
    for (const id of owed) expect(left.has(id)).toBe(false);
  });

  it('reports lag per group in the status query and as Prometheus gauges', async () => {
    await ensureConsumerGroup(db, { group: 'lagging', topics: ['project.task.created'], partitions: 2, startFrom: 'now' });
    const pending = await publishTasks(db, 4);
    await age(pending.slice(0, 1), 1);
    const status = (await readConsumerStatus(db)).find((group) => group.group === 'lagging')!;
    expect(status).toMatchObject({ behind: 4, deadLetters: 0, members: 0, partitions: 2 });
    expect(status.oldestAgeSeconds).toBeGreaterThan(86_000);

    registerEventMetrics(database.url);
    const behind = await metricsRegistry.getSingleMetric('bheem_events_consumer_behind')!.get();
    expect(behind.values).toContainEqual(expect.objectContaining({ labels: { group: 'lagging' }, value: 4 }));
    const oldest = await metricsRegistry.getSingleMetric('bheem_events_consumer_oldest_age_seconds')!.get();
    expect(oldest.values.find((value) => value.labels.group === 'lagging')!.value).toBeGreaterThan(86_000);
  });
});
