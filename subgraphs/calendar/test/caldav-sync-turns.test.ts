/**
 * Syncs one process runs at once are bounded (CALENDAR_SYNC_CONCURRENCY):
 * any user may ask for a sync of each of their accounts (syncCalDAV), and
 * every sync takes pooled connections and a CalDAV server's time. One asked
 * for while the bound is reached is refused at once (UNAVAILABLE), and goes
 * through once a running sync has ended.
 */
import { expect, it } from 'vitest';
import { useCalDAVHarness, type Person } from './caldav-harness.js';

// Read by this file's platform config (each file has its own process.env, test/support/per-file-state.ts).
process.env.CALENDAR_SYNC_CONCURRENCY = '2';

const h = useCalDAVHarness(['tara', 'ravi', 'neil'], { countRequests: true });
const SYNC = `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`;

it('refuses a third sync while two run, and runs it once they have ended', async () => {
  const held = new Set<Person>();
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calendarPath = (person: Person) => new URL(h.accounts[person].calendarUrl).pathname;
  // Tara's and Ravi's syncs wait at their first request to the server until released; Neil's go through.
  h.beforeRequest = async (request) => {
    const person = (['tara', 'ravi'] as const).find((p) => request.path.startsWith(calendarPath(p)));
    if (!person) return;
    held.add(person);
    await released;
  };
  try {
    const running = [h.sync('tara'), h.sync('ravi')];
    await expect.poll(() => held.size).toBe(2);
    const refused = await h.call('neil', SYNC, { id: h.accounts.neil.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    release();
    await Promise.all(running);
  } finally {
    release();
    h.beforeRequest = null;
  }
  await h.sync('neil');
}, 120_000);
