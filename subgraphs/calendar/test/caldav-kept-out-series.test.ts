/**
 * An occurrence a participant deleted from their copy of a series (kept out
 * of it, their decline: services/occurrences-kept-out.ts) once the organiser
 * moves or cancels the series, once they restore it in their app, and when
 * someone who is not a participant sends such a copy. RFC 5546: a series
 * moved to new times is a new REQUEST, which a decline of the old time does
 * not answer (NEEDS-ACTION, back in their calendar); an occurrence or series
 * the organiser cancels leaves nothing to keep out.
 */
import { expect, it } from 'vitest';
import { editedByApp, unfolded, USER_IDS, useCalDAVHarness, veventsOf } from './caldav-harness.js';

const h = useCalDAVHarness(['tara', 'ravi', 'neil', 'gina']);
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!, $scope: EditScope, $occurrence: DateTime) {
  updateCalendarEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) { id } }`;
const CANCEL = `mutation($id: ID!, $scope: EditScope!, $occurrence: DateTime) { cancelCalendarEvent(id: $id, scope: $scope, occurrence: $occurrence) { id } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!, $at: DateTime) { respondToEvent(eventId: $id, status: $status, occurrence: $at) { status } }`;
const OCCURRENCES = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start event { id title } participants { user { id } status } } }`;
const RAVI = 'ravi.teacher@bheem\\.example';
const ravisAnswer = (data: string) => new RegExp(`ATTENDEE;[^\\r]*PARTSTAT=([A-Z-]+)[^\\r]*:mailto:${RAVI}`).exec(unfolded(data))?.[1];

/** Tara's weekly series (four Mondays from `day`, 08:00 UTC) with Ravi, synced into his calendar. */
async function weeklyWithRavi(title: string, day: string): Promise<string> {
  const { createCalendarEvent } = await h.ok('tara', CREATE, {
    input: { title, start: `${day}T08:00:00Z`, end: `${day}T09:00:00Z`, recurrenceRule: 'FREQ=WEEKLY;COUNT=4', participantIds: [USER_IDS.ravi] },
  });
  await h.sync('ravi');
  return createCalendarEvent.id;
}

/** The object as his app saves it with `exdates` (iCalendar UTC stamps) deleted from it and its overrides gone, then synced twice. */
async function ravisAppDeletes(title: string, exdates: string[]): Promise<void> {
  const copy = (await h.remoteWith('ravi', `SUMMARY:${title}`))!;
  const text = unfolded(copy.data);
  const head = text.slice(0, text.indexOf('BEGIN:VEVENT'));
  const master = veventsOf(copy.data)[0]!.replace(/(RRULE:[^\r]*\r\n)/, `$1${exdates.map((at) => `EXDATE:${at}\r\n`).join('')}`);
  await h.remotePut('ravi', copy.href, editedByApp(`${head}${master}END:VCALENDAR\r\n`), copy.etag);
  await h.sync('ravi');
  await h.sync('ravi');
}

/** Ravi's answers to the occurrences of the series titled `title` (and of id `only`, if given) between `from` and `to`, by start. */
async function ravisOccurrences(title: string, from: string, to: string, only?: string): Promise<Record<string, string>> {
  const { calendarEvents } = await h.ok('ravi', OCCURRENCES, { from, to });
  return Object.fromEntries(
    calendarEvents
      .filter((o: any) => o.event.title === title && (!only || o.event.id === only))
      .map((o: any) => [o.start, o.participants.find((p: any) => p.user?.id === USER_IDS.ravi)?.status]),
  );
}

/** The occurrences kept out of copies of the event, as ISO instants. */
async function keptOut(eventId: string): Promise<string[]> {
  const rows = await h.platform.db.selectFrom('calendar.caldav_removed_occurrences').select('recurrence_id').where('event_id', '=', eventId).orderBy('recurrence_id').execute();
  return rows.map((row: { recurrence_id: Date }) => row.recurrence_id.toISOString());
}

const copyOf = async (title: string) => unfolded((await h.remoteWith('ravi', `SUMMARY:${title}`))!.data);

