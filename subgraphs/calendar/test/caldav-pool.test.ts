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
import { editedByApp, startCalDAVHarness, type CalDAVRequest, type Person } from './caldav-harness.js';

// This file's process has its own pool for its own database (connection.ts): two connections, fewer than the syncs below.
process.env.DATABASE_POOL_MAX = '2';
// And as many syncs at once as there are accounts (the default bound, 2, would refuse three of them).
process.env.CALENDAR_SYNC_CONCURRENCY = '5';

const PEOPLE: Person[] = ['tara', 'ravi', 'neil', 'maya', 'admin'];
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const EVENT = `query($id: ID!) { calendarEvent(id: $id) { title } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!) { updateCalendarEvent(id: $id, input: $input) { id } }`;
const CONFLICTS = `{ calDAVAccounts { conflicts { kept reason event { title } } } }`;
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

it('more syncs at once than pooled connections, each pull meeting an event changed on both sides, all end', async () => {
  const h = await startCalDAVHarness(PEOPLE, { countRequests: true });
  try {
    const ids = new Map<Person, string>();
    // Alternately the app's edit is older than ours (ours is kept) and newer (theirs is kept): both conflict paths.
    const oursNewer = (person: Person) => PEOPLE.indexOf(person) % 2 === 0;
    for (const person of PEOPLE) {
      const input = { title: `Both sides ${person}`, start: '2026-09-15T08:00:00Z', end: '2026-09-15T09:00:00Z' };
      ids.set(person, (await h.ok(person, CREATE, { input })).createCalendarEvent.id);
      await h.sync(person);
      const pushed = (await h.remoteWith(person, `Both sides ${person}`))!;
      await h.remotePut(person, pushed.href, lastModified(editedByApp(pushed.data, `Both sides ${person}`, `Theirs ${person}`), oursNewer(person) ? -1 : 1), pushed.etag);
    }
    // Edited here once every sync has pushed (a push would meet the change first) and is reading the server's changes:
    // each pull then meets an event changed on both sides. They go on together, the pool's two connections shared.
    const reached = new Set<Person>();
    let allReached!: () => void;
    const edited = new Promise<void>((resolve) => (allReached = resolve));
    h.beforeRequest = async (request: CalDAVRequest) => {
      const person = PEOPLE.find((name) => request.path.startsWith(`/${name}/`));
      if (request.method !== 'REPORT' || !person || reached.has(person)) return;
      reached.add(person);
      if (reached.size === PEOPLE.length) {
        for (const name of PEOPLE) await h.ok(name, UPDATE, { id: ids.get(name), input: { title: `Ours ${name}` } });
        allReached();
      }
      await edited;
    };
    await Promise.all(PEOPLE.map((person) => h.sync(person)));
    h.beforeRequest = null;
    expect(reached.size).toBe(PEOPLE.length);
    for (const person of PEOPLE) {
      const title = oursNewer(person) ? `Ours ${person}` : `Theirs ${person}`;
      expect((await h.ok(person, EVENT, { id: ids.get(person) })).calendarEvent.title, person).toBe(title);
      const [account] = (await h.ok(person, CONFLICTS)).calDAVAccounts;
      expect(account.conflicts, person).toEqual([
        oursNewer(person)
          ? { kept: 'CALENDAR', reason: 'changed on both sides: ours is newer', event: { title } }
          : { kept: 'REMOTE', reason: 'changed on both sides: the server\u2019s version is newer', event: { title } },
      ]);
    }
  } finally {
    h.beforeRequest = null;
    await h.stop();
  }
}, 120_000);
