/**
 * Account hygiene against a real Radicale: choosing one of several calendars,
 * the sync log, the losing side of a conflict kept for the user, and
 * disconnecting with the pushed objects removed or left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import * as caldav from './caldav-client.js';

const PEOPLE = { tara: 'tara.teacher', maya: 'maya.manager' } as const;
type Person = keyof typeof PEOPLE;
const password = (person: Person) => `${person}-app-password`;
let radicale: RunningRadicale;
let platform: TestPlatform;
const accounts = {} as Record<Person, { id: string; calendarUrl: string }>;

const calendar = subgraphCaller(() => platform, 'calendar');
const call = async (person: Person, query: string, variables?: Record<string, unknown>) => (await calendar(PEOPLE[person], query, variables)).body;
const ok = async (person: Person, query: string, variables?: Record<string, unknown>) => dataOf(await calendar(PEOPLE[person], query, variables));
const sync = async (person: Person) => (await ok(person, `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`, { id: accounts[person].id })).syncCalDAV;
const connect = async (person: Person) => (await ok(person, caldav.CONNECT_CALDAV, { url: radicale.url, username: person, password: password(person) })).connectCalDAVAccount;

const auth = (person: Person) => caldav.basicAuth(person, password(person));
const remoteObjects = (person: Person, calendarUrl = accounts[person].calendarUrl) => caldav.remoteObjects(calendarUrl, auth(person));
const summaries = async (person: Person, calendarUrl?: string) => (await remoteObjects(person, calendarUrl)).map((o) => /SUMMARY:([^\r\n]*)/.exec(o.data)?.[1]).sort();
const later = () =>
  new Date(Date.now() + 60_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

beforeAll(async () => {
  radicale = await startRadicale((Object.keys(PEOPLE) as Person[]).map((person) => ({ username: person, password: password(person) })));
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  for (const person of Object.keys(PEOPLE) as Person[]) accounts[person] = await connect(person);
  await ok('tara', `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
    input: { title: 'Lab inventory', start: '2027-02-02T09:00:00Z', end: '2027-02-02T10:00:00Z' },
  });
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

describe('CalDAV account hygiene', () => {
  it('logs every sync with its counts, latest first', async () => {
    expect(await sync('tara')).toEqual({ state: 'IDLE', lastError: null });
    expect(await sync('tara')).toEqual({ state: 'IDLE', lastError: null });
    const { calDAVAccounts } = await ok('tara', '{ calDAVAccounts { id syncLog(limit: 5) { startedAt finishedAt succeeded pushed pulled conflicts fullResync error } } }');
    const [second, first] = calDAVAccounts[0].syncLog;
    expect(first).toMatchObject({ succeeded: true, fullResync: true, error: null, conflicts: 0 });
    expect(first.pushed).toBeGreaterThan(1); // the new event and tara's demo events
    expect(second).toMatchObject({ succeeded: true, pushed: 0, fullResync: false, error: null });
    expect(new Date(second.startedAt) >= new Date(first.finishedAt)).toBe(true);
  });

  it('keeps the losing side of a conflict where the user can read it', async () => {
    // Tara renames her copy of a task deadline (a mirrored ERP record): ours is put back, hers kept.
    const copy = (await remoteObjects('tara')).find((o) => o.data.includes('SUMMARY:Due: Order oscilloscopes'))!;
    const renamed = copy.data.replace('SUMMARY:Due: Order oscilloscopes', 'SUMMARY:Oscilloscopes done by phone').replace(/LAST-MODIFIED:\d{8}T\d{6}Z/, `LAST-MODIFIED:${later()}`);
    expect((await fetch(copy.href, { method: 'PUT', headers: { ...auth('tara'), 'content-type': 'text/calendar', 'if-match': copy.etag }, body: renamed })).status).toBeLessThan(
      300,
    );
    await sync('tara');
    expect(await summaries('tara')).toContain('Due: Order oscilloscopes');
    const { calDAVAccounts } = await ok(
      'tara',
      `{ calDAVAccounts { syncLog(limit: 1) { conflicts }
      conflicts { eventId event { title } href kept reason losingICalendar occurredAt } } }`,
    );
    expect(calDAVAccounts[0].syncLog[0].conflicts).toBe(1);
    const [conflict] = calDAVAccounts[0].conflicts;
    expect(conflict).toMatchObject({ event: { title: 'Due: Order oscilloscopes' }, href: copy.href, kept: 'CALENDAR' });
    expect(conflict.reason).toMatch(/another domain/);
    expect(conflict.losingICalendar).toContain('SUMMARY:Oscilloscopes done by phone');
  });

  it('lists the account\u2019s calendars and syncs the one the user picks', async () => {
    const work = new URL('work/', radicale.homeUrl('tara')).toString();
    const made = await fetch(work, {
      method: 'MKCALENDAR',
      headers: { ...auth('tara'), 'content-type': 'application/xml' },
      body: '<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Work</D:displayname></D:prop></D:set></C:mkcalendar>',
    });
    expect(made.status).toBe(201);
    const list = `{ calDAVAccounts { calendarUrl calendars { url displayName holdsEvents selected } } }`;
    const [before] = (await ok('tara', list)).calDAVAccounts;
    expect(before.calendars).toContainEqual({ url: work, displayName: 'Work', holdsEvents: true, selected: false });
    expect(before.calendars.filter((c: any) => c.selected).map((c: any) => c.url)).toEqual([before.calendarUrl]);

    const unknown = await call('tara', `mutation($id: ID!, $url: String!) { selectCalDAVCalendar(accountId: $id, calendarUrl: $url) { id } }`, {
      id: accounts.tara.id,
      url: `${radicale.url}maya/`,
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const notMine = await call('maya', `mutation($id: ID!, $url: String!) { selectCalDAVCalendar(accountId: $id, calendarUrl: $url) { id } }`, { id: accounts.tara.id, url: work });
    expect(notMine.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const { selectCalDAVCalendar } = await ok('tara', `mutation($id: ID!, $url: String!) { selectCalDAVCalendar(accountId: $id, calendarUrl: $url) { calendarUrl } }`, {
      id: accounts.tara.id,
      url: work,
    });
    expect(selectCalDAVCalendar.calendarUrl).toBe(work);
    await sync('tara');
    expect(await summaries('tara', work)).toContain('Lab inventory');
    accounts.tara.calendarUrl = work;
  });

  it('disconnects removing what was pushed (events from the server stay), or leaving everything', async () => {
    const own = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Phone//EN',
      'BEGIN:VEVENT',
      'UID:phone-1',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270203T090000Z',
      'DTEND:20270203T100000Z',
      'SUMMARY:Dentist',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await fetch(new URL('phone-1.ics', accounts.tara.calendarUrl), { method: 'PUT', headers: { ...auth('tara'), 'content-type': 'text/calendar' }, body: own });
    await sync('tara');
    expect(await summaries('tara')).toEqual(expect.arrayContaining(['Dentist', 'Lab inventory']));
    const DISCONNECT = `mutation($id: ID!, $remove: Boolean!) { disconnectCalDAVAccount(accountId: $id, removePushedEvents: $remove) }`;
    expect((await call('maya', DISCONNECT, { id: accounts.tara.id, remove: true })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await ok('tara', DISCONNECT, { id: accounts.tara.id, remove: true })).disconnectCalDAVAccount).toBe(true);
    expect(await summaries('tara')).toEqual(['Dentist']);
    expect((await ok('tara', '{ calDAVAccounts { id } }')).calDAVAccounts).toEqual([]);
    // Our events stay ours.
    const { calendarEvents } = await ok('tara', '{ calendarEvents(from: "2027-02-02T00:00:00Z", to: "2027-02-04T00:00:00Z") { event { title } } }');
    expect(calendarEvents.map((o: any) => o.event.title).sort()).toEqual(['Dentist', 'Lab inventory']);

    await sync('maya');
    const mayas = await summaries('maya');
    expect(mayas.length).toBeGreaterThan(0);
    expect((await ok('maya', DISCONNECT, { id: accounts.maya.id, remove: false })).disconnectCalDAVAccount).toBe(true);
    expect(await summaries('maya')).toEqual(mayas);
  });
});
