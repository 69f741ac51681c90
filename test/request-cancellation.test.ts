/**
 * A request nobody waits for any more stops in PostgreSQL too: when the
 * gateway's client goes away, or the gateway's GATEWAY_REQUEST_TIMEOUT_MS
 * passes, the gateway cuts its subgraph fetch and the subgraph cancels the
 * statement it is running (platform/database/request-cancellation.ts).
 *
 * The slow operation is real: a test transaction holds a lock on the
 * calendar's events, so the subgraph's read waits in PostgreSQL. What is
 * observed is the subgraph's side, in pg_stat_activity: its statement is
 * waiting, then gone, while the lock is still held. Every other subgraph
 * builds its request's Kysely the same way (forRequest): each is asked a
 * read of one of its tables, locked.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.js';
import { startGateway, type RunningGateway } from '../gateway/start-gateway.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';

const QUERY = '{ calendarEvents(from: "2027-01-01T00:00:00Z", to: "2027-02-01T00:00:00Z") { start } }';

let platform: TestPlatform;
let impatient: RunningGateway;
let locker: pg.Client;
let observer: pg.Client;

beforeAll(async () => {
  platform = await startTestPlatform({
    subgraphs: ['calendar', 'meet', 'academy', 'documents', 'erp'],
    env: { GATEWAY_RATE_LIMIT_STORE: 'memory', GATEWAY_REQUEST_TIMEOUT_MS: '120000', GATEWAY_SUBGRAPH_TIMEOUT_MS: '120000' },
  });
  const subgraphUrls = { calendar: platform.subgraphs.calendar!.url };
  impatient = await startGateway({
    // Long enough for the subgraph's read to reach PostgreSQL first on a busy machine (the test sees it waiting there).
    config: { ...platform.config, gateway: { ...platform.config.gateway, requestTimeoutMs: 10_000 } },
    log: createLogger('cancellation-test'),
    subgraphUrls,
  });
  locker = new pg.Client({ connectionString: platform.database.url, application_name: 'cancellation-test-locker' });
  observer = new pg.Client({ connectionString: platform.database.url, application_name: 'cancellation-test-observer' });
  await Promise.all([locker.connect(), observer.connect()]);
});
afterAll(async () => {
  await locker?.end();
  await observer?.end();
  await impatient?.stop();
  await platform?.stop();
});

/** Backends of the subgraphs running a statement on `table` (calendar events unless told), as PostgreSQL sees them. */
async function subgraphStatements(table = 'events'): Promise<{ pid: number; state: string; wait: string | null }[]> {
  const { rows } = await observer.query<{ pid: number; state: string; wait: string | null }>(
    `select pid, state, wait_event_type as wait from pg_stat_activity
     where datname = current_database() and state = 'active' and application_name not like 'cancellation-test-%' and query ilike '%' || $1 || '%'`,
    [table],
  );
  return rows;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `scenario` while `table` (the calendar's events unless told) is locked: a subgraph's read of it waits until cancelled or unlocked. */
async function withEventsLocked(scenario: () => Promise<void>, table = 'calendar.calendar_events'): Promise<void> {
  await locker.query('begin');
  await locker.query(`lock table ${table} in access exclusive mode`);
  try {
    await scenario();
  } finally {
    await locker.query('rollback');
  }
}

describe('subgraph work is cancelled with the request', () => {
  it('cancels the subgraph statement when the client goes away', { timeout: 60_000 }, async () => {
    const token = await platform.tokenFor('admin');
    await withEventsLocked(async () => {
      const controller = new AbortController();
      const pending = fetch(platform.gateway!.url.replace('localhost', '127.0.0.1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUERY }),
        signal: controller.signal,
      }).catch(() => undefined);
      const waiting = await until('the subgraph statement waiting on the lock', async () => (await subgraphStatements()).find((row) => row.wait === 'Lock'));
      controller.abort();
      await pending;
      // Gone while the lock is still held: cancelled, not finished.
      await until('the statement to be cancelled', async () => ((await subgraphStatements()).some((row) => row.pid === waiting.pid) ? undefined : true), 5_000);
    });
  });

  it("cancels it when the gateway's request timeout passes, and answers GATEWAY_TIMEOUT", { timeout: 60_000 }, async () => {
    const token = await platform.tokenFor('admin');
    await withEventsLocked(async () => {
      const answered = platform.request({ url: impatient.url.replace('localhost', '127.0.0.1'), token, query: QUERY });
      // Seen waiting first: a statement that never reached PostgreSQL would leave nothing to cancel, and nothing to see.
      const waiting = await until('the subgraph statement waiting on the lock', async () => (await subgraphStatements()).find((row) => row.wait === 'Lock'));
      // Answered while the lock is still held (inside withEventsLocked): by the timeout, not by the read.
      expect((await answered).body.errors?.[0]?.extensions?.code).toBe('GATEWAY_TIMEOUT');
      await until('the statement to be cancelled', async () => ((await subgraphStatements()).some((row) => row.pid === waiting.pid) ? undefined : true), 5_000);
    });
    // The subgraph serves the next request normally (no connection left broken in the pool). Asked through
    // the patient gateway: on a busy machine an unlocked read can take longer than the impatient one's timeout.
    const after = await platform.request({ token, query: QUERY });
    expect(after.body.errors).toBeUndefined();
  });

  it.each([
    ['meet', 'meet.live_classes', '{ liveClasses { id } }'],
    ['academy', 'moodle.mdl_course', '{ courses { id } }'],
    ['documents', 'documents.documents', '{ documents { id } }'],
    ['erp', 'erp.projects', '{ projects { id } }'],
  ])('cancels the statement of %s when the client goes away', { timeout: 60_000 }, async (_subgraph, table, query) => {
    const token = await platform.tokenFor('admin');
    const name = table.split('.')[1]!;
    await withEventsLocked(async () => {
      const controller = new AbortController();
      const pending = fetch(platform.gateway!.url.replace('localhost', '127.0.0.1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
        signal: controller.signal,
      }).catch(() => undefined);
      const waiting = await until('the subgraph statement waiting on the lock', async () => (await subgraphStatements(name)).find((row) => row.wait === 'Lock'));
      controller.abort();
      await pending;
      await until('the statement to be cancelled', async () => ((await subgraphStatements(name)).some((row) => row.pid === waiting.pid) ? undefined : true), 5_000);
    }, table);
  });
});
