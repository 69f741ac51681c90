/**
 * A push meeting a server copy the pull would refuse: events edited here
 * whose copies were meanwhile replaced there by objects that cannot be read
 * (a VTIMEZONE whose rules the pull refuses, a start before 1900), written
 * straight into Radicale's storage as a broken app or server leaves them.
 *
 * The sync ends: each such event is named in the run's log with why and
 * left as it is on both sides (ours kept here, theirs there, nothing
 * written over), and the other edits go out. The same holds for an
 * account whose owner is only a participant: an attendee's push carries at
 * most their answer, never the organiser's event over a copy it cannot read.
 */
import { expect, it } from 'vitest';
import { placeObject } from '../../../test/caldav/radicale-disk.js';
import { USER_IDS, useCalDAVHarness } from './caldav-harness.js';
import { ABSURD_ZONE, calendarOf, veventOf } from './caldav-hostile-objects.js';

const h = useCalDAVHarness(['tara', 'ravi']);

const LOG = `query { calDAVAccounts { syncLog(limit: 1) { succeeded error pushed skipped { href reason } } } }`;
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const HOURS = { Zone: 14, Ancient: 15, Plain: 16 } as const;
type Name = keyof typeof HOURS;
/** What stands in for each copy: a zone whose rules the pull refuses, a start before 1900. */
const UNREADABLE: Partial<Record<Name, string[]>> = {
  Zone: ['DTSTART;TZID=Absurd/Zone:20260601T090000', 'DURATION:PT1H'],
  Ancient: ['DTSTART:18000601T100000Z', 'DURATION:PT1H'],
};

/** Replaces `person`'s copy of the event titled `title` in Radicale's storage with an unreadable one titled `title (theirs)`; its file name. */
async function replaceUnreadably(person: 'tara' | 'ravi', title: string, name: Name): Promise<string> {
  const remote = (await h.remoteWith(person, `SUMMARY:${title}`))!;
  const uid = /^UID:(.*)$/m.exec(remote.data)![1]!.trim();
  const lines = UNREADABLE[name]!;
  const data = calendarOf(...(name === 'Zone' ? [ABSURD_ZONE] : []), veventOf(uid, ...lines, 'LAST-MODIFIED:20990101T000000Z', `SUMMARY:${title} (theirs)`));
  const file = decodeURIComponent(remote.href.split('/').pop()!);
  await placeObject(h.radicale, h.accounts[person].calendarUrl, file, data);
  return file;
}

/** The person's last run: it must have ended well; what it left out, by file name. */
async function lastRun(person: 'tara' | 'ravi') {
  const run = (await h.ok(person, LOG)).calDAVAccounts[0].syncLog[0];
  expect({ succeeded: run.succeeded, error: run.error }).toEqual({ succeeded: true, error: null });
  return new Map<string, string>(run.skipped.map((s: { href: string; reason: string }) => [decodeURIComponent(s.href.split('/').pop()!), s.reason]));
}
const RENAME = `mutation($id: ID!, $title: String!) { updateCalendarEvent(id: $id, input: { title: $title }) { id } }`;
const TITLE = `query($id: ID!) { calendarEvent(id: $id) { title } }`;

/**
 * Three events of Tara's (with `participantIds`), titled `${prefix} Zone|Ancient|Plain`, synced to `person`'s
 * calendar; there, the Zone and Ancient copies replaced by unreadable ones; here, all three renamed `... (ours)`,
 * so that each is `person`'s to push again. The events' ids and the replaced copies' file names.
 */
async function editedWhereUnreadable(person: 'tara' | 'ravi', prefix: string, day: string, participantIds?: string[]) {
  const ids = {} as Record<Name, string>;
  for (const name of Object.keys(HOURS) as Name[]) {
    const input = { title: `${prefix} ${name}`, start: `${day}T${HOURS[name]}:00:00Z`, end: `${day}T${HOURS[name]}:30:00Z`, timezone: 'Europe/Berlin', participantIds };
    ids[name] = (await h.ok('tara', CREATE, { input })).createCalendarEvent.id;
  }
  await h.sync(person);
  const files = { Zone: await replaceUnreadably(person, `${prefix} Zone`, 'Zone'), Ancient: await replaceUnreadably(person, `${prefix} Ancient`, 'Ancient') };
  for (const name of Object.keys(HOURS) as Name[]) await h.ok('tara', RENAME, { id: ids[name], title: `${prefix} ${name} (ours)` });
  return { ids, files };
}

it('a push conflict with a server copy it cannot read names that event, keeps both sides, and pushes the rest', async () => {
  const { ids, files } = await editedWhereUnreadable('tara', 'Push', '2026-06-01');

  await h.sync('tara');
  const skipped = await lastRun('tara');
  expect(skipped.get(files.Zone)).toMatch(/VTIMEZONE Absurd\/Zone changes its offset SECONDLY/);
  expect(skipped.get(files.Ancient)).toMatch(/in the year 1800/);
  // Ours kept here; theirs left there, not written over; the readable edit went out.
  for (const name of Object.keys(HOURS) as Name[]) expect((await h.ok('tara', TITLE, { id: ids[name] })).calendarEvent.title).toBe(`Push ${name} (ours)`);
  expect(await h.remoteWith('tara', 'SUMMARY:Push Zone (theirs)')).toBeDefined();
  expect(await h.remoteWith('tara', 'SUMMARY:Push Ancient (theirs)')).toBeDefined();
  expect(await h.remoteWith('tara', 'SUMMARY:Push Plain (ours)')).toBeDefined();
}, 600_000);

it('an attendee\u2019s push leaves the organiser\u2019s event alone where their copy cannot be read, and pushes the rest', async () => {
  const { ids, files } = await editedWhereUnreadable('ravi', 'Invite', '2026-06-02', [USER_IDS.ravi]);

  await h.sync('ravi');
  const skipped = await lastRun('ravi');
  expect(skipped.get(files.Zone)).toMatch(/VTIMEZONE Absurd\/Zone changes its offset SECONDLY/);
  expect(skipped.get(files.Ancient)).toMatch(/in the year 1800/);
  // His copies that cannot be read are left as they are: nothing of ours written over them; the readable one went out.
  expect(await h.remoteWith('ravi', 'SUMMARY:Invite Zone (theirs)')).toBeDefined();
  expect(await h.remoteWith('ravi', 'SUMMARY:Invite Ancient (theirs)')).toBeDefined();
  expect(await h.remoteWith('ravi', 'SUMMARY:Invite Plain (ours)')).toBeDefined();
  // The organiser's event stays hers.
  for (const name of Object.keys(HOURS) as Name[]) expect((await h.ok('tara', TITLE, { id: ids[name] })).calendarEvent.title).toBe(`Invite ${name} (ours)`);
}, 600_000);
