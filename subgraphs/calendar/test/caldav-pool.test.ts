/**
 * More syncs at once than the process has pooled connections: a pull writes
 * each batch in one transaction, and nothing inside it may wait for a second
 * connection (nor call academy, which shares the pool when the subgraphs run
 * in one process, as here and under `npm start`). Otherwise every
 * connection ends up held by a transaction waiting for another one: the
 * syncs fail on the pool's connect timeout (or hang, given a longer one).
 * The test's timeout bounds a hang.
 */
import { expect, it } from 'vitest';
import { editedByApp, startCalDAVHarness, type Person } from './caldav-harness.js';

// This file's process has its own pool for its own database (connection.ts): two connections, fewer than the syncs below.
process.env.DATABASE_POOL_MAX = '2';
// And as many syncs at once as there are accounts (the default bound, 2, would refuse three of them).
process.env.CALENDAR_SYNC_CONCURRENCY = '5';

const PEOPLE: Person[] = ['tara', 'ravi', 'neil', 'maya', 'admin'];
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const EVENT = `query($id: ID!) { calendarEvent(id: $id) { title } }`;

it('more syncs at once than pooled connections, each pulling a change to a known event, all end', async () => {
  const h = await startCalDAVHarness(PEOPLE);
  try {
    const ids = new Map<Person, string>();
    for (const person of PEOPLE) {
      const input = { title: `Pool check ${person}`, start: '2026-09-14T08:00:00Z', end: '2026-09-14T09:00:00Z' };
      ids.set(person, (await h.ok(person, CREATE, { input })).createCalendarEvent.id);
      await h.sync(person);
      // Their app renames it: the next pull applies a change to an event the account holds.
      const pushed = (await h.remoteWith(person, `Pool check ${person}`))!;
      await h.remotePut(person, pushed.href, editedByApp(pushed.data, `Pool check ${person}`, `Renamed by ${person}`), pushed.etag);
    }
    await Promise.all(PEOPLE.map((person) => h.sync(person)));
    for (const person of PEOPLE) expect((await h.ok(person, EVENT, { id: ids.get(person) })).calendarEvent.title).toBe(`Renamed by ${person}`);
  } finally {
    await h.stop();
  }
}, 120_000);
