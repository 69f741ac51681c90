import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { DEMO_COMPANIES } from '../../demo/demo-ids.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createEventFeed, type EventFeed } from '../event-feed.js';
import { publishEvent } from '../publish-event.js';
import { classPayload, publishTasks, take } from './event-test-support.js';

let database: TestDatabase;
let db: Kysely<any>;
const feeds: EventFeed[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
});
afterAll(async () => {
  await Promise.all(feeds.map((feed) => feed.close()));
  await database?.drop();
});

async function openFeed(): Promise<EventFeed> {
  const feed = createEventFeed({ databaseUrl: database.url, pollIntervalMs: 500 });
  feeds.push(feed);
  await feed.ready();
  return feed;
}

async function classStarted(companyId: string = DEMO_COMPANIES.bheem.id): Promise<string> {
  const payload = classPayload({ company_id: companyId });
  const { id } = await db.transaction().execute((trx) => publishEvent(trx, { topic: 'meet.class.started', companyId, key: payload.live_class_id, payload, source: 'meet' }));
  return id;
}

describe('live event feed', () => {
  it('gives subscribers on every replica each committed event of their topics that passes their filter', async () => {
    const [replicaA, replicaB] = [await openFeed(), await openFeed()];
    const ofBheem = (feed: EventFeed) => feed.subscribe({ topics: ['meet.class.started'], filter: (event) => event.companyId === DEMO_COMPANIES.bheem.id });
    const onA = ofBheem(replicaA);
    const onB = ofBheem(replicaB);
    const expected: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      expected.push(await classStarted());
      await classStarted(DEMO_COMPANIES.globex.id);
      await publishTasks(db, 1);
    }
    const [fromA, fromB] = await Promise.all([take(onA, 6), take(onB, 6)]);
    expect(fromA.map((event) => event.id)).toEqual(expected);
    expect(fromB.map((event) => event.id)).toEqual(expected);
    expect(fromA[0]).toMatchObject({ topic: 'meet.class.started', source: 'meet', payload: { course_id: '101' } });
    await onA.return!();
    await onB.return!();
  });

  it('resumes after a cursor with every later event and none twice, then goes on live', async () => {
    const feed = await openFeed();
    const first = feed.subscribe({ topics: ['meet.class.started'] });
    const before = [await classStarted(), await classStarted(), await classStarted()];
    const seen = await take(first, 2);
    expect(seen.map((event) => event.id)).toEqual(before.slice(0, 2));
    await first.return!(); // the client went away after the second event
    const missed = [await classStarted(), await classStarted()];
    // Back, on another replica, from the last event it had.
    const resumed = (await openFeed()).subscribe({ topics: ['meet.class.started'], after: seen[1]!.cursor });
    const caughtUp = await take(resumed, 3);
    expect(caughtUp.map((event) => event.id)).toEqual([before[2], ...missed]);
    const live = await classStarted();
    expect((await take(resumed, 1))[0]!.id).toBe(live);
    await resumed.return!();
  });

  it('lets a slow subscriber fall behind and catch up from the table, in order', async () => {
    const feed = await openFeed();
    const slow = feed.subscribe({ topics: ['meet.class.started'], maxBuffered: 4 });
    const published: string[] = [];
    for (let index = 0; index < 40; index += 1) published.push(await classStarted());
    const received = await take(slow, 40);
    expect(received.map((event) => event.id)).toEqual(published);
    await slow.return!();
  });
  it('hands one object per event to live subscribers and to those catching up from the table', async () => {
    // Meet memoises its class read per event object (event-memo.ts): a subscriber that came in while the
    // feed was reading must get the same object, or each one reads again.
    const feed = await openFeed();
    const live = feed.subscribe({ topics: ['meet.class.started'] });
    await classStarted();
    const [earlier] = await take(live, 1);
    const event = await classStarted();
    // Behind the feed by one event: it reads this one from the table, on its own.
    const resumed = feed.subscribe({ topics: ['meet.class.started'], after: earlier!.cursor });
    const [fromLive] = await take(live, 1);
    const [fromTable] = await take(resumed, 1);
    expect(fromTable!.id).toBe(event);
    expect(fromTable).toBe(fromLive);
    await live.return!();
    await resumed.return!();
  });
});
