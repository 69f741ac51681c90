import pg from 'pg';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { decodeCursor } from '../event-cursor.js';
import { createEventFeed, type EventFeed } from '../event-feed.js';
import { readHorizon } from '../outbox-reads.js';
import { publishEvent } from '../publish-event.js';
import { COMPANY_ID, deferred, take, taskPayload } from './event-test-support.js';

let database: TestDatabase;
let elsewhere: TestDatabase;
let db: Kysely<any>;
let feed: EventFeed;
const sessions: pg.Client[] = [];

beforeAll(async () => {
  [database, elsewhere] = await Promise.all([createTestDatabase({ seeded: false }), createTestDatabase({ seeded: false })]);
  db = createKysely(database.url);
  feed = createEventFeed({ databaseUrl: database.url, pollIntervalMs: 500 });
  await feed.ready();
});
afterAll(async () => {
  await Promise.all(sessions.map((session) => session.end()));
  await feed?.close();
  await database?.drop();
  await elsewhere?.drop();
});

/** A transaction with an id, left open in a session of its own; returns the id. */
async function openTransaction(url: string): Promise<{ txid: bigint; end: () => Promise<void> }> {
  const session = new pg.Client({ connectionString: url });
  sessions.push(session);
  await session.connect();
  await session.query('BEGIN');
  const { rows } = await session.query<{ txid: string }>('SELECT pg_current_xact_id()::text AS txid');
  return { txid: BigInt(rows[0]!.txid), end: async () => void (await session.query('COMMIT')) };
}

async function publishTask(on: Kysely<any> = db) {
  const payload = taskPayload();
  return publishEvent(on, { topic: 'project.task.created', companyId: COMPANY_ID, key: payload.task_id, payload, source: 'erp' });
}

const txidOf = (cursor: string) => BigInt(decodeCursor(cursor).txid);

describe('the visibility horizon of the event feed', () => {
  it('is not held back by a transaction open in another database of the server', async () => {
    const foreign = await openTransaction(elsewhere.url);
    const subscription = feed.subscribe({ topics: ['project.task.created'] });
    const published = await db.transaction().execute((trx) => publishTask(trx));
    // Committed, and nothing of this database runs below it: readable now, whatever runs elsewhere.
    expect(BigInt(await readHorizon(db))).toBeGreaterThan(txidOf(published.cursor));
    expect(txidOf(published.cursor)).toBeGreaterThan(foreign.txid);
    expect((await take(subscription, 1))[0]!.id).toBe(published.id);
    await subscription.return!();
    await foreign.end();
  });

  it('skips no event of this database committed after a later one', async () => {
    const foreign = await openTransaction(elsewhere.url);
    const subscription = feed.subscribe({ topics: ['project.task.created'] });
    const release = deferred();
    const written = deferred<string>();
    const slow = db.transaction().execute(async (trx) => {
      const event = await publishTask(trx);
      written.resolve(event.cursor);
      await release.promise;
      return event;
    });
    let fast: Awaited<ReturnType<typeof publishTask>>;
    try {
      const slowTxid = txidOf(await written.promise);
      fast = await db.transaction().execute((trx) => publishTask(trx));
      expect(txidOf(fast.cursor)).toBeGreaterThan(slowTxid);
      // The slow transaction of this database still runs: the horizon waits for it.
      expect(BigInt(await readHorizon(db))).toBeLessThanOrEqual(slowTxid);
    } finally {
      release.resolve();
    }
    const late = await slow;
    const delivered = await take(subscription, 2);
    expect(delivered.map((event) => event.id)).toEqual([late.id, fast.id]);
    await subscription.return!();
    await foreign.end();
  });
});
