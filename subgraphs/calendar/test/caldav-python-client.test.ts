/**
 * Acceptance round trip with a third-party client: events pushed to a real
 * Radicale are read, answered and edited with python's caldav library
 * (test/caldav/python-caldav-client.py), as Thunderbird or a phone would.
 * Maya organises a weekly meeting with Tara, Emil and an outside guest; Tara
 * declines one occurrence in her client; Maya changes who is invited in hers.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../platform/paths.js';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import * as caldav from './caldav-client.js';

const PEOPLE = { maya: 'maya.manager', tara: 'tara.teacher', emil: 'emil.employee' } as const;
type Person = keyof typeof PEOPLE;
const password = (person: Person) => `${person}-app-password`;
// Debian's python3-caldav lives with the system interpreter, whatever python3 comes first on PATH.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CLIENT = path.join(REPO_ROOT, 'test/caldav/python-caldav-client.py');
const TITLE = 'Quarterly planning';
const FIRST = '2027-03-01T08:30:00.000Z'; // 14:00 in Kolkata (the demo team meeting is at 10:00)
const SECOND = '2027-03-08T08:30:00.000Z';
const GUEST = 'priya@customer.example';

let radicale: RunningRadicale;
let platform: TestPlatform;
const accounts = {} as Partial<Record<Person, { id: string; calendarUrl: string }>>;
let eventId: string;

const calendar = subgraphCaller(() => platform, 'calendar');
const ok = async (person: Person, query: string, variables?: Record<string, unknown>) => dataOf(await calendar(PEOPLE[person], query, variables));
async function sync(person: Person) {
  const status = (await ok(person, `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`, { id: accounts[person]!.id })).syncCalDAV;
  expect(status).toEqual({ state: 'IDLE', lastError: null });
}

interface ClientEvent {
  summary: string;
  recurrenceId: string | null;
  organizer: string | null;
  attendees: { email: string; partstat: string; role: string; cn: string }[];
  alarms: string[];
}
/** One run of the python client as `person` on their calendar. */
async function client(person: Person, command: string, args?: unknown): Promise<ClientEvent[]> {
  const argv = [CLIENT, radicale.url, person, password(person), accounts[person]!.calendarUrl, command, ...(args ? [JSON.stringify(args)] : [])];
  const { stdout } = await promisify(execFile)(PYTHON, argv, { timeout: 60_000 });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  radicale = await startRadicale((['maya', 'tara'] as Person[]).map((person) => ({ username: person, password: password(person) })));
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  for (const person of ['maya', 'tara'] as Person[]) {
    accounts[person] = (await ok(person, caldav.CONNECT_CALDAV, { url: radicale.url, username: person, password: password(person) })).connectCalDAVAccount;
  }
  eventId = (
    await ok('maya', `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
      input: {
        title: TITLE,
        start: FIRST,
        end: '2027-03-01T09:30:00.000Z',
        timezone: 'Asia/Kolkata',
        recurrenceRule: 'FREQ=WEEKLY;COUNT=4',
        participantIds: ['3', '9'],
        externalParticipants: [{ email: GUEST, name: 'Priya Shah' }],
        reminderMinutes: [15],
      },
    })
  ).createCalendarEvent.id;
  await ok('tara', `mutation($id: ID!) { respondToEvent(eventId: $id, status: ACCEPTED) { status } }`, { id: eventId });
  await ok('emil', `mutation($id: ID!) { respondToEvent(eventId: $id, status: TENTATIVE) { status } }`, { id: eventId });
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

const participantsOf = async () =>
  (await ok('maya', `query($id: ID!) { calendarEvent(id: $id) { participants { user { id } externalEmail status isOrganizer } } }`, { id: eventId })).calendarEvent.participants
    .map((p: any) => [p.user?.id ?? p.externalEmail, p.status, p.isOrganizer])
    .sort((a: any, b: any) => String(a[0]).localeCompare(String(b[0])));

describe('a third-party CalDAV client (python caldav) sees and answers our events', () => {
  it('reads ORGANIZER and four ATTENDEEs with their answers', async () => {
    await sync('maya');
    const master = (await client('maya', 'read')).find((e) => e.summary === TITLE && !e.recurrenceId)!;
    expect(master.organizer).toBe('maya.manager@bheem.example');
    const byEmail = Object.fromEntries(master.attendees.map((a) => [a.email, [a.partstat, a.role]]));
    expect(byEmail).toEqual({
      'maya.manager@bheem.example': ['ACCEPTED', 'CHAIR'],
      'tara.teacher@bheem.example': ['ACCEPTED', 'REQ-PARTICIPANT'],
      'emil.employee@bheem.example': ['TENTATIVE', 'REQ-PARTICIPANT'],
      [GUEST]: ['NEEDS-ACTION', 'REQ-PARTICIPANT'],
    });
    expect(master.attendees.find((a) => a.email === GUEST)!.cn).toBe('Priya Shah');
    // The event's reminder as a VALARM the client shows.
    expect(master.alarms).toEqual(['-PT15M']);
  });

  it('a participant declining one occurrence in their client: that occurrence\u2019s answer, and free in free/busy', async () => {
    await sync('tara');
    await client('tara', 'decline', { summary: TITLE, occurrence: SECOND, email: 'tara.teacher@bheem.example' });
    await sync('tara');
    const { calendarEvent } = await ok(
      'maya',
      `query($id: ID!) { calendarEvent(id: $id) {
      occurrences(from: "2027-03-01T00:00:00Z", to: "2027-03-16T00:00:00Z") { start participants { user { id } status } } } }`,
      { id: eventId },
    );
    const taraOn = (start: string) => calendarEvent.occurrences.find((o: any) => o.start === start).participants.find((p: any) => p.user?.id === '3').status;
    expect([taraOn(FIRST), taraOn(SECOND)]).toEqual(['ACCEPTED', 'DECLINED']);
    const { freeBusy } = await ok('maya', `query { freeBusy(userIds: ["3"], from: "2027-03-01T00:00:00Z", to: "2027-03-29T00:00:00Z") { busy { start } } }`);
    const starts = freeBusy[0].busy.map((b: any) => b.start);
    expect(starts).toContain(FIRST);
    expect(starts).not.toContain(SECOND);
    // The organiser's client shows it on that occurrence after her next sync.
    await sync('maya');
    const second = (await client('maya', 'read')).find((e) => e.summary === TITLE && e.recurrenceId === SECOND.replace('.000', ''))!;
    expect(second.attendees.find((a) => a.email === 'tara.teacher@bheem.example')!.partstat).toBe('DECLINED');
  });

  it('the organiser changing who is invited in her own client changes the participants, keeping their answers', async () => {
    await client('maya', 'invite', { summary: TITLE, remove: ['emil.employee@bheem.example'], add: [{ email: 'ravi.teacher@bheem.example', name: 'Ravi Menon' }] });
    await sync('maya');
    expect(await participantsOf()).toEqual([
      ['3', 'ACCEPTED', false],
      ['4', 'PENDING', false],
      ['8', 'ACCEPTED', true],
      [GUEST, 'PENDING', false],
    ]);
    // Pushed back as we now hold it: Ravi invited, Emil no longer.
    await sync('maya');
    const master = (await client('maya', 'read')).find((e) => e.summary === TITLE && !e.recurrenceId)!;
    expect(master.attendees.map((a) => a.email).sort()).toEqual(['maya.manager@bheem.example', GUEST, 'ravi.teacher@bheem.example', 'tara.teacher@bheem.example']);
  });
});
