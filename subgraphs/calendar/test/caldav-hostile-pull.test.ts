/**
 * The CalDAV pull of hostile iCalendar. Objects no app would PUT (Radicale
 * refuses broken folding and non-UTF-8 on a PUT) are written straight into
 * the synced collection's folder in Radicale's storage, as another program
 * or a broken server leaves them (test/caldav/radicale-disk.ts), among an
 * event made here and one a neighbour app made; then the account syncs as
 * the product syncs it (syncCalDAV).
 *
 * The sync ends, the two ordinary events come through unchanged, each
 * object left out is named in the run's log with why, what is kept obeys
 * GraphQL's rules for the same fields, and the calendar still reads.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { placeObject } from '../../../test/caldav/radicale-disk.js';
import { useCalDAVHarness } from './caldav-harness.js';
import { HOSTILE, NEIGHBOUR } from './caldav-hostile-objects.js';

const h = useCalDAVHarness(['tara']);

const LOG = `query { calDAVAccounts { syncLog(limit: 1) { succeeded pulled error skipped { href reason } } } }`;
const EVENTS = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start end event { id title location externalId
  participants { externalEmail externalName status } } } }`;
const lastRun = async () => (await h.ok('tara', LOG)).calDAVAccounts[0].syncLog[0];
const june = async () => (await h.ok('tara', EVENTS, { from: '2026-06-01T00:00:00Z', to: '2026-06-03T00:00:00Z' })).calendarEvents;
const titled = (occurrences: any[], title: string) => occurrences.filter((o) => o.event.title === title);
/** The UID an object's text names first (null for none): which event it would be. */
const uidOf = (bytes: string | Uint8Array) => /^UID:(.*?)\r?$/m.exec(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1'))?.[1] ?? null;
/** What a run left out, by file name. */
const skippedIn = (run: { skipped: { href: string; reason: string }[] }) => new Map<string, string>(run.skipped.map((s) => [s.href.split('/').pop()!, s.reason]));

/** Why each object must be left out, by file name. */
const LEFT_OUT: Record<string, RegExp> = {
  'broken-folding.ics': /not readable as iCalendar/,
  'broken-fold-name.ics': /not readable as iCalendar/,
  'huge-summary.ics': /title may be at most 500 characters/,
  'no-dtstart.ics': /VEVENT without DTSTART/,
  'secondly-endless.ics': /FREQ must be one of/,
  'count-billion.ics': /COUNT must be a whole number from 1 to 99999/,
  'bysetpos-garbage.ics': /BYSETPOS: invalid value/,
  // Expanding it hung the pull (some 6 * 10^10 steps of ical.js).
  'absurd-vtimezone.ics': /VTIMEZONE Absurd\/Zone changes its offset SECONDLY/,
  'thousands-of-exdates.ics': /at most 1000 exdates/,
  'todo-only.ics': /holds no event/,
  'journal-only.ics': /holds no event/,
  'empty-calendar.ics': /holds no event/,
  'control-characters.ics': /title may not contain control characters/,
  // It came in as 1901 (Date.UTC's two-digit years).
  'year-0001.ics': /DTSTART in the year 1: dates must lie within the years 1900 to 2200/,
  'year-9999.ics': /start must lie within the years 1900 to 2200/,
  'three-centuries.ics': /end may be at most 366 days after the start/,
  'no-uid.ics': /no UID/,
  'not-icalendar.ics': /not readable as iCalendar/,
};

it('pulls a collection of hostile objects: the sync ends, the rest comes in, each one left out is named', async () => {
  await h.ok('tara', `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
    input: { title: 'Made here', start: '2026-06-01T14:00:00Z', end: '2026-06-01T15:00:00Z', timezone: 'Europe/Berlin' },
  });
  await h.sync('tara');
  const before = titled(await june(), 'Made here');
  expect(before).toHaveLength(1);

  await placeObject(h.radicale, h.accounts.tara.calendarUrl, 'neighbour.ics', NEIGHBOUR);
  for (const [name, bytes] of Object.entries(HOSTILE)) await placeObject(h.radicale, h.accounts.tara.calendarUrl, name, bytes);
  await h.sync('tara');

  const skipped = skippedIn(await lastRun());
  expect(Object.fromEntries(Object.keys(LEFT_OUT).map((name) => [name, skipped.get(name)]))).toEqual(
    Object.fromEntries(Object.entries(LEFT_OUT).map(([name, reason]) => [name, expect.stringMatching(reason)])),
  );
  for (const reason of skipped.values()) expect(reason.length).toBeLessThanOrEqual(300);
  // Of two objects with one UID, the first read is the event, the other is named.
  expect([skipped.get('same-uid-a.ics'), skipped.get('same-uid-b.ics')].filter(Boolean)).toEqual(['another object of the calendar holds the same UID']);

  const occurrences = await june();
  // Nothing else lost or changed: the event made here as it was, the neighbour's as its app wrote it.
  expect(titled(occurrences, 'Made here')).toEqual(before);
  expect(titled(occurrences, 'Neighbour lunch')).toMatchObject([{ start: '2026-06-01T12:00:00.000Z', end: '2026-06-01T13:00:00.000Z', event: { location: 'Canteen' } }]);
  // Each object kept or named, none both: per UID, as many objects as events kept (one at most) and objects named.
  // Kept: stored as an event, with or without occurrences in June (a rule may never match).
  const stored = await sql<{ uid: string }>`select distinct external_id as uid from calendar.calendar_events where external_id is not null`.execute(h.platform.db);
  const kept = new Set(stored.rows.map((row) => row.uid));
  for (const name of skipped.keys()) expect(HOSTILE[name], name).toBeDefined();
  const objects = Object.entries({ ...HOSTILE, 'neighbour.ics': NEIGHBOUR }).map(([name, bytes]) => ({ name, uid: uidOf(bytes) }));
  for (const uid of new Set(objects.map((o) => o.uid))) {
    const holders = objects.filter((o) => o.uid === uid);
    const named = holders.filter((o) => skipped.has(o.name)).map((o) => o.name);
    const keptOrNamed = (uid !== null && kept.has(uid) ? 1 : 0) + named.length;
    expect({ uid, keptOrNamed, named }).toEqual({ uid, keptOrNamed: holders.length, named });
  }
  // What is kept obeys GraphQL's rules for the same fields: one-line titles and locations, guests' addresses and names.
  expect(titled(occurrences, 'Hostile title Subject: injected')).toMatchObject([{ event: { location: 'Room 1 Bcc: victim@example.com' } }]);
  const guests = titled(occurrences, 'Hostile CRLF')[0].event.participants.filter((p: any) => p.externalEmail);
  expect(guests).toEqual([{ externalEmail: 'eve@evil.example', externalName: 'Eve Bcc: victim@example.com', status: 'PENDING' }]);
  expect(kept.has('hostile-latin1')).toBe(true);
  expect(kept.has('neighbour-1')).toBe(true);
}, 600_000);

it('syncs again without reading or changing any of them, still naming each left out, and the calendar reads without errors', async () => {
  const before = await june();
  await h.sync('tara');
  const run = await lastRun();
  expect(run).toMatchObject({ succeeded: true, pulled: 0 });
  // Still out of the calendar, named as in the first run, though not read again (their ETags unchanged).
  expect(Object.fromEntries(skippedIn(run))).toEqual(
    Object.fromEntries(Object.entries(LEFT_OUT).map(([name, reason]) => [name, expect.stringMatching(new RegExp(`not read again\\): .*${reason.source}`))])),
  );
  expect(await june()).toEqual(before);
  // A year of occurrences (a yearly series until 9999 and a weekly one with a phantom override among them), and free/busy.
  const year = await h.call('tara', EVENTS, { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
  expect(year.errors).toBeUndefined();
  const busy = await h.call('tara', `{ freeBusy(userIds: ["3"], from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { busy { start end } } }`);
  expect(busy.errors).toBeUndefined();
  for (const { event } of before) {
    const one = await h.call('tara', `query($id: ID!) { calendarEvent(id: $id) { id title description recurrenceRule exdates participants { status } } }`, { id: event.id });
    expect(one.errors, event.title).toBeUndefined();
  }
}, 600_000);
