import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import { wallTimeIn } from '../recurrence/time-zones.js';
import { expectStoredJsonTexts } from './stored-json-texts.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
});
afterAll(() => platform?.stop());

const calendar = subgraphCaller(() => platform, 'calendar');
const call = async (username: string, query: string, variables?: Record<string, unknown>) => (await calendar(username, query, variables)).body;
const ok = async (username: string, query: string, variables?: Record<string, unknown>) => dataOf(await calendar(username, query, variables));
const codeOf = (body: any) => body.errors?.[0]?.extensions?.code;

const FIELDS =
  'id title start end timezone recurrenceRule exdates isCancelled sequence organizer { id } participants { user { id } externalEmail externalName status isOrganizer }';
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!, $scope: EditScope, $occurrence: DateTime) {
  updateCalendarEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $scope: EditScope, $occurrence: DateTime) { cancelCalendarEvent(id: $id, scope: $scope, occurrence: $occurrence) { id isCancelled exdates recurrenceRule } }`;
const OCCURRENCES = `query($id: ID!, $from: DateTime!, $to: DateTime!) { calendarEvent(id: $id) { occurrences(from: $from, to: $to) { start end recurrenceId event { id title } } } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!, $occurrence: DateTime) { respondToEvent(eventId: $id, status: $status, occurrence: $occurrence) { user { id } status } }`;
const FREE_BUSY = `query($users: [ID!]!, $from: DateTime!, $to: DateTime!) { freeBusy(userIds: $users, from: $from, to: $to) { user { id } busy { start end } } }`;

/** A weekly series on Mondays 09:00 Berlin from 2 March 2026 (crosses the 29 March DST change). */
async function createWeekly(username = 'maya.manager', extra: Record<string, unknown> = {}) {
  const data = await ok(username, CREATE, {
    input: {
      title: 'Planning',
      start: '2026-03-02T08:00:00Z',
      end: '2026-03-02T09:00:00Z',
      timezone: 'Europe/Berlin',
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=8',
      participantIds: ['9', '3'],
      externalParticipants: [{ email: 'Partner@Example.com', name: 'Pat Partner' }],
      ...extra,
    },
  });
  return data.createCalendarEvent;
}
const occurrencesOf = async (username: string, id: string) =>
  (await ok(username, OCCURRENCES, { id, from: '2026-02-01T00:00:00Z', to: '2026-06-01T00:00:00Z' })).calendarEvent.occurrences as any[];
const berlinHour = (iso: string) => wallTimeIn(new Date(iso), 'Europe/Berlin').hour;

describe('own events', () => {
  it('creates a series organized by the caller, with company users and outsiders as participants', async () => {
    const event = await createWeekly();
    expect(event).toMatchObject({ title: 'Planning', timezone: 'Europe/Berlin', recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=8', organizer: { id: '8' }, sequence: 0 });
    expect(event.participants).toEqual([
      { user: { id: '8' }, externalEmail: null, externalName: null, status: 'ACCEPTED', isOrganizer: true },
      { user: { id: '3' }, externalEmail: null, externalName: null, status: 'PENDING', isOrganizer: false },
      { user: { id: '9' }, externalEmail: null, externalName: null, status: 'PENDING', isOrganizer: false },
      { user: null, externalEmail: 'Partner@Example.com', externalName: 'Pat Partner', status: 'PENDING', isOrganizer: false },
    ]);
    const occurrences = await occurrencesOf('emil.employee', event.id);
    expect(occurrences).toHaveLength(8);
    expect(occurrences.map((o) => berlinHour(o.start))).toEqual(Array(8).fill(9));
  });

  it('refuses invalid rules, unknown zones, foreign participants and source-only types with BAD_USER_INPUT', async () => {
    const base = { title: 'x', start: '2026-03-02T08:00:00Z' };
    const badRule = await call('emil.employee', CREATE, { input: { ...base, recurrenceRule: 'FREQ=FORTNIGHTLY' } });
    expect(codeOf(badRule)).toBe('BAD_USER_INPUT');
    expect(badRule.errors?.[0]?.message).toMatch(/Invalid recurrence rule "FREQ=FORTNIGHTLY": FREQ must be one of/);
    const badZone = await call('emil.employee', CREATE, { input: { ...base, timezone: 'Europe/Atlantis' } });
    expect(codeOf(badZone)).toBe('BAD_USER_INPUT');
    expect(badZone.errors?.[0]?.message).toMatch(/Unknown time zone "Europe\/Atlantis"/);
    const foreign = await call('emil.employee', CREATE, { input: { ...base, participantIds: ['21'] } });
    expect(codeOf(foreign)).toBe('BAD_USER_INPUT');
    expect(foreign.errors?.[0]?.message).toMatch(/Not users of your company: 21/);
    const unknown = await call('emil.employee', CREATE, { input: { ...base, participantIds: ['4', '99999', '21'] } });
    expect(unknown.errors?.[0]?.message).toMatch(/Not users of your company: 99999, 21$/);
    // A line break (or any control character) could end the RRULE property in what we write: refused, not stored.
    for (const rule of ['FREQ=WEEKLY;UNTIL=20260401T000000Z\r\n\u0000', 'FREQ=DAILY;COUNT=3\r\nATTENDEE:mailto:x@example.com', 'FREQ=DAILY\tCOUNT=2']) {
      const injected = await call('emil.employee', CREATE, { input: { ...base, recurrenceRule: rule } });
      expect(codeOf(injected)).toBe('BAD_USER_INPUT');
      // Refused by every subgraph's text check (platform/graphql/text-input.ts) before the rule's own grammar.
      expect(injected.errors?.[0]?.message).toMatch(/printable ASCII|control characters|line breaks/);
    }
    const sourceType = await call('admin', CREATE, { input: { ...base, eventType: 'TASK_DEADLINE' } });
    expect(codeOf(sourceType)).toBe('BAD_USER_INPUT');
    const holiday = await call('emil.employee', CREATE, { input: { ...base, eventType: 'HOLIDAY' } });
    expect(codeOf(holiday)).toBe('FORBIDDEN');
    const backwards = await call('emil.employee', CREATE, { input: { ...base, end: '2026-03-01T08:00:00Z' } });
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
  });

  it('refuses an event lasting more than 366 days (platform/date-time.ts), created or changed, naming end', async () => {
    const centuries = await call('emil.employee', CREATE, { input: { title: 'Forever', start: '1900-01-01T00:00:00Z', end: '2200-12-31T00:00:00Z' } });
    expect(centuries.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'end' });
    expect(centuries.errors?.[0]?.message).toMatch(/366 days/);
    const allDay = await call('emil.employee', CREATE, { input: { title: 'Long', start: '2030-01-01T00:00:00Z', end: '2031-01-04T00:00:00Z', allDay: true } });
    expect(allDay.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'end' });
    const year = (await ok('emil.employee', CREATE, { input: { title: 'A year', start: '2030-01-01T00:00:00Z', end: '2031-01-01T00:00:00Z' } })).createCalendarEvent;
    const stretched = await call('emil.employee', UPDATE, { id: year.id, input: { end: '2200-12-31T00:00:00Z' } });
    expect(stretched.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'end' });
  });

  it('moves one occurrence (THIS) as a RECURRENCE-ID override', async () => {
    const event = await createWeekly();
    const third = (await occurrencesOf('maya.manager', event.id))[2];
    const { updateCalendarEvent: moved } = await ok('maya.manager', UPDATE, {
      id: event.id,
      scope: 'THIS',
      occurrence: third.recurrenceId,
      input: { title: 'Planning (late)', start: '2026-03-17T15:00:00Z' },
    });
    expect(moved.id).not.toBe(event.id);
    expect(moved).toMatchObject({ title: 'Planning (late)', start: '2026-03-17T15:00:00.000Z', end: '2026-03-17T16:00:00.000Z' });
    const after = await occurrencesOf('emil.employee', event.id);
    expect(after).toHaveLength(8);
    expect(after[2]).toEqual({
      start: '2026-03-17T15:00:00.000Z',
      end: '2026-03-17T16:00:00.000Z',
      recurrenceId: third.recurrenceId,
      event: { id: moved.id, title: 'Planning (late)' },
    });
    // Participants and rules belong to the series.
    const refused = await call('maya.manager', UPDATE, { id: event.id, scope: 'THIS', occurrence: third.recurrenceId, input: { recurrenceRule: 'FREQ=DAILY' } });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    const nowhere = await call('maya.manager', UPDATE, { id: event.id, scope: 'THIS', occurrence: '2026-03-18T08:00:00Z', input: { title: 'x' } });
    expect(codeOf(nowhere)).toBe('BAD_USER_INPUT');
  });

  it('splits a series for THIS_AND_FOLLOWING: COUNT shared out, the rest moved to 10:00 local, overrides follow', async () => {
    const event = await createWeekly();
    const before = await occurrencesOf('maya.manager', event.id);
    await ok('maya.manager', UPDATE, { id: event.id, scope: 'THIS', occurrence: before[6].recurrenceId, input: { title: 'Planning (offsite)' } });
    const { updateCalendarEvent: next } = await ok('maya.manager', UPDATE, {
      id: event.id,
      scope: 'THIS_AND_FOLLOWING',
      occurrence: before[4].recurrenceId,
      input: { start: '2026-03-30T08:00:00Z', title: 'Planning v2' },
    });
    expect(next.id).not.toBe(event.id);
    expect(next.recurrenceRule).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=4');
    expect(next.participants.map((p: any) => p.user?.id ?? p.externalEmail)).toEqual(['8', '3', '9', 'Partner@Example.com']);
    const old = await occurrencesOf('maya.manager', event.id);
    expect(old.map((o) => o.start)).toEqual(before.slice(0, 4).map((o) => o.start));
    const rest = await occurrencesOf('maya.manager', next.id);
    expect(rest).toHaveLength(4);
    expect(rest.map((o) => berlinHour(o.start))).toEqual([10, 10, 10, 10]);
    expect(rest.map((o) => o.event.title)).toEqual(['Planning v2', 'Planning v2', 'Planning (offsite)', 'Planning v2']);
    expect((await ok('maya.manager', `query($id: ID!) { calendarEvent(id: $id) { sequence recurrenceRule } }`, { id: event.id })).calendarEvent).toEqual({
      sequence: 2,
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
    });
  });

  it('splits across a DST change by wall-clock time: later edits, cancellations and answers keep their local times', async () => {
    // Fridays 10:00 Berlin from 6 March; "this and following" from Friday 27 March goes to Monday 30 March, past the change to summer time (29 March).
    const event = await createWeekly('maya.manager', { start: '2026-03-06T09:00:00Z', end: '2026-03-06T10:00:00Z', recurrenceRule: 'FREQ=WEEKLY;COUNT=9' });
    await ok('maya.manager', UPDATE, { id: event.id, scope: 'THIS', occurrence: '2026-04-10T08:00:00Z', input: { title: 'Planning (offsite)' } });
    await ok('maya.manager', UPDATE, { id: event.id, scope: 'THIS', occurrence: '2026-04-17T08:00:00Z', input: { start: '2026-04-17T12:00:00Z' } });
    await ok('maya.manager', CANCEL, { id: event.id, scope: 'THIS', occurrence: '2026-04-24T08:00:00Z' });
    await ok('emil.employee', RESPOND, { id: event.id, status: 'DECLINED', occurrence: '2026-04-03T08:00:00Z' });
    const { updateCalendarEvent: rest } = await ok('maya.manager', UPDATE, {
      id: event.id,
      scope: 'THIS_AND_FOLLOWING',
      occurrence: '2026-03-27T09:00:00Z',
      input: { start: '2026-03-30T08:00:00Z', title: 'Planning v2' },
    });
    expect(rest.exdates).toEqual(['2026-04-27T08:00:00.000Z']);
    const ANSWERS = `query($id: ID!, $from: DateTime!, $to: DateTime!) { calendarEvent(id: $id) { occurrences(from: $from, to: $to) {
      start recurrenceId event { title } participants { user { id } status } } } }`;
    const { calendarEvent } = await ok('maya.manager', ANSWERS, { id: rest.id, from: '2026-03-01T00:00:00Z', to: '2026-06-01T00:00:00Z' });
    // Mondays 10:00 summer time (08:00Z): 3 April's answer goes to 6 April, 10 April's edit to 13 April, 17 April's move
    // (to 14:00) to 20 April 14:00, 24 April's cancellation to 27 April.
    expect(calendarEvent.occurrences.map((o: any) => [o.start, o.recurrenceId, o.event.title, o.participants.find((p: any) => p.user?.id === '9').status])).toEqual([
      ['2026-03-30T08:00:00.000Z', '2026-03-30T08:00:00.000Z', 'Planning v2', 'PENDING'],
      ['2026-04-06T08:00:00.000Z', '2026-04-06T08:00:00.000Z', 'Planning v2', 'DECLINED'],
      ['2026-04-13T08:00:00.000Z', '2026-04-13T08:00:00.000Z', 'Planning (offsite)', 'PENDING'],
      ['2026-04-20T12:00:00.000Z', '2026-04-20T08:00:00.000Z', 'Planning', 'PENDING'],
      ['2026-05-04T08:00:00.000Z', '2026-05-04T08:00:00.000Z', 'Planning v2', 'PENDING'],
    ]);
  });

  it('splits a series with UNTIL across a DST change: the rest\u2019s UNTIL moves by wall-clock time, keeping its last occurrence', async () => {
    // Fridays 10:00 Berlin from 6 March to 24 April (UNTIL is that last one, 08:00Z in summer time); "this and following"
    // from Friday 27 March (09:00Z, winter time) goes to Monday 30 March 10:00 (08:00Z, summer time).
    const event = await createWeekly('maya.manager', {
      start: '2026-03-06T09:00:00Z',
      end: '2026-03-06T10:00:00Z',
      recurrenceRule: 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20260424T080000Z',
    });
    const { updateCalendarEvent: rest } = await ok('maya.manager', UPDATE, {
      id: event.id,
      scope: 'THIS_AND_FOLLOWING',
      occurrence: '2026-03-27T09:00:00Z',
      input: { start: '2026-03-30T08:00:00Z', end: '2026-03-30T09:00:00Z' },
    });
    // Friday 24 April 10:00 is Monday 27 April 10:00 now: UNTIL moved by three days, not by the first occurrence's 71 hours.
    expect(rest.recurrenceRule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260427T080000Z');
    expect((await occurrencesOf('maya.manager', rest.id)).map((o) => o.start)).toEqual([
      '2026-03-30T08:00:00.000Z',
      '2026-04-06T08:00:00.000Z',
      '2026-04-13T08:00:00.000Z',
      '2026-04-20T08:00:00.000Z',
      '2026-04-27T08:00:00.000Z',
    ]);
    const old = await ok('maya.manager', `query($id: ID!) { calendarEvent(id: $id) { recurrenceRule } }`, { id: event.id });
    expect(old.calendarEvent.recurrenceRule).toBe('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260327T085959Z');
    expect((await occurrencesOf('maya.manager', event.id)).map((o) => o.start)).toEqual(['2026-03-06T09:00:00.000Z', '2026-03-13T09:00:00.000Z', '2026-03-20T09:00:00.000Z']);
  });

  it('cancels one occurrence (EXDATE), the rest of a series (UNTIL) and whole events', async () => {
    const event = await createWeekly('maya.manager', { recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO' });
    const list = await occurrencesOf('maya.manager', event.id);
    const one = await ok('maya.manager', CANCEL, { id: event.id, scope: 'THIS', occurrence: list[1].recurrenceId });
    expect(one.cancelCalendarEvent.exdates).toEqual([list[1].recurrenceId]);
    const rest = await ok('maya.manager', CANCEL, { id: event.id, scope: 'THIS_AND_FOLLOWING', occurrence: list[3].recurrenceId });
    expect(rest.cancelCalendarEvent.recurrenceRule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260323T075959Z');
    expect((await occurrencesOf('maya.manager', event.id)).map((o) => o.start)).toEqual([list[0].start, list[2].start]);
    const all = await ok('maya.manager', CANCEL, { id: event.id });
    expect(all.cancelCalendarEvent.isCancelled).toBe(true);
    expect(await occurrencesOf('maya.manager', event.id)).toEqual([]);
  });

  it('lets only the organizer and admins change an event, never one that follows an ERP record', async () => {
    const event = await createWeekly();
    const participant = await call('emil.employee', UPDATE, { id: event.id, input: { title: 'Mine now' } });
    expect(codeOf(participant)).toBe('FORBIDDEN');
    const admin = await ok('admin', UPDATE, { id: event.id, input: { title: 'Renamed by admin', participantIds: ['9'] } });
    expect(admin.updateCalendarEvent.title).toBe('Renamed by admin');
    expect(admin.updateCalendarEvent.participants.map((p: any) => p.user?.id ?? null)).toEqual(['8', '9']);
    const { calendarEvents } = await ok(
      'admin',
      `{ calendarEvents(from: "${new Date(Date.now() - 86_400_000).toISOString()}", to: "${new Date(Date.now() + 30 * 86_400_000).toISOString()}", types: [TASK_DEADLINE]) { event { id entityId } } }`,
    );
    const deadline = calendarEvents.find((o: any) => o.event.entityId === DEMO_ERP.tasks[0].id).event;
    const erp = await call('admin', UPDATE, { id: deadline.id, input: { title: 'Later' } });
    expect(codeOf(erp)).toBe('FORBIDDEN');
    expect(erp.errors?.[0]?.message).toMatch(/change it there/);
  });

  it('never changes another company\u2019s event', async () => {
    const event = await createWeekly();
    for (const [query, variables] of [
      [UPDATE, { id: event.id, input: { title: 'pwned' } }],
      [CANCEL, { id: event.id }],
      [RESPOND, { id: event.id, status: 'ACCEPTED' }],
    ] as const) {
      expect(codeOf(await call('globex.admin', query, variables))).toBe('NOT_FOUND');
    }
    expect((await ok('maya.manager', `query($id: ID!) { calendarEvent(id: $id) { title isCancelled } }`, { id: event.id })).calendarEvent).toEqual({
      title: 'Planning',
      isCancelled: false,
    });
  });
});

describe('answers and free/busy', () => {
  it('records a participant\u2019s answer for the series or one occurrence, and refuses non-participants', async () => {
    const event = await createWeekly();
    expect((await ok('emil.employee', RESPOND, { id: event.id, status: 'ACCEPTED' })).respondToEvent).toEqual({ user: { id: '9' }, status: 'ACCEPTED' });
    expect(codeOf(await call('admin', RESPOND, { id: event.id, status: 'ACCEPTED' }))).toBe('FORBIDDEN'); // sees it, not invited
    expect(codeOf(await call('ravi.teacher', RESPOND, { id: event.id, status: 'ACCEPTED' }))).toBe('NOT_FOUND'); // does not even see it
    expect(codeOf(await call('emil.employee', RESPOND, { id: event.id, status: 'DECLINED', occurrence: '2026-03-03T08:00:00Z' }))).toBe('BAD_USER_INPUT');
    const participants = (await ok('maya.manager', `query($id: ID!) { calendarEvent(id: $id) { participants { user { id } status } } }`, { id: event.id })).calendarEvent
      .participants;
    expect(participants).toContainEqual({ user: { id: '9' }, status: 'ACCEPTED' });
  });

  it('shows each occurrence\u2019s own answers and carries them over when the series is split', async () => {
    const event = await createWeekly();
    await ok('emil.employee', RESPOND, { id: event.id, status: 'ACCEPTED' });
    await ok('emil.employee', RESPOND, { id: event.id, status: 'TENTATIVE', occurrence: '2026-03-09T08:00:00Z' });
    await ok('emil.employee', RESPOND, { id: event.id, status: 'DECLINED', occurrence: '2026-04-13T07:00:00Z' });
    const EMIL = `query($id: ID!, $from: DateTime!, $to: DateTime!) { calendarEvent(id: $id) { occurrences(from: $from, to: $to) { start participants { user { id } status } } } }`;
    const emilOn = async (id: string) => {
      const { calendarEvent } = await ok('maya.manager', EMIL, { id, from: '2026-03-01T00:00:00Z', to: '2026-05-01T00:00:00Z' });
      return Object.fromEntries(calendarEvent.occurrences.map((o: any) => [o.start.slice(0, 10), o.participants.find((p: any) => p.user?.id === '9').status]));
    };
    expect(await emilOn(event.id)).toEqual({
      '2026-03-02': 'ACCEPTED',
      '2026-03-09': 'TENTATIVE',
      '2026-03-16': 'ACCEPTED',
      '2026-03-23': 'ACCEPTED',
      '2026-03-30': 'ACCEPTED',
      '2026-04-06': 'ACCEPTED',
      '2026-04-13': 'DECLINED',
      '2026-04-20': 'ACCEPTED',
    });
    // From 30 March on at 10:00 Berlin: the new series' 13 April keeps Emil's answer.
    const split = (await ok('maya.manager', UPDATE, { id: event.id, scope: 'THIS_AND_FOLLOWING', occurrence: '2026-03-30T07:00:00Z', input: { start: '2026-03-30T08:00:00Z' } }))
      .updateCalendarEvent;
    expect(await emilOn(split.id)).toEqual({ '2026-03-30': 'ACCEPTED', '2026-04-06': 'ACCEPTED', '2026-04-13': 'DECLINED', '2026-04-20': 'ACCEPTED' });
    expect(await emilOn(event.id)).toEqual({ '2026-03-02': 'ACCEPTED', '2026-03-09': 'TENTATIVE', '2026-03-16': 'ACCEPTED', '2026-03-23': 'ACCEPTED' });
  });

  it('merges busy intervals per user, leaving out declined occurrences and transparent events', async () => {
    const range = { from: '2026-09-07T00:00:00Z', to: '2026-09-08T00:00:00Z' };
    await ok('ravi.teacher', CREATE, { input: { title: 'Standup', start: '2026-09-07T07:30:00Z', end: '2026-09-07T08:30:00Z', participantIds: ['9'] } });
    await ok('ravi.teacher', CREATE, { input: { title: 'Reminder', start: '2026-09-07T12:00:00Z', end: '2026-09-07T13:00:00Z', eventType: 'REMINDER', participantIds: ['9'] } });
    const series = (
      await ok('ravi.teacher', CREATE, {
        input: {
          title: 'Sync',
          start: '2026-08-31T07:00:00Z',
          end: '2026-08-31T08:00:00Z',
          recurrenceRule: 'FREQ=WEEKLY;COUNT=4',
          participantIds: ['9'],
        },
      })
    ).createCalendarEvent;
    const before = (await ok('admin', FREE_BUSY, { users: ['9', '4', '5'], ...range })).freeBusy;
    expect(before[0]).toEqual({ user: { id: '9' }, busy: [{ start: '2026-09-07T07:00:00.000Z', end: '2026-09-07T08:30:00.000Z' }] });
    expect(before[1]).toEqual({ user: { id: '4' }, busy: [{ start: '2026-09-07T07:00:00.000Z', end: '2026-09-07T08:30:00.000Z' }] });
    expect(before[2]).toEqual({ user: { id: '5' }, busy: [] });
    await ok('emil.employee', RESPOND, { id: series.id, status: 'DECLINED', occurrence: '2026-09-07T07:00:00Z' });
    const after = (await ok('emil.employee', FREE_BUSY, { users: ['9'], ...range })).freeBusy;
    expect(after[0].busy).toEqual([{ start: '2026-09-07T07:30:00.000Z', end: '2026-09-07T08:30:00.000Z' }]);
    expect(codeOf(await call('admin', FREE_BUSY, { users: ['21'], ...range }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await call('admin', FREE_BUSY, { users: ['9'], from: range.to, to: range.from }))).toBe('BAD_USER_INPUT');
  });
});

describe('the stored JSON texts (migrations/event-json-texts.ts)', () => {
  it('are the scalar\u2019s and JSON.stringify\u2019s texts of every event these tests wrote (created, moved, split, cancelled)', async () => {
    expect(await expectStoredJsonTexts(platform.db)).toBeGreaterThan(5);
  });
});