it('the organiser moving the whole series brings the occurrence he deleted back, asking him again', async () => {
  const id = await weeklyWithRavi('Tutor rota', '2027-08-02');
  await ravisAppDeletes('Tutor rota', ['20270809T080000Z']);
  expect(await keptOut(id)).toEqual(['2027-08-09T08:00:00.000Z']);
  await h.ok('tara', UPDATE, { id, input: { start: '2027-08-02T10:00:00Z', end: '2027-08-02T11:00:00Z' }, scope: 'ALL' });
  // A new time for every occurrence: his decline of 08:00 answers nothing of 10:00 (RFC 5546 2.1.4).
  expect(await keptOut(id)).toEqual([]);
  const august = ['2027-08-01T00:00:00Z', '2027-09-01T00:00:00Z'] as const;
  expect(await ravisOccurrences('Tutor rota', ...august)).toEqual({
    '2027-08-02T10:00:00.000Z': 'PENDING',
    '2027-08-09T10:00:00.000Z': 'PENDING',
    '2027-08-16T10:00:00.000Z': 'PENDING',
    '2027-08-23T10:00:00.000Z': 'PENDING',
  });
  await h.sync('ravi');
  const copy = await copyOf('Tutor rota');
  expect(copy).toContain('DTSTART:20270802T100000Z');
  expect(copy).not.toContain('EXDATE');
  // The series and the occurrence asked again (its own answer, PENDING), both NEEDS-ACTION.
  expect(veventsOf(copy).map(ravisAnswer)).toEqual(['NEEDS-ACTION', 'NEEDS-ACTION']);
  await h.sync('ravi');
  expect(await copyOf('Tutor rota')).not.toContain('EXDATE');
});

it('the organiser moving the whole series in her own app does the same', async () => {
  const id = await weeklyWithRavi('Lecture rota', '2027-09-06');
  await ravisAppDeletes('Lecture rota', ['20270913T080000Z']);
  await h.sync('tara');
  const hers = (await h.remoteWith('tara', 'SUMMARY:Lecture rota'))!;
  const moved = editedByApp(hers.data)
    .replace(/DTSTART[^\r]*\r\n/, 'DTSTART:20270906T100000Z\r\n')
    .replace(/DTEND[^\r]*\r\n/, 'DTEND:20270906T110000Z\r\n');
  await h.remotePut('tara', hers.href, moved, hers.etag);
  await h.sync('tara');
  expect(await keptOut(id)).toEqual([]);
  expect(await ravisOccurrences('Lecture rota', '2027-09-01T00:00:00Z', '2027-10-01T00:00:00Z')).toEqual({
    '2027-09-06T10:00:00.000Z': 'PENDING',
    '2027-09-13T10:00:00.000Z': 'PENDING',
    '2027-09-20T10:00:00.000Z': 'PENDING',
    '2027-09-27T10:00:00.000Z': 'PENDING',
  });
  await h.sync('ravi');
  const copy = await copyOf('Lecture rota');
  expect(copy).toContain('DTSTART:20270906T100000Z');
  expect(copy).not.toContain('EXDATE');
});

it('a series change that leaves the deleted occurrence where it was keeps it out', async () => {
  const id = await weeklyWithRavi('Marking rota', '2027-09-06');
  await ravisAppDeletes('Marking rota', ['20270913T080000Z']);
  // Two more Mondays: the rule changed, his occurrence did not.
  await h.ok('tara', UPDATE, { id, input: { recurrenceRule: 'FREQ=WEEKLY;COUNT=6' }, scope: 'ALL' });
  expect(await keptOut(id)).toEqual(['2027-09-13T08:00:00.000Z']);
  await h.sync('ravi');
  expect(await copyOf('Marking rota')).toContain('EXDATE:20270913T080000Z');
  expect((await ravisOccurrences('Marking rota', '2027-09-13T00:00:00Z', '2027-09-14T00:00:00Z'))['2027-09-13T08:00:00.000Z']).toBe('DECLINED');
});

