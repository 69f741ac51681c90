/**
 * Two events of one calendar with one UID (an app's object made an event of
 * its own with a UID in use, one its owner cannot see: here Neil's, copied
 * from Tara's series, naming Ravi) go to the same object name on the server.
 * Pushed side by side, the second met the first's new object (412) before
 * the first's resource was saved, took it for a lost mapping of its own and
 * saved a second resource at that name: the owner's sync FAILED, then and at
 * every later run. They are pushed one after the other; the second is left
 * out, named in the run's log. The platform reaches Radicale through the
 * harness's proxy, which holds the first PUT until the second arrives (a
 * few seconds at most: pushed one after the other, it does not come) and
 * its answer until the second push went on past the 412.
 */
import { expect, it } from 'vitest';
import { editedByApp, USER_IDS, useCalDAVHarness } from './caldav-harness.js';

const h = useCalDAVHarness(['tara', 'ravi', 'neil'], { countRequests: true });
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;

/** A promise and what settles it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** `promise`, or after `ms` at the latest (a wait that may never end otherwise). */
const atMost = (promise: Promise<void>, ms: number) => Promise.race([promise, new Promise<void>((done) => setTimeout(done, ms))]);

it('two events with one UID in a calendar: both pushed in one sync, the second left out, the account still syncs', async () => {
  await h.ok('tara', CREATE, {
    input: { title: 'Exam board', start: '2027-05-03T08:00:00Z', end: '2027-05-03T09:00:00Z', recurrenceRule: 'FREQ=WEEKLY;COUNT=4', participantIds: [USER_IDS.ravi] },
  });
  await h.sync('tara');
  // Neil saves Tara's object (her UID, Ravi invited) in his calendar: an event of his own, naming Ravi.
  const taras = (await h.remoteWith('tara', 'SUMMARY:Exam board'))!;
  await h.remotePut('neil', 'exam-board.ics', editedByApp(taras.data));
  await h.sync('neil');
  const uid = /UID:([^\r]*)/.exec(taras.data)![1]!;
  const events = await h.platform.db.selectFrom('calendar.calendar_events').select('id').where('external_id', '=', uid).where('parent_id', 'is', null).execute();
  expect(events).toHaveLength(2);

  // Ravi's first sync pushes both to one name (his other events elsewhere). The first PUT there waits for a second one,
  // its answer for that one's next request there.
  const name = `/${encodeURIComponent(uid)}.ics`;
  let first: string | null = null;
  let second = false;
  const secondPut = signal();
  const firstAnswered = signal();
  const secondWentOn = signal();
  h.beforeRequest = async ({ method, path }) => {
    if (!path.endsWith(name)) return;
    if (method === 'PUT' && first === null) {
      first = path;
      await atMost(secondPut.promise, 5000);
      return async () => {
        firstAnswered.resolve();
        await atMost(secondWentOn.promise, 5000);
      };
    }
    if (method === 'PUT' && path === first && !second) {
      second = true;
      secondPut.resolve();
      await firstAnswered.promise; // on after the first is written: it meets it (412)
      return;
    }
    if (second && path === first) secondWentOn.resolve();
  };
  try {
    await h.sync('ravi');
  } finally {
    h.beforeRequest = null;
  }
  expect(second).toBe(true);
  // One object with that UID in his calendar, the other event named in the run's log; his later syncs go on.
  const objects = (await h.remoteObjects('ravi')).filter((object) => object.data.includes(`UID:${uid}`));
  expect(objects).toHaveLength(1);
  const run = await h.platform.db
    .selectFrom('calendar.caldav_sync_runs')
    .select(['succeeded', 'skipped'])
    .where('account_id', '=', h.accounts.ravi.id)
    .orderBy('started_at', 'desc')
    .executeTakeFirstOrThrow();
  expect(run.succeeded).toBe(true);
  expect(JSON.stringify(run.skipped)).toContain('another event of ours with the same UID');
  await h.sync('ravi');
  await h.sync('ravi');
});
