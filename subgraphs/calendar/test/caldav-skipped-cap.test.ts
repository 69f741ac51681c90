/**
 * A run names at most 100 objects it left out (its log row stays bounded).
 * Copies noted unreadable in earlier runs are named in every run as "not
 * read again"; a calendar holding a hundred of them must not leave a new
 * object this run could not read unnamed.
 */
import { expect, it } from 'vitest';
import { useCalDAVHarness } from './caldav-harness.js';
import { calendarOf, veventOf } from './caldav-hostile-objects.js';

const h = useCalDAVHarness(['tara']);
const LOG = `query { calDAVAccounts { syncLog(limit: 1) { succeeded skipped { href reason } } } }`;
const lastRun = async () => (await h.ok('tara', LOG)).calDAVAccounts[0].syncLog[0];
/** An object every app reads and this calendar refuses: it starts in 1800. */
const from1800 = (uid: string) => calendarOf(veventOf(uid, 'DTSTART:18000601T100000Z', 'DURATION:PT1H', `SUMMARY:Old ${uid}`));

it('names an object newly left out ahead of a hundred noted in earlier runs', async () => {
  for (let index = 0; index < 100; index++) await h.remotePut('tara', `old-${index}.ics`, from1800(`old-${index}`));
  await h.sync('tara');
  expect((await lastRun()).skipped).toHaveLength(100);

  await h.remotePut('tara', 'new-one.ics', from1800('new-one'));
  await h.sync('tara');
  const { succeeded, skipped } = await lastRun();
  expect(succeeded).toBe(true);
  expect(skipped).toHaveLength(100);
  const named = skipped.find((s: { href: string }) => s.href.endsWith('/new-one.ics'));
  expect(named?.reason).toMatch(/1800/);
  expect(named?.reason).not.toMatch(/not read again/);
}, 300_000);