it('the organiser cancelling the occurrence he deleted, or the whole series, leaves nothing kept out', async () => {
  const id = await weeklyWithRavi('Seminar rota', '2027-10-04');
  await ravisAppDeletes('Seminar rota', ['20271011T080000Z', '20271018T080000Z']);
  expect(await keptOut(id)).toEqual(['2027-10-11T08:00:00.000Z', '2027-10-18T08:00:00.000Z']);
  await h.ok('tara', CANCEL, { id, scope: 'THIS', occurrence: '2027-10-11T08:00:00Z' });
  expect(await keptOut(id)).toEqual(['2027-10-18T08:00:00.000Z']);
  await h.sync('ravi');
  const copy = await copyOf('Seminar rota');
  expect(copy.match(/EXDATE:20271011T080000Z/g)).toHaveLength(1);
  expect(copy).toContain('EXDATE:20271018T080000Z');
  await h.ok('tara', CANCEL, { id, scope: 'ALL' });
  expect(await keptOut(id)).toEqual([]);
  await h.sync('ravi');
  expect(await h.remoteWith('ravi', 'SUMMARY:Seminar rota')).toBeUndefined();
});

it('an occurrence he restores in his app takes back the answer it had before he deleted it', async () => {
  const id = await weeklyWithRavi('Studio hours', '2027-11-01');
  await h.ok('ravi', RESPOND, { id, status: 'ACCEPTED' });
  await h.ok('ravi', RESPOND, { id, status: 'TENTATIVE', at: '2027-11-15T08:00:00Z' });
  await h.sync('ravi');
  await ravisAppDeletes('Studio hours', ['20271108T080000Z', '20271115T080000Z']);
  const november = ['2027-11-01T00:00:00Z', '2027-12-01T00:00:00Z'] as const;
  expect(await ravisOccurrences('Studio hours', ...november)).toEqual({
    '2027-11-01T08:00:00.000Z': 'ACCEPTED',
    '2027-11-08T08:00:00.000Z': 'DECLINED',
    '2027-11-15T08:00:00.000Z': 'DECLINED',
    '2027-11-22T08:00:00.000Z': 'ACCEPTED',
  });
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Studio hours'))!;
  await h.remotePut('ravi', copy.href, editedByApp(copy.data, /EXDATE:[^\r]*\r\n/g, ''), copy.etag);
  await h.sync('ravi');
  // Wanted back: the 8th follows his answer to the series again, the 15th is tentative as it was.
  expect(await ravisOccurrences('Studio hours', ...november)).toEqual({
    '2027-11-01T08:00:00.000Z': 'ACCEPTED',
    '2027-11-08T08:00:00.000Z': 'ACCEPTED',
    '2027-11-15T08:00:00.000Z': 'TENTATIVE',
    '2027-11-22T08:00:00.000Z': 'ACCEPTED',
  });
  expect(await keptOut(id)).toEqual([]);
  await h.sync('ravi');
  const back = await copyOf('Studio hours');
  expect(back).not.toContain('EXDATE');
  expect(veventsOf(back).map(ravisAnswer)).toEqual(['ACCEPTED', 'TENTATIVE']);
});

it('a restore his app sends while another answer stands takes that answer', async () => {
  const id = await weeklyWithRavi('Print room', '2027-11-29');
  await ravisAppDeletes('Print room', ['20271206T080000Z']);
  // His app brings it back as an occurrence he accepts (an override with his PARTSTAT).
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Print room'))!;
  const master = veventsOf(copy.data)[0]!;
  const override = master
    .replace(/EXDATE:[^\r]*\r\n/, '')
    .replace(/RRULE:[^\r]*\r\n/, 'RECURRENCE-ID:20271206T080000Z\r\n')
    .replace(/DTSTART:[^\r]*\r\n/, 'DTSTART:20271206T080000Z\r\n')
    .replace(/DTEND:[^\r]*\r\n/, 'DTEND:20271206T090000Z\r\n')
    .replace(/PARTSTAT=[A-Z-]+([^\r]*:mailto:ravi)/, 'PARTSTAT=ACCEPTED$1');
  const text = unfolded(copy.data);
  const restored = `${text.slice(0, text.indexOf('BEGIN:VEVENT'))}${master.replace(/EXDATE:[^\r]*\r\n/, '')}${override}END:VCALENDAR\r\n`;
  await h.remotePut('ravi', copy.href, editedByApp(restored), copy.etag);
  await h.sync('ravi');
  expect((await ravisOccurrences('Print room', '2027-12-06T00:00:00Z', '2027-12-07T00:00:00Z'))['2027-12-06T08:00:00.000Z']).toBe('ACCEPTED');
  expect(await keptOut(id)).toEqual([]);
});

