import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import * as caldav from './caldav-client.js';
import type { CalendarDatabase } from '../database.js';
import { expectStoredJsonTexts } from './stored-json-texts.js';

const PASSWORD = 'tara-app-password';
let radicale: RunningRadicale;
let platform: TestPlatform;
let db: Kysely<CalendarDatabase>;
let accountId: string;

beforeAll(async () => {
  radicale = await startRadicale([{ username: 'tara', password: PASSWORD }]);
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  db = platform.db;
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

const calendar = subgraphCaller(() => platform, 'calendar');
const call = async (query: string, variables?: Record<string, unknown>, username = 'tara.teacher') => (await calendar(username, query, variables)).body;
const ok = async (query: string, variables?: Record<string, unknown>, username = 'tara.teacher') => dataOf(await calendar(username, query, variables));
const CONNECT = `mutation($url: String!, $username: String!, $password: String!) {
  connectCalDAVAccount(url: $url, username: $username, appPassword: $password) { id calendarUrl username status { state } } }`;
const SYNC = `mutation($id: ID!) { syncCalDAV(accountId: $id) { state total done lastSuccessAt lastError } }`;
const sync = async () => {
  const status = (await ok(SYNC, { id: accountId })).syncCalDAV;
  expect(status).toMatchObject({ state: 'IDLE', lastError: null });
  expect(status.done).toBe(status.total);
  return status;
};
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id externalId } }`;
const EVENT = `query($id: ID!) { calendarEvent(id: $id) { title isCancelled externalId lastSyncedAt start recurrenceRule
  occurrences(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { start recurrenceId event { title } } } }`;

// The user's calendar app, speaking plain CalDAV.
const auth = caldav.basicAuth('tara', PASSWORD);
let calendarUrl: string;
const remoteWith = async (text: string) => (await caldav.remoteObjects(calendarUrl, auth)).find((o) => o.data.includes(text));
const remotePut = (href: string, data: string, etag?: string) => caldav.remotePut(href, data, auth, etag);
const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const touched = (data: string, from: string, to: string, lastModified = new Date(Date.now() + 60_000)) =>
  data.replace(from, to).replace(/LAST-MODIFIED:\d{8}T\d{6}Z/g, `LAST-MODIFIED:${stamp(lastModified)}`);

describe('CalDAV sync with a real Radicale', () => {
  it('connects with an app password kept encrypted, refusing credentials in URLs and wrong passwords', async () => {
    const inUrl = await call(CONNECT, { url: radicale.url.replace('http://', `http://tara:${PASSWORD}@`), username: 'tara', password: PASSWORD });
    expect(inUrl.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrong = await call(CONNECT, { url: radicale.url, username: 'tara', password: 'nope' });
    // A refused login is answered like any other unusable address (outbound policy: no scanning through it).
    expect(wrong.errors?.[0]?.extensions?.code).toBe('REMOTE_UNREACHABLE');
    const { connectCalDAVAccount: account } = await ok(CONNECT, { url: radicale.url, username: 'tara', password: PASSWORD });
    expect(account).toMatchObject({ username: 'tara', status: { state: 'IDLE' } });
    expect(account.calendarUrl.startsWith(radicale.homeUrl('tara'))).toBe(true);
    accountId = account.id;
    calendarUrl = account.calendarUrl;
    const stored = await db.selectFrom('calendar.caldav_accounts').select('password_encrypted').where('id', '=', accountId).executeTakeFirstOrThrow();
    expect(stored.password_encrypted).toMatch(/^v1:/);
    expect(stored.password_encrypted).not.toContain(PASSWORD);
    expect(JSON.stringify(await ok('{ calDAVAccounts { id username } }'))).not.toContain(PASSWORD);
    // Another user cannot sync it.
    expect((await call(SYNC, { id: accountId }, 'ravi.teacher')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('pushes the user\u2019s events: created here, visible there', async () => {
    const { createCalendarEvent: event } = await ok(CREATE, {
      input: { title: 'Lab prep', start: '2026-04-14T07:00:00Z', end: '2026-04-14T08:00:00Z', timezone: 'Europe/Berlin' },
    });
    const status = await sync();
    expect(status.total).toBeGreaterThan(3); // the new event, Tara's deadline, classes and team meetings
    expect(status.lastSuccessAt).not.toBeNull();
    const remote = await remoteWith('SUMMARY:Lab prep');
    expect(remote?.data).toContain('DTSTART;TZID=Europe/Berlin:20260414T090000');
    // The zone it names is defined in the object (RFC 5545 3.6.5), and Radicale took it.
    expect(remote?.data).toMatch(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin\r\n/);
    expect(await remoteWith(`X-BHEEM-SOURCE:project/task/${DEMO_ERP.tasks[2].id}`)).toBeDefined();
    const here = (await ok(EVENT, { id: event.id })).calendarEvent;
    expect(here.externalId).toBe(`${event.id}@bheem`);
    expect(here.lastSyncedAt).not.toBeNull();
    // Nothing changed: the next sync has nothing to do.
    expect((await sync()).total).toBe(0);
  });

  it('pulls edits and new events made there', async () => {
    const remote = (await remoteWith('SUMMARY:Lab prep'))!;
    await remotePut(remote.href, touched(remote.data, 'SUMMARY:Lab prep', 'SUMMARY:Lab prep (bring goggles)'), remote.etag);
    const made = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Phone//EN',
      'BEGIN:VEVENT',
      'UID:phone-123',
      'DTSTAMP:20260401T000000Z',
      'DTSTART;TZID=America/New_York:20260420T090000',
      'DTEND;TZID=America/New_York:20260420T093000',
      'SUMMARY:Dentist',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await remotePut(new URL('phone-123.ics', calendarUrl).toString(), made);
    await sync();
    const { calendarEvents } = await ok(`{ calendarEvents(from: "2026-04-13T00:00:00Z", to: "2026-04-21T00:00:00Z") { start event { id title externalId organizer { id } } } }`);
    const titles = calendarEvents.map((o: any) => o.event.title);
    expect(titles).toContain('Lab prep (bring goggles)');
    const dentist = calendarEvents.find((o: any) => o.event.title === 'Dentist');
    expect(dentist).toMatchObject({ start: '2026-04-20T13:00:00.000Z', event: { externalId: 'phone-123', organizer: { id: '3' } } });
  });

  it('deletes both ways', async () => {
    const dentist = (await remoteWith('SUMMARY:Dentist'))!;
    const { calendarEvents } = await ok(`{ calendarEvents(from: "2026-04-20T00:00:00Z", to: "2026-04-21T00:00:00Z") { event { id title } } }`);
    const dentistHere = calendarEvents.find((o: any) => o.event.title === 'Dentist').event;
    await caldav.remoteDelete(dentist.href, auth);
    await sync();
    expect((await ok(EVENT, { id: dentistHere.id })).calendarEvent.isCancelled).toBe(true);

    const { createCalendarEvent: temp } = await ok(CREATE, { input: { title: 'Short-lived', start: '2026-04-22T07:00:00Z', end: '2026-04-22T08:00:00Z' } });
    await sync();
    expect(await remoteWith('SUMMARY:Short-lived')).toBeDefined();
    await ok(`mutation($id: ID!) { cancelCalendarEvent(id: $id) { isCancelled } }`, { id: temp.id });
    await sync();
    expect(await remoteWith('SUMMARY:Short-lived')).toBeUndefined();
  });

  it('handles a concurrent edit (412): the last modified own event wins, mirrored ERP events keep ours', async () => {
    const { createCalendarEvent: event } = await ok(CREATE, { input: { title: 'Review', start: '2026-04-23T07:00:00Z', end: '2026-04-23T08:00:00Z' } });
    await sync();
    // Edited there first (an older LAST-MODIFIED), then here: ours is newer and overwrites theirs on the 412.
    let remote = (await remoteWith('SUMMARY:Review'))!;
    await remotePut(remote.href, touched(remote.data, 'SUMMARY:Review', 'SUMMARY:Review (theirs)', new Date(Date.now() - 60_000)), remote.etag);
    await ok(`mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Review (ours)" }) { id } }`, { id: event.id });
    await sync();
    expect((await remoteWith('SUMMARY:Review'))!.data).toContain('SUMMARY:Review (ours)');
    expect((await ok(EVENT, { id: event.id })).calendarEvent.title).toBe('Review (ours)');

    // Edited here, then there with a newer LAST-MODIFIED: theirs wins, here too.
    await ok(`mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Review v3 (ours)" }) { id } }`, { id: event.id });
    remote = (await remoteWith('SUMMARY:Review (ours)'))!;
    await remotePut(remote.href, touched(remote.data, 'SUMMARY:Review (ours)', 'SUMMARY:Review v3 (theirs)'), remote.etag);
    await sync();
    expect((await ok(EVENT, { id: event.id })).calendarEvent.title).toBe('Review v3 (theirs)');
    expect((await remoteWith('Review v3'))!.data).toContain('SUMMARY:Review v3 (theirs)');

    // A task deadline edited there is put back.
    const deadline = (await remoteWith(`X-BHEEM-SOURCE:project/task/${DEMO_ERP.tasks[2].id}`))!;
    await remotePut(deadline.href, touched(deadline.data, 'SUMMARY:Due: Order oscilloscopes', 'SUMMARY:Due: whenever'), deadline.etag);
    await sync();
    expect((await remoteWith(`X-BHEEM-SOURCE:project/task/${DEMO_ERP.tasks[2].id}`))!.data).toContain('SUMMARY:Due: Order oscilloscopes');
  });

  it('falls back to a full resync when the server refuses the sync token', async () => {
    await db
      .updateTable('calendar.caldav_accounts')
      .set({ sync_token: 'http://radicale.org/ns/sync/0000000000000000000000000000000000000000' })
      .where('id', '=', accountId)
      .execute();
    const made = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Phone//EN',
      'BEGIN:VEVENT',
      'UID:phone-456',
      'DTSTAMP:20260401T000000Z',
      'DTSTART;VALUE=DATE:20260425',
      'DTEND;VALUE=DATE:20260427',
      'SUMMARY:Trip',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await remotePut(new URL('phone-456.ics', calendarUrl).toString(), made);
    await sync();
    const token = (await db.selectFrom('calendar.caldav_accounts').select('sync_token').where('id', '=', accountId).executeTakeFirstOrThrow()).sync_token;
    expect(token).not.toContain('0000000000');
    const { calendarEvents } = await ok(`{ calendarEvents(from: "2026-04-25T00:00:00Z", to: "2026-04-28T00:00:00Z") { start end event { title allDay } } }`);
    expect(calendarEvents.find((o: any) => o.event.title === 'Trip')).toEqual({
      start: '2026-04-25T00:00:00.000Z',
      end: '2026-04-27T00:00:00.000Z',
      event: { title: 'Trip', allDay: true },
    });
  });

  it('announces only real changes after a full resync, even when every ETag is new to us', async () => {
    const announced = async () =>
      (
        await sql<{ n: number; keys: string[] }>`
      SELECT count(*)::int AS n, coalesce(array_agg(entity_key), '{}') AS keys FROM events.outbox WHERE topic LIKE 'calendar.event.%'`.execute(db)
      ).rows[0]!;
    const refuseToken = () =>
      db.updateTable('calendar.caldav_accounts').set({ sync_token: 'http://radicale.org/ns/sync/0000000000000000000000000000000000000000' }).where('id', '=', accountId).execute();
    const labPrep = await db.selectFrom('calendar.calendar_events').select('id').where('title', 'like', 'Lab prep%').executeTakeFirstOrThrow();
    const deadline = (await remoteWith(`X-BHEEM-SOURCE:project/task/${DEMO_ERP.tasks[2].id}`))!;

    // The token refused, one object edited there: one announcement, for that event.
    let before = await announced();
    await refuseToken();
    let remote = (await remoteWith('SUMMARY:Lab prep'))!;
    await remotePut(remote.href, touched(remote.data, /SUMMARY:Lab prep[^\r]*/.exec(remote.data)![0], 'SUMMARY:Lab prep (room 4)'), remote.etag);
    await sync();
    let after = await announced();
    expect(after.n - before.n).toBe(1);
    expect(after.keys.slice(before.n)).toEqual([labPrep.id]);

    // As above, and every stored ETag lost (a server restored from a backup): every object is fetched and compared, one is announced.
    before = after;
    await refuseToken();
    await db.updateTable('calendar.caldav_resources').set({ etag: null }).where('account_id', '=', accountId).execute();
    remote = (await remoteWith('SUMMARY:Lab prep'))!;
    await remotePut(remote.href, touched(remote.data, 'SUMMARY:Lab prep (room 4)', 'SUMMARY:Lab prep (room 5)'), remote.etag);
    const status = await sync();
    expect(status.total).toBeGreaterThan(5); // all of them were looked at
    after = await announced();
    expect(after.keys.slice(before.n)).toEqual([labPrep.id]);
    expect((await ok(EVENT, { id: labPrep.id })).calendarEvent.title).toBe('Lab prep (room 5)');
    // Unchanged mirrored records are not written back there either.
    expect((await remoteWith(`X-BHEEM-SOURCE:project/task/${DEMO_ERP.tasks[2].id}`))!.etag).toBe(deadline.etag);
    // And the ETags are known again: the next sync has nothing to do.
    expect((await sync()).total).toBe(0);
  });

  it('round-trips a recurring series with an edited occurrence', async () => {
    const { createCalendarEvent: series } = await ok(CREATE, {
      input: {
        title: 'Office hours',
        start: '2026-03-02T15:00:00Z',
        end: '2026-03-02T16:00:00Z',
        timezone: 'Europe/Berlin',
        recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6',
        exdates: ['2026-03-09T15:00:00Z'],
      },
    });
    const before = (await ok(EVENT, { id: series.id })).calendarEvent.occurrences;
    await ok(`mutation($id: ID!, $at: DateTime!) { updateCalendarEvent(id: $id, scope: THIS, occurrence: $at, input: { title: "Office hours (room 2)" }) { id } }`, {
      id: series.id,
      at: before[2].recurrenceId,
    });
    await sync();
    const remote = (await remoteWith('SUMMARY:Office hours'))!;
    expect(remote.data).toMatch(/RRULE:FREQ=WEEKLY;(BYDAY=MO;COUNT=6|COUNT=6;BYDAY=MO)/);
    expect(remote.data).toContain('EXDATE;TZID=Europe/Berlin:20260309T160000');
    expect(remote.data).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260323T160000');
    // Edited there: the override's title, then back here.
    await remotePut(remote.href, touched(remote.data, 'SUMMARY:Office hours (room 2)', 'SUMMARY:Office hours (room 3)'), remote.etag);
    await sync();
    const after = (await ok(EVENT, { id: series.id })).calendarEvent.occurrences;
    expect(after.map((o: any) => [o.start, o.event.title])).toEqual(before.map((o: any, i: number) => [o.start, i === 2 ? 'Office hours (room 3)' : 'Office hours']));
    expect(after).toHaveLength(5);
  });
});

describe('the stored JSON texts (migrations/event-json-texts.ts)', () => {
  it('are the scalar\u2019s and JSON.stringify\u2019s texts of every event the pulls and pushes wrote', async () => {
    expect(await expectStoredJsonTexts(db)).toBeGreaterThan(3);
  });
});
