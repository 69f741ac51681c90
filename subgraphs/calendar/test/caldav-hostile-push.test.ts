/**
 * A push meeting a server copy the pull would refuse: events edited here
 * whose copies were meanwhile replaced there by objects that cannot be read
 * (a VTIMEZONE whose rules the pull refuses, a start before 1900), written
 * straight into Radicale's storage as a broken app or server leaves them.
 *
 * The sync ends: each such event is named in the run's log with why and
 * left as it is on both sides (ours kept here, theirs there, nothing
 * written over), and the other edits go out.
 */
import { expect, it } from 'vitest';
import { placeObject } from '../../../test/caldav/radicale-disk.js';
import { useCalDAVHarness } from './caldav-harness.js';
import { ABSURD_ZONE, calendarOf, veventOf } from './caldav-hostile-objects.js';

const h = useCalDAVHarness(['tara']);

const LOG = `query { calDAVAccounts { syncLog(limit: 1) { succeeded error pushed skipped { href reason } } } }`;
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const RENAME = `mutation($id: ID!, $title: String!) { updateCalendarEvent(id: $id, input: { title: $title }) { id } }`;
const TITLE = `query($id: ID!) { calendarEvent(id: $id) { title } }`;

it('a push conflict with a server copy it cannot read names that event, keeps both sides, and pushes the rest', async () => {
  const ids: Record<string, string> = {};
  for (const [name, hour] of [
    ['Zone', 14],
    ['Ancient', 15],
    ['Plain', 16],
  ] as const) {
    const input = { title: `Push ${name}`, start: `2026-06-01T${hour}:00:00Z`, end: `2026-06-01T${hour}:30:00Z`, timezone: 'Europe/Berlin' };
    ids[name] = (await h.ok('tara', CREATE, { input })).createCalendarEvent.id;
  }
  await h.sync('tara');
  const theirs: Record<string, { name: string; data: string }> = {};
  for (const [name, lines] of [
    ['Zone', ['DTSTART;TZID=Absurd/Zone:20260601T090000', 'DURATION:PT1H']],
    ['Ancient', ['DTSTART:18000601T100000Z', 'DURATION:PT1H']],
  ] as const) {
    const remote = (await h.remoteWith('tara', `SUMMARY:Push ${name}`))!;
    const uid = /^UID:(.*)$/m.exec(remote.data)![1]!.trim();
    const data = calendarOf(...(name === 'Zone' ? [ABSURD_ZONE] : []), veventOf(uid, ...lines, 'LAST-MODIFIED:20990101T000000Z', `SUMMARY:Push ${name} (theirs)`));
    theirs[name] = { name: decodeURIComponent(remote.href.split('/').pop()!), data };
    await placeObject(h.radicale, h.accounts.tara.calendarUrl, theirs[name].name, data);
  }
  for (const name of ['Zone', 'Ancient', 'Plain']) await h.ok('tara', RENAME, { id: ids[name], title: `Push ${name} (ours)` });

  const state = await h.sync('tara');
  const run = (await h.ok('tara', LOG)).calDAVAccounts[0].syncLog[0];
  expect({ state: state.state, lastError: state.lastError, succeeded: run.succeeded, error: run.error }).toEqual({
    state: expect.anything(),
    lastError: null,
    succeeded: true,
    error: null,
  });
  const skipped = new Map<string, string>(run.skipped.map((s: { href: string; reason: string }) => [decodeURIComponent(s.href.split('/').pop()!), s.reason]));
  expect(skipped.get(theirs.Zone!.name)).toMatch(/VTIMEZONE Absurd\/Zone changes its offset SECONDLY/);
  expect(skipped.get(theirs.Ancient!.name)).toMatch(/in the year 1800/);
  // Ours kept here; theirs left there, not written over; the readable edit went out.
  for (const name of ['Zone', 'Ancient', 'Plain']) expect((await h.ok('tara', TITLE, { id: ids[name] })).calendarEvent.title).toBe(`Push ${name} (ours)`);
  expect(await h.remoteWith('tara', 'SUMMARY:Push Zone (theirs)')).toBeDefined();
  expect(await h.remoteWith('tara', 'SUMMARY:Push Ancient (theirs)')).toBeDefined();
  expect(await h.remoteWith('tara', 'SUMMARY:Push Plain (ours)')).toBeDefined();
}, 600_000);