it('several occurrences kept out of one series: each stays out or comes back on its own', async () => {
  const id = await weeklyWithRavi('Office hours', '2028-01-03');
  await ravisAppDeletes('Office hours', ['20280110T080000Z', '20280117T080000Z', '20280124T080000Z']);
  await h.ok('tara', UPDATE, { id, input: { title: 'Office hours (room 4)' } });
  await h.ok('tara', UPDATE, { id, input: { start: '2028-01-18T08:00:00Z', end: '2028-01-18T09:00:00Z' }, scope: 'THIS', occurrence: '2028-01-17T08:00:00Z' });
  await h.ok('ravi', RESPOND, { id, status: 'ACCEPTED', at: '2028-01-24T08:00:00Z' });
  await h.sync('ravi');
  const copy = await copyOf('Office hours (room 4)');
  expect(copy.match(/EXDATE:[^\r]*/g)).toEqual(['EXDATE:20280110T080000Z']);
  const [, ...overrides] = veventsOf(copy);
  expect(overrides.map((o) => [/DTSTART:([^\r]*)/.exec(o)?.[1], ravisAnswer(o)])).toEqual([
    ['20280118T080000Z', 'NEEDS-ACTION'],
    ['20280124T080000Z', 'ACCEPTED'],
  ]);
  expect(await ravisOccurrences('Office hours (room 4)', '2028-01-01T00:00:00Z', '2028-02-01T00:00:00Z')).toEqual({
    '2028-01-03T08:00:00.000Z': 'PENDING',
    '2028-01-10T08:00:00.000Z': 'DECLINED',
    '2028-01-18T08:00:00.000Z': 'PENDING',
    '2028-01-24T08:00:00.000Z': 'ACCEPTED',
  });
  expect(await keptOut(id)).toEqual(['2028-01-10T08:00:00.000Z']);
});

