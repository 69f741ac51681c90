/**
 * What comes back from a CalDAV calendar obeys the calendar's rules: the
 * account's owner may change through CalDAV only what they may change through
 * GraphQL. Four people sync their own Radicale calendars: the organiser
 * (tara), a participant (ravi), a student who cannot see the event (neil) and
 * the company admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileDeletedInMoodle } from '../../../test/support/moodle-users.js';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import * as caldav from './caldav-client.js';

const PEOPLE = { tara: 'tara.teacher', ravi: 'ravi.teacher', neil: 'neil.student', admin: 'admin' } as const;
type Person = keyof typeof PEOPLE;
const password = (person: Person) => `${person}-app-password`;
let radicale: RunningRadicale;
let platform: TestPlatform;
const accounts = {} as Record<Person, { id: string; calendarUrl: string }>;

const calendar = subgraphCaller(() => platform, 'calendar');
const ok = async (person: Person, query: string, variables?: Record<string, unknown>) => dataOf(await calendar(PEOPLE[person], query, variables));
async function sync(person: Person) {
  const status = (await ok(person, `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`, { id: accounts[person].id })).syncCalDAV;
  expect(status).toEqual({ state: 'IDLE', lastError: null });
}

const auth = (person: Person) => caldav.basicAuth(person, password(person));
const remoteObjects = (person: Person) => caldav.remoteObjects(accounts[person].calendarUrl, auth(person));
const remoteWith = async (person: Person, text: string) => (await remoteObjects(person)).find((o) => o.data.includes(text));
const remotePut = (person: Person, href: string, data: string, etag?: string) => caldav.remotePut(href, data, auth(person), etag);
const remoteDelete = (person: Person, href: string) => caldav.remoteDelete(href, auth(person));
const later = () =>
  new Date(Date.now() + 60_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
/** The object as a calendar app saves it after an edit: newer LAST-MODIFIED. */
const edited = (data: string, from: string | RegExp, to: string) => data.replace(from, to).replace(/LAST-MODIFIED:\d{8}T\d{6}Z/g, `LAST-MODIFIED:${later()}`);

const EVENT = `query($id: ID!) { calendarEvent(id: $id) { title isCancelled recurrenceRule participants { user { id } status } } }`;
const titleOf = async (id: string) => (await ok('tara', EVENT, { id })).calendarEvent;
const RAVI = '4';
const FIRST = '2026-05-04T08:00:00Z';
const SECOND = '2026-05-11T08:00:00Z';
let eventId: string;

