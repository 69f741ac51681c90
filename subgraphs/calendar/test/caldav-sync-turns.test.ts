/**
 * Syncs one process runs at once are bounded (CALENDAR_SYNC_CONCURRENCY):
 * any user may ask for a sync of each of their accounts (syncCalDAV), and
 * every sync takes pooled connections and a CalDAV server's time. One asked
 * for while the bound is reached waits a while for a turn
 * (CALENDAR_SYNC_TURN_WAIT_SECONDS): it runs when a turn comes in time, and
 * is refused (UNAVAILABLE) when none does.
 */
import { expect, it } from 'vitest';
import { useCalDAVHarness, type Person } from './caldav-harness.js';

// Read by this file's platform config (each file has its own process.env, test/support/per-file-state.ts).
process.env.CALENDAR_SYNC_CONCURRENCY = '2';
// Long enough that the second test's release comes within it even on a busy machine.
process.env.CALENDAR_SYNC_TURN_WAIT_SECONDS = '8';

const h = useCalDAVHarness(['tara', 'ravi', 'neil'], { countRequests: true });
const SYNC = `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`;

/** Tara's and Ravi's syncs wait at their first request to the server until released; Neil's go through. */
async function whileTwoAreHeld(during: (release: () => void) => Promise<void>): Promise<void> {
  const held = new Set<Person>();
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calendarPath = (person: Person) => new URL(h.accounts[person].calendarUrl).pathname;
  h.beforeRequest = async (request) => {
    const person = (['tara', 'ravi'] as const).find((p) => request.path.startsWith(calendarPath(p)));
    if (!person) return;
    held.add(person);
    await released;
  };
  try {
    const running = [h.sync('tara'), h.sync('ravi')];
    await expect.poll(() => held.size).toBe(2);
    await during(release);
    release();
    await Promise.all(running);
  } finally {
    release();
    h.beforeRequest = null;
  }
}

it('refuses a third sync when no turn comes in time, and runs it once the others have ended', async () => {
  await whileTwoAreHeld(async () => {
    const refused = await h.call('neil', SYNC, { id: h.accounts.neil.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
  });
  await h.sync('neil');
}, 120_000);

it('runs a third sync that waited when a turn comes in time', async () => {
  await whileTwoAreHeld(async (release) => {
    const asked = h.call('neil', SYNC, { id: h.accounts.neil.id });
    setTimeout(release, 300);
    const answer = await asked;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.syncCalDAV).toMatchObject({ state: 'IDLE', lastError: null });
  });
}, 120_000);
