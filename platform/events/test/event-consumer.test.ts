import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { listDeadLetters, requestReplay } from '../dead-letters.js';
import { startEventConsumer, type EventConsumer, type EventConsumerOptions } from '../event-consumer.js';
import { readConsumerStatus } from '../event-status.js';
import { COMPANY_ID, createHandledTable, handledRows, markHandled, publishTasks, waitFor } from './event-test-support.js';

let database: TestDatabase;
let db: Kysely<any>;
const running: EventConsumer[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
  await createHandledTable(db);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()));
});
afterAll(() => database?.drop());

async function start(options: Omit<EventConsumerOptions, 'databaseUrl'>): Promise<EventConsumer> {
  const consumer = await startEventConsumer({ databaseUrl: database.url, pollIntervalMs: 200, rebalanceIntervalMs: 100, retention: false, ...options });
  running.push(consumer);
  return consumer;
}

const handledBy = async (consumer: string) => (await handledRows(db)).filter((row) => row.consumer === consumer);

describe('event consumer', () => {
  it('delivers every committed event once, writes and processed mark in one transaction', async () => {
    const ids = await publishTasks(db, 30);
    await start({
      group: 'once',
      handlers: {
        'project.task.created': async (event, { trx }) => {
          await markHandled(trx, event.id, 'once');
        },
      },
    });
    const more = await publishTasks(db, 20);
    const rows = await waitFor('50 handled events', async () => {
      const found = await handledBy('once');
      return found.length >= 50 && found;
    });
    expect(rows.map((row) => row.event_id).sort()).toEqual([...ids, ...more].sort());
    const processed = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events.processed WHERE group_name = 'once'`.execute(db);
    expect(processed.rows[0]!.n).toBe(50);
  });

  it('runs several lanes in one process, sharing the partitions like processes do', async () => {
    const consumer = await start({
      group: 'lanes',
      startFrom: 'now',
      concurrency: 3,
      handlers: {
        'project.task.created': async (event, { trx }) => {
          await markHandled(trx, event.id, 'lanes');
        },
      },
    });
    await waitFor('every partition leased', async () => consumer.heldPartitions().join() === '0,1,2,3,4,5,6,7');
    const ids = await publishTasks(db, 60, undefined, 6);
    const rows = await waitFor('60 handled events', async () => {
      const found = await handledBy('lanes');
      return found.length >= 60 && found;
    });
    expect(rows.map((row) => row.event_id).sort()).toEqual([...ids].sort());
  });

  it('keeps the order of one entity’s events', async () => {
    const key = randomUUID();
    const seen: string[] = [];
    await start({ group: 'ordered', startFrom: 'now', partitions: 4, handlers: { 'project.task.created': async (event) => void seen.push(event.id) } });
    const ids = await publishTasks(db, 25, () => key);
    await waitFor('25 events', async () => seen.length >= 25);
    expect(seen.slice(0, 25)).toEqual(ids);
  });

  it('dead-letters a poisoned payload at once and a failing event after its attempts, and the rest flows', async () => {
    const attempts = new Map<string, number>();
    let brokenDependency = true;
    const failingKey = randomUUID();
    await start({
      group: 'poison',
      startFrom: 'now',
      maxAttempts: 3,
      retryDelayMs: 10,
      handlers: {
        'project.task.created': async (event, { trx, attempt }) => {
          attempts.set(event.id, attempt);
          if (event.key === failingKey && brokenDependency) throw new Error('the calendar server said 503');
          await markHandled(trx, event.id, 'poison');
        },
      },
    });
    // A payload that never passed publishEvent (an older producer, a manual insert).
    const poisoned = await sql<{ id: string }>`
      INSERT INTO events.outbox (topic, company_id, entity_key, payload, source)
      VALUES ('project.task.created', ${COMPANY_ID}, 'poison', '{"task_id": 42}'::jsonb, 'erp') RETURNING id`.execute(db);
    const [failing] = await publishTasks(db, 1, () => failingKey);
    const healthy = await publishTasks(db, 10);
    await waitFor('healthy events handled and two dead letters', async () => {
      const letters = await listDeadLetters(db, { group: 'poison' });
      return (await handledBy('poison')).length === 10 && letters.length === 2;
    });
    const letters = await listDeadLetters(db, { group: 'poison' });
    const byEvent = new Map(letters.map((letter) => [letter.event.id, letter]));
    expect(byEvent.get(poisoned.rows[0]!.id)).toMatchObject({ attempts: 1, event: { topic: 'project.task.created', key: 'poison' } });
    expect(byEvent.get(poisoned.rows[0]!.id)!.error).toContain('task_id: expected a UUID, got number');
    expect(byEvent.get(failing!)).toMatchObject({ attempts: 3 });
    expect(byEvent.get(failing!)!.error).toContain('the calendar server said 503');
    expect(attempts.get(failing!)).toBe(3);
    expect((await handledBy('poison')).map((row) => row.event_id).sort()).toEqual([...healthy].sort());
    const status = (await readConsumerStatus(db)).find((group) => group.group === 'poison')!;
    expect(status).toMatchObject({ behind: 0, deadLetters: 2 });

    // The dependency is back: replaying the failed one handles it; the poisoned one fails again, and stays.
    brokenDependency = false;
    expect(await requestReplay(db, { group: 'poison' })).toBe(2);
    await waitFor('the replay', async () => (await handledBy('poison')).some((row) => row.event_id === failing));
    await waitFor('both replays settled', async () => {
      const all = await listDeadLetters(db, { group: 'poison', includeResolved: true });
      return all.every((letter) => letter.replayRequestedAt === null) && all;
    });
    const after = await listDeadLetters(db, { group: 'poison', includeResolved: true });
    expect(after.find((letter) => letter.event.id === failing)).toMatchObject({ resolution: 'replayed' });
    expect(after.find((letter) => letter.event.key === 'poison')).toMatchObject({ resolution: null, attempts: 2 });
    expect((await handledBy('poison')).filter((row) => row.event_id === failing)).toHaveLength(1);
  });

  it('blames the handler that swallowed an SQL error, not the next one, and the rest flows', async () => {
    const sloppyKey = randomUUID();
    await start({
      group: 'sloppy',
      startFrom: 'now',
      maxAttempts: 2,
      retryDelayMs: 10,
      handlers: {
        'project.task.created': async (event, { trx }) => {
          if (event.key === sloppyKey) {
            await sql`SELECT 1 / 0`.execute(trx).catch(() => {}); // swallowed: the transaction is now aborted
            return;
          }
          await markHandled(trx, event.id, 'sloppy');
        },
      },
    });
    const [sloppy] = await publishTasks(db, 1, () => sloppyKey);
    const others = await publishTasks(db, 5);
    await waitFor('the others handled and the sloppy one dead-lettered', async () => {
      const letters = await listDeadLetters(db, { group: 'sloppy' });
      return (await handledBy('sloppy')).length === 5 && letters.length === 1 && letters;
    });
    const [letter] = await listDeadLetters(db, { group: 'sloppy' });
    expect(letter!.event.id).toBe(sloppy);
    expect(letter!.error).toContain('caught an SQL error and went on');
    expect((await handledBy('sloppy')).map((row) => row.event_id).sort()).toEqual([...others].sort());
  });

  it('gives up on a handler that hangs in a query, ends its session, and the rest flows', async () => {
    const hangingKey = randomUUID();
    await start({
      group: 'hanging',
      startFrom: 'now',
      maxAttempts: 2,
      retryDelayMs: 10,
      handlerTimeoutMs: 300,
      handlers: {
        'project.task.created': async (event, { trx }) => {
          if (event.key === hangingKey) await sql`SELECT pg_sleep(60)`.execute(trx);
          await markHandled(trx, event.id, 'hanging');
        },
      },
    });
    const [hanging] = await publishTasks(db, 1, () => hangingKey);
    const others = await publishTasks(db, 5);
    const [letter] = await waitFor('the hanging event dead-lettered', async () => {
      const letters = await listDeadLetters(db, { group: 'hanging' });
      return letters.length === 1 && letters;
    });
    expect(letter).toMatchObject({ attempts: 2, event: { id: hanging } });
    expect(letter!.error).toContain('did not finish within 300 ms');
    await waitFor('the others handled', async () => (await handledBy('hanging')).length === 5);
    expect((await handledBy('hanging')).map((row) => row.event_id).sort()).toEqual([...others].sort());
    const sleeping = await sql`SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()`.execute(db);
    expect(sleeping.rows).toHaveLength(0);
  });

  it('starts a new group from now when asked, and reports its lag', async () => {
    await publishTasks(db, 5);
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await start({
      group: 'from-now',
      startFrom: 'now',
      handlers: {
        'project.task.created': async (event) => {
          await gate;
          seen.push(event.id);
        },
      },
    });
    const ids = await publishTasks(db, 3);
    const lagging = await waitFor('lag', async () => {
      const status = (await readConsumerStatus(db)).find((group) => group.group === 'from-now');
      return status && status.behind === 3 && status;
    });
    expect(lagging.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    release();
    await waitFor('3 events', async () => seen.length === 3);
    expect(seen.sort()).toEqual([...ids].sort());
    await waitFor('no lag', async () => (await readConsumerStatus(db)).find((group) => group.group === 'from-now')?.behind === 0);
  });
});