beforeAll(async () => {
  radicale = await startRadicale((Object.keys(PEOPLE) as Person[]).map((person) => ({ username: person, password: password(person) })));
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  for (const person of Object.keys(PEOPLE) as Person[]) {
    const { connectCalDAVAccount } = await ok(person, caldav.CONNECT_CALDAV, { url: radicale.url, username: person, password: password(person) });
    accounts[person] = connectCalDAVAccount;
  }
  const { createCalendarEvent } = await ok('tara', `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
    input: {
      title: 'Curriculum review',
      start: FIRST,
      end: '2026-05-04T09:00:00Z',
      timezone: 'Europe/Berlin',
      recurrenceRule: 'FREQ=WEEKLY;COUNT=4',
      participantIds: [RAVI],
    },
  });
  eventId = createCalendarEvent.id;
  await sync('tara');
  await sync('ravi');
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

describe('CalDAV pull obeys who may change what', () => {
  it('pushes the organiser and every participant as ATTENDEE with PARTSTAT, ROLE and CN', async () => {
    const copy = (await remoteWith('ravi', 'SUMMARY:Curriculum review'))!;
    const unfolded = copy.data.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toMatch(/ORGANIZER;CN=Tara Iyer[^\r]*:mailto:tara\.teacher@bheem\.example/);
    expect(unfolded).toMatch(/ATTENDEE;[^\r]*PARTSTAT=ACCEPTED[^\r]*:mailto:tara\.teacher@bheem\.example/);
    const ravi = /ATTENDEE;[^\r]*:mailto:ravi\.teacher@bheem\.example/.exec(unfolded)![0];
    expect(ravi).toContain('PARTSTAT=NEEDS-ACTION');
    expect(ravi).toContain('ROLE=REQ-PARTICIPANT');
    expect(ravi).toContain('CN=Ravi Menon');
  });

  it('a participant\u2019s rename in their own calendar is not applied and their copy is put back', async () => {
    const copy = (await remoteWith('ravi', 'SUMMARY:Curriculum review'))!;
    await remotePut('ravi', copy.href, edited(copy.data, 'SUMMARY:Curriculum review', 'SUMMARY:Go home'), copy.etag);
    await sync('ravi');
    expect((await titleOf(eventId)).title).toBe('Curriculum review');
    const back = (await remoteObjects('ravi')).find((o) => o.href === copy.href)!;
    expect(back.data).toContain('SUMMARY:Curriculum review');
  });

  it('a participant deleting their copy declines it, as calendar apps read it, cancels nothing, and the copy stays gone until they answer again', async () => {
    const copy = (await remoteWith('ravi', 'SUMMARY:Curriculum review'))!;
    await remoteDelete('ravi', copy.href);
    await sync('ravi');
    const event = await titleOf(eventId);
    expect(event.isCancelled).toBe(false);
    expect(event.participants).toContainEqual({ user: { id: RAVI }, status: 'DECLINED' });
    await sync('ravi');
    expect(await remoteWith('ravi', 'SUMMARY:Curriculum review')).toBeUndefined();
    await ok('ravi', `mutation($id: ID!) { respondToEvent(eventId: $id, status: TENTATIVE) { status } }`, { id: eventId });
    await sync('ravi');
    const back = (await remoteWith('ravi', 'SUMMARY:Curriculum review'))!;
    expect(back.data.replace(/\r\n[ \t]/g, '')).toMatch(/PARTSTAT=TENTATIVE[^\r]*:mailto:ravi\.teacher@bheem\.example/);
  });

  it('a participant\u2019s answer in their own client comes back as their RSVP, for the series and for one occurrence', async () => {
    let copy = (await remoteWith('ravi', 'SUMMARY:Curriculum review'))!;
    // Having declined by deleting their copy, then answered maybe (above), Ravi accepts after all.
    const accept = (data: string) => data.replace(/\r\n[ \t]/g, '').replace(/(ATTENDEE;[^\r]*)PARTSTAT=TENTATIVE([^\r]*:mailto:ravi\.teacher)/, '$1PARTSTAT=ACCEPTED$2');
    await remotePut('ravi', copy.href, edited(accept(copy.data), /^$/, ''), copy.etag);
    await sync('ravi');
    expect((await titleOf(eventId)).participants).toContainEqual({ user: { id: RAVI }, status: 'ACCEPTED' });

    // Declining the second Monday: the client adds an override with RECURRENCE-ID carrying the answer.
    copy = (await remoteWith('ravi', 'SUMMARY:Curriculum review'))!;
    const unfolded = copy.data.replace(/\r\n[ \t]/g, '');
    const master = /BEGIN:VEVENT\r\n[\s\S]*?END:VEVENT\r\n/.exec(unfolded)![0];
    const override = master
      .replace(/RRULE:[^\r]*\r\n/, '')
      .replace(/DTSTART;TZID=Europe\/Berlin:20260504T100000/, 'DTSTART;TZID=Europe/Berlin:20260511T100000\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260511T100000')
      .replace(/DTEND;TZID=Europe\/Berlin:20260504T110000/, 'DTEND;TZID=Europe/Berlin:20260511T110000')
      .replace(/(ATTENDEE;[^\r]*)PARTSTAT=ACCEPTED([^\r]*:mailto:ravi\.teacher)/, '$1PARTSTAT=DECLINED$2');
    await remotePut('ravi', copy.href, edited(unfolded.replace('END:VCALENDAR', `${override}END:VCALENDAR`), /^$/, ''), copy.etag);
    await sync('ravi');
    const { freeBusy } = await ok('tara', `query($from: DateTime!, $to: DateTime!) { freeBusy(userIds: ["${RAVI}"], from: $from, to: $to) { busy { start end } } }`, {
      from: '2026-05-01T00:00:00Z',
      to: '2026-05-31T00:00:00Z',
    });
    expect(freeBusy[0].busy.map((b: any) => b.start)).toEqual(['2026-05-04T08:00:00.000Z', '2026-05-18T08:00:00.000Z', '2026-05-25T08:00:00.000Z']);
    // The organiser's calendar shows that answer on that occurrence after their next sync.
    await sync('tara');
    const organisers = (await remoteWith('tara', 'SUMMARY:Curriculum review'))!.data.replace(/\r\n[ \t]/g, '');
    const second = organisers.split('BEGIN:VEVENT').find((part) => part.includes('RECURRENCE-ID;TZID=Europe/Berlin:20260511T100000'))!;
    expect(second).toMatch(/PARTSTAT=DECLINED[^\r]*:mailto:ravi\.teacher@bheem\.example/);
    expect(organisers.split('BEGIN:VEVENT')[1]).toMatch(/PARTSTAT=ACCEPTED[^\r]*:mailto:ravi\.teacher@bheem\.example/);
    expect(SECOND).toBe('2026-05-11T08:00:00Z');
    // Still a participant's copy: the title stays ours.
    expect((await titleOf(eventId)).title).toBe('Curriculum review');
  });

  it('a student\u2019s object with the UID of an event they cannot see becomes an event of their own', async () => {
    const forged = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Attacker//EN',
      'BEGIN:VEVENT',
      `UID:${eventId}@bheem`,
      'DTSTAMP:20260401T000000Z',
      `LAST-MODIFIED:${later()}`,
      'DTSTART:20260504T080000Z',
      'DTEND:20260504T090000Z',
      'SUMMARY:Hijacked',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const href = new URL('forged.ics', accounts.neil.calendarUrl).toString();
    await remotePut('neil', href, forged);
    await sync('neil');
    const ours = await titleOf(eventId);
    expect(ours).toMatchObject({ title: 'Curriculum review', recurrenceRule: 'FREQ=WEEKLY;COUNT=4', isCancelled: false });
    const { calendarEvents } = await ok('neil', `{ calendarEvents(from: "2026-05-04T00:00:00Z", to: "2026-05-05T00:00:00Z") { event { id title organizer { id } } } }`);
    expect(calendarEvents.map((o: any) => o.event)).toContainEqual({ id: expect.not.stringMatching(eventId), title: 'Hijacked', organizer: { id: '7' } });
    // Deleting it there cancels only the student's own copy.
    await remoteDelete('neil', href);
    await sync('neil');
    expect((await titleOf(eventId)).isCancelled).toBe(false);
  });

  it('an object over the occurrence cap is skipped without failing the sync', async () => {
    const hourly = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Attacker//EN',
      'BEGIN:VEVENT',
      'UID:hourly-1',
      'DTSTAMP:20260401T000000Z',
      'DTSTART:20260504T080000Z',
      'DTEND:20260504T081000Z',
      'RRULE:FREQ=HOURLY',
      'SUMMARY:Every hour',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await remotePut('neil', new URL('hourly.ics', accounts.neil.calendarUrl).toString(), hourly);
    await sync('neil');
    const { calendarEvents } = await ok('neil', `{ calendarEvents(from: "2026-05-04T00:00:00Z", to: "2026-05-05T00:00:00Z") { event { title } } }`);
    expect(calendarEvents.map((o: any) => o.event.title)).not.toContain('Every hour');
  });

  it('an object whose DURATION ends past any date is skipped, and the rest of the sync applies', async () => {
    const object = (uid: string, lines: string[]) =>
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Attacker//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260401T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join(
        '\r\n',
      );
    // 99,999,999 weeks from 2026 is past what a Date holds: its end was an Invalid Date, and the insert failed the whole sync.
    await remotePut(
      'neil',
      new URL('endless.ics', accounts.neil.calendarUrl).toString(),
      object('endless-1', ['DTSTART:20260505T080000Z', 'DURATION:P99999999W', 'SUMMARY:Endless']),
    );
    await remotePut('neil', new URL('fine.ics', accounts.neil.calendarUrl).toString(), object('fine-1', ['DTSTART:20260505T100000Z', 'DURATION:PT1H', 'SUMMARY:Fine one']));
    await sync('neil');
    const { calendarEvents } = await ok('neil', `{ calendarEvents(from: "2026-05-05T00:00:00Z", to: "2026-05-06T00:00:00Z") { event { title } } }`);
    expect(calendarEvents.map((o: any) => o.event.title)).toContain('Fine one');
    expect(calendarEvents.map((o: any) => o.event.title)).not.toContain('Endless');
  });

  it('an object repeating a RECURRENCE-ID keeps its last override, and the rest of the sync applies', async () => {
    // RFC 5545 allows one VEVENT per RECURRENCE-ID; a second one broke the unique override index and failed every later sync of the account.
    const vevent = (lines: string[]) => ['BEGIN:VEVENT', 'UID:twins-1', 'DTSTAMP:20260401T000000Z', ...lines, 'END:VEVENT'];
    const twins = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Attacker//EN',
      ...vevent(['DTSTART:20260507T080000Z', 'DTEND:20260507T090000Z', 'RRULE:FREQ=DAILY;COUNT=3', 'SUMMARY:Twins']),
      ...vevent(['RECURRENCE-ID:20260508T080000Z', 'DTSTART:20260508T120000Z', 'DTEND:20260508T130000Z', 'SUMMARY:Twin A']),
      ...vevent(['RECURRENCE-ID:20260508T080000Z', 'DTSTART:20260508T140000Z', 'DTEND:20260508T150000Z', 'SUMMARY:Twin B']),
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await remotePut('neil', new URL('twins.ics', accounts.neil.calendarUrl).toString(), twins);
    const fine = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//App//EN',
      'BEGIN:VEVENT',
      'UID:fine-2',
      'DTSTAMP:20260401T000000Z',
      'DTSTART:20260507T160000Z',
      'DURATION:PT1H',
      'SUMMARY:Fine two',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ];
    await remotePut('neil', new URL('fine-2.ics', accounts.neil.calendarUrl).toString(), fine.join('\r\n'));
    await sync('neil');
    await sync('neil');
    const { calendarEvents } = await ok('neil', `{ calendarEvents(from: "2026-05-07T00:00:00Z", to: "2026-05-10T00:00:00Z") { start event { title } } }`);
    const seen = calendarEvents.map((o: any) => `${o.start} ${o.event.title}`);
    expect(seen).toEqual(
      expect.arrayContaining(['2026-05-07T08:00:00.000Z Twins', '2026-05-08T14:00:00.000Z Twin B', '2026-05-09T08:00:00.000Z Twins', '2026-05-07T16:00:00.000Z Fine two']),
    );
    expect(seen.filter((line: string) => line.includes('Twin'))).toHaveLength(3);
  });

  it('an object with COUNT=0 is skipped as GraphQL refuses it, not made an endless series', async () => {
    const zero = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//App//EN',
      'BEGIN:VEVENT',
      'UID:count-zero-1',
      'DTSTAMP:20260401T000000Z',
      'DTSTART:20260512T080000Z',
      'DURATION:PT1H',
    ];
    await remotePut(
      'neil',
      new URL('count-zero.ics', accounts.neil.calendarUrl).toString(),
      [...zero, 'RRULE:FREQ=DAILY;COUNT=0', 'SUMMARY:Zero times', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
    );
    await sync('neil');
    const { calendarEvents } = await ok('neil', `{ calendarEvents(from: "2026-05-12T00:00:00Z", to: "2026-06-12T00:00:00Z") { event { title } } }`);
    expect(calendarEvents.filter((o: any) => o.event.title === 'Zero times')).toEqual([]);
  });

  it('the organiser edits and cancels from their calendar', async () => {
    const copy = (await remoteWith('tara', 'SUMMARY:Curriculum review'))!;
    await remotePut('tara', copy.href, edited(copy.data, 'SUMMARY:Curriculum review', 'SUMMARY:Curriculum review (room 2)'), copy.etag);
    await sync('tara');
    expect((await titleOf(eventId)).title).toBe('Curriculum review (room 2)');
  });

  it('the organiser\u2019s copy naming a participant as ORGANIZER loses nobody: her rename applies, our ORGANIZER goes back', async () => {
    const before = (await titleOf(eventId)).participants;
    const copy = (await remoteWith('tara', 'SUMMARY:Curriculum review'))!;
    // "Transfer organiser" in her app (or its bug): CalDAV cannot change who owns the event, GraphQL neither.
    const moved = copy.data.replace(/\r\n[ \t]/g, '').replace(/(ORGANIZER[^\r]*):mailto:tara\.teacher@bheem\.example/, '$1:mailto:ravi.teacher@bheem.example');
    expect(moved).toMatch(/ORGANIZER[^\r]*:mailto:ravi\.teacher/);
    await remotePut('tara', copy.href, edited(moved, /SUMMARY:Curriculum review[^\r]*/, 'SUMMARY:Curriculum review (handed over)'), copy.etag);
    await sync('tara');
    const event = await titleOf(eventId);
    expect(event.title).toBe('Curriculum review (handed over)');
    expect(event.participants).toEqual(before);
    expect(event.participants).toContainEqual({ user: { id: RAVI }, status: 'ACCEPTED' });
    const back = (await remoteObjects('tara')).find((o) => o.href === copy.href)!.data.replace(/\r\n[ \t]/g, '');
    expect(back).toMatch(/ORGANIZER[^\r]*:mailto:tara\.teacher@bheem\.example/);
    expect(back).toMatch(/ATTENDEE;[^\r]*:mailto:ravi\.teacher@bheem\.example/);
  });

  it('the organiser\u2019s copy changing only its ORGANIZER is put back, even with nothing else to apply', async () => {
    const before = (await titleOf(eventId)).participants;
    const copy = (await remoteWith('tara', 'SUMMARY:Curriculum review'))!;
    const moved = copy.data.replace(/\r\n[ \t]/g, '').replace(/(ORGANIZER[^\r]*):mailto:tara\.teacher@bheem\.example/, '$1:mailto:ravi.teacher@bheem.example');
    await remotePut('tara', copy.href, edited(moved, /^$/, ''), copy.etag);
    await sync('tara');
    expect((await titleOf(eventId)).participants).toEqual(before);
    const back = (await remoteObjects('tara')).find((o) => o.href === copy.href)!.data.replace(/\r\n[ \t]/g, '');
    expect(back).toMatch(/ORGANIZER[^\r]*:mailto:tara\.teacher@bheem\.example/);
  });

  it('an edited occurrence in the organiser\u2019s copy naming a participant as ORGANIZER loses nobody either, and goes back', async () => {
    const before = (await titleOf(eventId)).participants;
    const copy = (await remoteWith('tara', 'SUMMARY:Curriculum review'))!;
    const [calendarHead, ...vevents] = copy.data.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT');
    // The second Monday, which Ravi declined (above): an override of its own in Tara's copy.
    const second = vevents.findIndex((vevent) => vevent.includes('RECURRENCE-ID;TZID=Europe/Berlin:20260511T100000'));
    expect(second).toBeGreaterThan(0);
    // Her app hands that occurrence to Ravi: he is its ORGANIZER now, no longer one of its ATTENDEEs.
    vevents[second] = vevents[second]!.replace(/(ORGANIZER[^\r]*):mailto:tara\.teacher@bheem\.example/, '$1:mailto:ravi.teacher@bheem.example').replace(
      /ATTENDEE;[^\r]*:mailto:ravi\.teacher@bheem\.example\r\n/,
      '',
    );
    expect(vevents[second]).toMatch(/ORGANIZER[^\r]*:mailto:ravi\.teacher/);
    expect(vevents[second]).not.toMatch(/ATTENDEE;[^\r]*:mailto:ravi\.teacher/);
    await remotePut('tara', copy.href, edited([calendarHead, ...vevents].join('BEGIN:VEVENT'), /^$/, ''), copy.etag);
    await sync('tara');
    expect((await titleOf(eventId)).participants).toEqual(before);
    expect(before).toContainEqual({ user: { id: RAVI }, status: 'ACCEPTED' });
    const back = (await remoteObjects('tara')).find((o) => o.href === copy.href)!.data.replace(/\r\n[ \t]/g, '');
    const backSecond = back.split('BEGIN:VEVENT').find((vevent) => vevent.includes('RECURRENCE-ID;TZID=Europe/Berlin:20260511T100000'))!;
    expect(backSecond).toMatch(/ORGANIZER[^\r]*:mailto:tara\.teacher@bheem\.example/);
    expect(backSecond).toMatch(/ATTENDEE;[^\r]*PARTSTAT=DECLINED[^\r]*:mailto:ravi\.teacher@bheem\.example/);
    expect(back).not.toMatch(/ORGANIZER[^\r]*:mailto:ravi\.teacher/);
  });

  it('the organiser\u2019s copy answering one occurrence for a participant is not applied, and goes back', async () => {
    const copy = (await remoteWith('tara', 'SUMMARY:Curriculum review'))!;
    const [calendarHead, ...vevents] = copy.data.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT');
    // Ravi declined the second Monday (above); Tara's app says he accepts it.
    const second = vevents.findIndex((vevent) => vevent.includes('RECURRENCE-ID;TZID=Europe/Berlin:20260511T100000'));
    vevents[second] = vevents[second]!.replace(/(ATTENDEE;[^\r]*)PARTSTAT=DECLINED([^\r]*:mailto:ravi\.teacher)/, '$1PARTSTAT=ACCEPTED$2');
    expect(vevents[second]).toMatch(/PARTSTAT=ACCEPTED[^\r]*:mailto:ravi\.teacher/);
    await remotePut('tara', copy.href, edited([calendarHead, ...vevents].join('BEGIN:VEVENT'), /^$/, ''), copy.etag);
    await sync('tara');
    const { freeBusy } = await ok('tara', `query($from: DateTime!, $to: DateTime!) { freeBusy(userIds: ["${RAVI}"], from: $from, to: $to) { busy { start } } }`, {
      from: '2026-05-01T00:00:00Z',
      to: '2026-05-31T00:00:00Z',
    });
    expect(freeBusy[0].busy.map((b: any) => b.start)).not.toContain(SECOND.replace('Z', '.000Z'));
    const back = (await remoteObjects('tara')).find((o) => o.href === copy.href)!.data.replace(/\r\n[ \t]/g, '');
    const backSecond = back.split('BEGIN:VEVENT').find((vevent) => vevent.includes('RECURRENCE-ID;TZID=Europe/Berlin:20260511T100000'))!;
    expect(backSecond).toMatch(/ATTENDEE;[^\r]*PARTSTAT=DECLINED[^\r]*:mailto:ravi\.teacher@bheem\.example/);
  });

  it('an event made in the organiser\u2019s app keeps its ATTENDEEs: company users by address, others as guests', async () => {
    const made = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Thunderbird//EN',
      'BEGIN:VEVENT',
      'UID:tb-777',
      'DTSTAMP:20260401T000000Z',
      'DTSTART:20260506T120000Z',
      'DTEND:20260506T130000Z',
      'SUMMARY:Lunch planning',
      'ORGANIZER;CN=Tara:mailto:Tara.Teacher@bheem.example',
      'ATTENDEE;PARTSTAT=ACCEPTED;CN=Tara:mailto:tara.teacher@bheem.example',
      'ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Ravi:mailto:RAVI.teacher@bheem.example',
      'ATTENDEE;PARTSTAT=TENTATIVE;CN=Caterer:mailto:food@caterer.example',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await remotePut('tara', new URL('tb-777.ics', accounts.tara.calendarUrl).toString(), made);
    await sync('tara');
    const { calendarEvents } = await ok(
      'tara',
      `{ calendarEvents(from: "2026-05-06T00:00:00Z", to: "2026-05-07T00:00:00Z") { event { title
      participants { user { id } externalEmail externalName status isOrganizer } } } }`,
    );
    const lunch = calendarEvents.find((o: any) => o.event.title === 'Lunch planning').event;
    expect(lunch.participants).toEqual(
      expect.arrayContaining([
        { user: { id: '3' }, externalEmail: null, externalName: null, status: 'ACCEPTED', isOrganizer: true },
        { user: { id: RAVI }, externalEmail: null, externalName: null, status: 'PENDING', isOrganizer: false },
        { user: null, externalEmail: 'food@caterer.example', externalName: 'Caterer', status: 'TENTATIVE', isOrganizer: false },
      ]),
    );
    expect(lunch.participants).toHaveLength(3);
    await sync('ravi');
    expect(await remoteWith('ravi', 'SUMMARY:Lunch planning')).toBeDefined();
  });

  it('an event made in the organiser\u2019s app does not answer for the company users it invites', async () => {
    // Only a participant answers for themself (respondToEvent): PARTSTAT=ACCEPTED or DECLINED in the organiser's copy is not Ravi's answer.
    for (const [uid, partstat] of [
      ['tb-accepted', 'ACCEPTED'],
      ['tb-declined', 'DECLINED'],
    ] as const) {
      const made = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Thunderbird//EN',
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTAMP:20260401T000000Z',
        'DTSTART:20260507T120000Z',
        'DTEND:20260507T130000Z',
        `SUMMARY:Answered for Ravi ${partstat}`,
        'ORGANIZER;CN=Tara:mailto:tara.teacher@bheem.example',
        `ATTENDEE;PARTSTAT=${partstat};CN=Ravi:mailto:ravi.teacher@bheem.example`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
      await remotePut('tara', new URL(`${uid}.ics`, accounts.tara.calendarUrl).toString(), made);
    }
    await sync('tara');
    const { calendarEvents } = await ok(
      'tara',
      `{ calendarEvents(from: "2026-05-07T00:00:00Z", to: "2026-05-08T00:00:00Z") { event { title participants { user { id } status } } } }`,
    );
    const ravisStatus = (title: string) => calendarEvents.find((o: any) => o.event.title === title).event.participants.find((p: any) => p.user?.id === RAVI)?.status;
    expect(ravisStatus('Answered for Ravi ACCEPTED')).toBe('PENDING');
    expect(ravisStatus('Answered for Ravi DECLINED')).toBe('PENDING');
  });

  it('a company admin\u2019s edit of an event they can see applies', async () => {
    const forged = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Admin//EN',
      'BEGIN:VEVENT',
      `UID:${eventId}@bheem`,
      'DTSTAMP:20260401T000000Z',
      `LAST-MODIFIED:${later()}`,
      'DTSTART;TZID=Europe/Berlin:20260504T100000',
      'DTEND;TZID=Europe/Berlin:20260504T110000',
      'RRULE:FREQ=WEEKLY;COUNT=4',
      'SUMMARY:Curriculum review (by admin)',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await remotePut('admin', new URL('admin-edit.ics', accounts.admin.calendarUrl).toString(), forged);
    await sync('admin');
    expect((await titleOf(eventId)).title).toBe('Curriculum review (by admin)');
    // And the organiser's delete cancels it.
    await sync('tara');
    const copy = (await remoteWith('tara', 'SUMMARY:Curriculum review'))!;
    await remoteDelete('tara', copy.href);
    await sync('tara');
    expect((await titleOf(eventId)).isCancelled).toBe(true);
  });

  it('a deleted user\u2019s calendar is synced no more: their app\u2019s edits wait, and apply if they come back', async () => {
    // CalDAV sync runs with no token: it must not outlive its owner's membership of the company.
    const { createCalendarEvent } = await ok('tara', `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
      input: { title: 'Budget talk', start: '2027-06-01T08:00:00Z', end: '2027-06-01T09:00:00Z', participantIds: [RAVI] },
    });
    await sync('tara');
    const copy = (await remoteWith('tara', 'SUMMARY:Budget talk'))!;
    await remotePut('tara', copy.href, edited(copy.data, 'SUMMARY:Budget talk', 'SUMMARY:Budget talk (by a former teacher)'), copy.etag);
    await whileDeletedInMoodle(platform.db, 'tara.teacher', async () => {
      const { syncCalDAV } = await ok('tara', `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError } }`, { id: accounts.tara.id });
      expect(syncCalDAV).toEqual({ state: 'FAILED', lastError: expect.stringMatching(/no longer a user of the company/) });
      expect((await titleOf(createCalendarEvent.id)).title).toBe('Budget talk');
    });
    await sync('tara');
    expect((await titleOf(createCalendarEvent.id)).title).toBe('Budget talk (by a former teacher)');
  });
});