it('a copy with deleted or restored occurrences from someone not invited changes nothing of the event', async () => {
  const id = await weeklyWithRavi('Budget review', '2028-02-07');
  await ravisAppDeletes('Budget review', ['20280214T080000Z']);
  const ravis = (await h.remoteWith('ravi', 'SUMMARY:Budget review'))!;
  // Neil, a student who cannot see it, saves the same object (its UID) with another occurrence deleted, then restored.
  // Its ATTENDEEs kept: his own event, naming Ravi, shares its UID with Tara's, already in Ravi's calendar.
  const forged = editedByApp(ravis.data, /EXDATE:[^\r]*/, 'EXDATE:20280221T080000Z');
  await h.remotePut('neil', 'budget-review.ics', forged);
  await h.sync('neil');
  const neils = (await h.remoteWith('neil', 'SUMMARY:Budget review'))!;
  await h.remotePut('neil', neils.href, editedByApp(neils.data, /EXDATE:[^\r]*\r\n/g, ''), neils.etag);
  await h.sync('neil');
  expect(await keptOut(id)).toEqual(['2028-02-14T08:00:00.000Z']);
  // Ravi's calendar keeps Tara's series as it was, his deleted occurrence still out of it, and his sync goes on.
  await h.sync('ravi');
  const still = (await h.remoteObjects('ravi')).filter((object) => object.data.includes('SUMMARY:Budget review'));
  expect(still.map((object) => object.href)).toEqual([ravis.href]);
  expect(unfolded(still[0]!.data)).toContain('EXDATE:20280214T080000Z');
  // Tara's series only: Neil's own event, naming Ravi, has the same title and times.
  expect(await ravisOccurrences('Budget review', '2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z', id)).toEqual({
    '2028-02-07T08:00:00.000Z': 'PENDING',
    '2028-02-14T08:00:00.000Z': 'DECLINED',
    '2028-02-21T08:00:00.000Z': 'PENDING',
    '2028-02-28T08:00:00.000Z': 'PENDING',
  });
  // Through GraphQL he is refused the same: he cannot see the event.
  const refused = await h.call('neil', RESPOND, { id, status: 'DECLINED', at: '2028-02-21T08:00:00Z' });
  expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

it('a participant taken off the event keeps nothing out of it, and his app restoring an occurrence answers nothing', async () => {
  const id = await weeklyWithRavi('Staff rota', '2028-03-06');
  await ravisAppDeletes('Staff rota', ['20280313T080000Z']);
  await h.ok('tara', UPDATE, { id, input: { participantIds: [] }, scope: 'ALL' });
  expect(await keptOut(id)).toEqual([]);
  const stale = (await h.remoteWith('ravi', 'SUMMARY:Staff rota'))!;
  await h.remotePut('ravi', stale.href, editedByApp(stale.data, /EXDATE:[^\r]*\r\n/g, ''), stale.etag);
  await h.sync('ravi');
  expect(await keptOut(id)).toEqual([]);
  const rows = await h.platform.db.selectFrom('calendar.occurrence_responses').select(['user_id', 'status']).where('event_id', '=', id).execute();
  expect(rows.filter((row: { user_id: string }) => row.user_id === USER_IDS.ravi).map((row: { status: string }) => row.status)).not.toContain('ACCEPTED');
  const refused = await h.call('ravi', RESPOND, { id, status: 'ACCEPTED', at: '2028-03-13T08:00:00Z' });
  expect(refused.errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|FORBIDDEN/);
});

it('split "this and following": a deleted occurrence after the split stays out of the new series, or comes back if it moved', async () => {
  const id = await weeklyWithRavi('Lab duty', '2028-04-03');
  await ravisAppDeletes('Lab duty', ['20280417T080000Z', '20280424T080000Z']);
  // Renamed from the 17th on: the 17th and 24th are the new series' and still ask what he declined.
  const { updateCalendarEvent } = await h.ok('tara', UPDATE, { id, input: { title: 'Lab duty (new lab)' }, scope: 'THIS_AND_FOLLOWING', occurrence: '2028-04-17T08:00:00Z' });
  const rest: string = updateCalendarEvent.id;
  expect(await keptOut(rest)).toEqual(['2028-04-17T08:00:00.000Z', '2028-04-24T08:00:00.000Z']);
  await h.sync('ravi');
  expect((await copyOf('Lab duty (new lab)')).match(/EXDATE:[^\r]*/g)).toEqual(['EXDATE:20280417T080000Z', 'EXDATE:20280424T080000Z']);
  // Moved an hour from the 24th on: that one asks him again.
  const moved = await h.ok('tara', UPDATE, {
    id: rest,
    input: { start: '2028-04-24T09:00:00Z', end: '2028-04-24T10:00:00Z' },
    scope: 'THIS_AND_FOLLOWING',
    occurrence: '2028-04-24T08:00:00Z',
  });
  expect(await keptOut(rest)).toEqual(['2028-04-17T08:00:00.000Z']);
  expect(await keptOut(moved.updateCalendarEvent.id)).toEqual([]);
  expect(await ravisOccurrences('Lab duty (new lab)', '2028-04-24T00:00:00Z', '2028-04-25T00:00:00Z')).toEqual({ '2028-04-24T09:00:00.000Z': 'PENDING' });
});

/** Tara's app splits her copy of `title` "this and future" (RANGE=THISANDFUTURE, RFC 5545 3.8.4.4) at `at`, the rest renamed `renamed`, from `start` to `end`. */
async function tarasAppSplits(title: string, at: string, renamed: string, start: string, end: string): Promise<void> {
  await h.sync('tara');
  const hers = (await h.remoteWith('tara', `SUMMARY:${title}`))!;
  const text = unfolded(hers.data);
  const master = veventsOf(text)[0]!;
  const future = master
    .replace(/(RRULE|EXDATE)[^\r]*\r\n/g, '')
    .replace(/DTSTART[^\r]*\r\n/, `DTSTART:${start}\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:${at}\r\n`)
    .replace(/DTEND[^\r]*\r\n/, `DTEND:${end}\r\n`)
    .replace(`SUMMARY:${title}`, `SUMMARY:${renamed}`);
  await h.remotePut('tara', hers.href, editedByApp(text.replace('END:VCALENDAR', `${future}END:VCALENDAR`)), hers.etag);
  await h.sync('tara');
}

/** The id of Tara's series titled `title`. */
async function seriesTitled(title: string): Promise<string> {
  const row = await h.platform.db.selectFrom('calendar.calendar_events').select('id').where('title', '=', title).where('parent_id', 'is', null).executeTakeFirstOrThrow();
  return row.id;
}

it('split "this and following" in the organiser\u2019s app at the same times: the deleted occurrence stays out of the new series', async () => {
  const id = await weeklyWithRavi('Lab cover', '2028-05-01');
  await ravisAppDeletes('Lab cover', ['20280515T080000Z']);
  await tarasAppSplits('Lab cover', '20280508T080000Z', 'Lab cover (new lab)', '20280508T080000Z', '20280508T090000Z');
  const rest = await seriesTitled('Lab cover (new lab)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual(['2028-05-15T08:00:00.000Z']);
  expect(await ravisOccurrences('Lab cover (new lab)', '2028-05-01T00:00:00Z', '2028-06-01T00:00:00Z')).toEqual({
    '2028-05-08T08:00:00.000Z': 'PENDING',
    '2028-05-15T08:00:00.000Z': 'DECLINED',
    '2028-05-22T08:00:00.000Z': 'PENDING',
  });
  await h.sync('ravi');
  expect((await copyOf('Lab cover (new lab)')).match(/EXDATE:[^\r]*/g)).toEqual(['EXDATE:20280515T080000Z']);
});

it('split "this and following" in the organiser\u2019s app at new times: the deleted occurrence comes back, asking him again', async () => {
  const id = await weeklyWithRavi('Desk cover', '2028-06-05');
  await ravisAppDeletes('Desk cover', ['20280619T080000Z']);
  await tarasAppSplits('Desk cover', '20280612T080000Z', 'Desk cover (later)', '20280612T100000Z', '20280612T110000Z');
  const rest = await seriesTitled('Desk cover (later)');
  expect(await keptOut(id)).toEqual([]);
  expect(await keptOut(rest)).toEqual([]);
  expect(await ravisOccurrences('Desk cover (later)', '2028-06-01T00:00:00Z', '2028-07-01T00:00:00Z')).toEqual({
    '2028-06-12T10:00:00.000Z': 'PENDING',
    '2028-06-19T10:00:00.000Z': 'PENDING',
    '2028-06-26T10:00:00.000Z': 'PENDING',
  });
  await h.sync('ravi');
  const copy = await copyOf('Desk cover (later)');
  expect(copy).not.toContain('EXDATE');
  expect(veventsOf(copy).map(ravisAnswer)).toEqual(['NEEDS-ACTION', 'NEEDS-ACTION']);
});

it('a copy with deleted or restored occurrences from a user of another company changes nothing of the event', async () => {
  const id = await weeklyWithRavi('Audit review', '2028-07-03');
  await ravisAppDeletes('Audit review', ['20280710T080000Z']);
  const ravis = (await h.remoteWith('ravi', 'SUMMARY:Audit review'))!;
  // Gina (Globex) saves the same object, Ravi still named in it, with another occurrence deleted, then Ravi's restored.
  await h.remotePut('gina', 'audit-review.ics', editedByApp(ravis.data, /EXDATE:[^\r]*/, 'EXDATE:20280717T080000Z'));
  await h.sync('gina');
  const ginas = (await h.remoteWith('gina', 'SUMMARY:Audit review'))!;
  await h.remotePut('gina', ginas.href, editedByApp(ginas.data, /EXDATE:[^\r]*\r\n/g, ''), ginas.etag);
  await h.sync('gina');
  expect(await keptOut(id)).toEqual(['2028-07-10T08:00:00.000Z']);
  expect(await ravisOccurrences('Audit review', '2028-07-01T00:00:00Z', '2028-08-01T00:00:00Z', id)).toEqual({
    '2028-07-03T08:00:00.000Z': 'PENDING',
    '2028-07-10T08:00:00.000Z': 'DECLINED',
    '2028-07-17T08:00:00.000Z': 'PENDING',
    '2028-07-24T08:00:00.000Z': 'PENDING',
  });
  await h.sync('ravi');
  expect(unfolded((await h.remoteWith('ravi', 'SUMMARY:Audit review'))!.data)).toContain('EXDATE:20280710T080000Z');
});
