/**
 * More syncs at once than the process has pooled connections: a pull writes
 * each batch in one transaction, and nothing inside it may wait for a second
 * connection (nor call academy, which shares the pool when the subgraphs run
 * in one process, as here and under `npm start`). Otherwise every
 * connection ends up held by a transaction waiting for another one: the
 * syncs fail on the pool's connect timeout (or hang, given a longer one).
 * The test's timeout bounds a hang. The syncs are held in their pulls'
 * transactions until every pooled connection is held by one
 * (held-pulls.ts): they overlap there in every run, and a run where they
 * did not would fail rather than pass without meeting the case.
 */
import { expect, it } from 'vitest';
import { editedByApp, startCalDAVHarness, type Person } from './caldav-harness.js';
import { syncAllHeld } from './held-pulls.js';

// This file's process has its own pool for its own database (connection.ts): two connections, fewer than the syncs below.
const POOL_MAX = 2;
process.env.DATABASE_POOL_MAX = String(POOL_MAX);
// And as many syncs at once as there are accounts (the default bound, 2, would refuse three of them).
process.env.CALENDAR_SYNC_CONCURRENCY = '5';

const PEOPLE: Person[] = ['tara', 'ravi', 'neil', 'maya', 'admin'];
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const EVENT = `query($id: ID!) { calendarEvent(id: $id) { title } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!) { updateCalendarEvent(id: $id, input: $input) { id } }`;
const CONFLICTS = `{ calDAVAccounts { conflicts { kept reason event { title } } } }`;
const OVERLAPPED = 'every pooled connection held by a pull at once';

type Kept = 'CALENDAR' | 'REMOTE';
const KEPT: Kept[] = ['CALENDAR', 'REMOTE'];
/** Titles no other starts with (remoteWith): `Kept here tara`, `Kept there tara`. */
const titled = (kept: Kept, person: Person) => `${kept === 'CALENDAR' ? 'Kept here' : 'Kept there'} ${person}`;
const SLOT = { start: '2026-09-15T08:00:00Z', end: '2026-09-15T09:00:00Z' };
/** An app's LAST-MODIFIED an hour away from now: before our edit or after it, however slowly the test runs. */
const lastModified = (data: string, hours: number) =>
  data.replace(
    /LAST-MODIFIED:\d{8}T\d{6}Z/g,
    `LAST-MODIFIED:${new Date(Date.now() + hours * 3600_000)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '')}`,
  );

it('more syncs at once than pooled connections, each pulling a change to a known event, all end', async () => {
  const h = await startCalDAVHarness(PEOPLE, { countRequests: true });
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
    expect(await syncAllHeld(h, PEOPLE, POOL_MAX), OVERLAPPED).toBe(true);
    for (const person of PEOPLE) expect((await h.ok(person, EVENT, { id: ids.get(person) })).calendarEvent.title).toBe(`Renamed by ${person}`);
  } finally {
    await h.stop();
  }
}, 120_000);

it('more syncs at once than pooled connections, each pull meeting events changed on both sides, all end', async () => {
  const h = await startCalDAVHarness(PEOPLE, { countRequests: true });
  try {
    // Two events each, changed by the person's app and here: on one the app's edit is older than ours (ours is
    // kept), on the other newer (theirs is kept). Every pull takes both conflict paths in its transaction.
    const ids = new Map<Person, Record<Kept, string>>();
    for (const person of PEOPLE) {
      const made = {} as Record<Kept, string>;
      for (const kept of KEPT) made[kept] = (await h.ok(person, CREATE, { input: { ...SLOT, title: titled(kept, person) } })).createCalendarEvent.id;
      ids.set(person, made);
      await h.sync(person);
      for (const kept of KEPT) {
        const pushed = (await h.remoteWith(person, titled(kept, person)))!;
        const theirs = editedByApp(pushed.data, titled(kept, person), `Theirs ${titled(kept, person)}`);
        await h.remotePut(person, pushed.href, lastModified(theirs, kept === 'CALENDAR' ? -1 : 1), pushed.etag);
      }
    }
    // Edited here once every sync has pushed (a push would meet the change first) and is reading the server's changes.
    const editHere = async () => {
      for (const person of PEOPLE) {
        for (const kept of KEPT) await h.ok(person, UPDATE, { id: ids.get(person)![kept], input: { title: `Ours ${titled(kept, person)}` } });
      }
    };
    expect(await syncAllHeld(h, PEOPLE, POOL_MAX, editHere), OVERLAPPED).toBe(true);
    for (const person of PEOPLE) {
      for (const kept of KEPT) {
        const title = `${kept === 'CALENDAR' ? 'Ours' : 'Theirs'} ${titled(kept, person)}`;
        expect((await h.ok(person, EVENT, { id: ids.get(person)![kept] })).calendarEvent.title, person).toBe(title);
      }
      const [account] = (await h.ok(person, CONFLICTS)).calDAVAccounts;
      const conflicts = [...account.conflicts].sort((a: { kept: string }, b: { kept: string }) => a.kept.localeCompare(b.kept));
      expect(conflicts, person).toEqual([
        { kept: 'CALENDAR', reason: 'changed on both sides: ours is newer', event: { title: `Ours ${titled('CALENDAR', person)}` } },
        { kept: 'REMOTE', reason: 'changed on both sides: the server\u2019s version is newer', event: { title: `Theirs ${titled('REMOTE', person)}` } },
      ]);
    }
  } finally {
    await h.stop();
  }
}, 120_000);
