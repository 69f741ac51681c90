/**
 * A participant who deletes an invitation from their calendar app declines
 * it (caldav-pull.ts), and in Nextcloud, Outlook and Apple it stays gone from
 * their calendar: it comes back only when they answer again, or when the
 * organiser changes what they answered to (a new time: RFC 5546's new
 * REQUEST, asking them again, NEEDS-ACTION). Deleting one occurrence of a
 * series there (an EXDATE, with the override of an edited one) declines that
 * occurrence only, as Nextcloud's scheduling replies; and it stays deleted
 * from his copy on the same terms: until he answers it otherwise, or the
 * organiser moves it.
 */
import { expect, it } from 'vitest';
import { editedByApp, unfolded, USER_IDS, useCalDAVHarness, veventsOf } from './caldav-harness.js';

const h = useCalDAVHarness(['ravi']);
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!, $scope: EditScope, $occurrence: DateTime) {
  updateCalendarEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) { id } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!) { respondToEvent(eventId: $id, status: $status) { status } }`;
const STATE = `query($id: ID!) { calendarEvent(id: $id) { isCancelled exdates participants { user { id } status } } }`;
const OCCURRENCES = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start event { title } participants { user { id } status } } }`;
const RAVI = 'ravi.teacher@bheem\\.example';
const ravisAnswer = (data: string) => new RegExp(`ATTENDEE;[^\\r]*PARTSTAT=([A-Z-]+)[^\\r]*:mailto:${RAVI}`).exec(unfolded(data))?.[1];
const ravisStatus = async (id: string) => (await h.ok('tara', STATE, { id })).calendarEvent.participants.find((p: any) => p.user?.id === USER_IDS.ravi)?.status;

/** Tara's meeting with Ravi, in his calendar; then deleted there by him and synced twice (the decline, then a push). */
async function deletedByRavi(title: string, day: string): Promise<string> {
  const { createCalendarEvent } = await h.ok('tara', CREATE, {
    input: { title, start: `${day}T08:00:00Z`, end: `${day}T09:00:00Z`, participantIds: [USER_IDS.ravi] },
  });
  const id: string = createCalendarEvent.id;
  await h.sync('ravi');
  await h.remoteDelete('ravi', (await h.remoteWith('ravi', `SUMMARY:${title}`))!.href);
  await h.sync('ravi');
  expect(await ravisStatus(id)).toBe('DECLINED');
  await h.sync('ravi');
  return id;
}

it('a deleted invitation stays gone while the organiser changes nothing he answered to; a new time brings it back, asking him again', async () => {
  const id = await deletedByRavi('Syllabus sync', '2027-03-01');
  expect(await h.remoteWith('ravi', 'SUMMARY:Syllabus sync')).toBeUndefined();
  // A new title or description asks nothing new of him (RFC 5546 2.1.4; Sabre counts neither).
  await h.ok('tara', UPDATE, { id, input: { title: 'Syllabus sync (agenda)', description: 'Agenda attached' } });
  await h.sync('ravi');
  expect(await h.remoteWith('ravi', 'SUMMARY:Syllabus sync')).toBeUndefined();
  expect(await ravisStatus(id)).toBe('DECLINED');
  // Rescheduled: a new REQUEST, which his answer to the old time does not answer.
  await h.ok('tara', UPDATE, { id, input: { start: '2027-03-02T08:00:00Z', end: '2027-03-02T09:00:00Z' } });
  await h.sync('ravi');
  const back = (await h.remoteWith('ravi', 'SUMMARY:Syllabus sync (agenda)'))!;
  expect(back).toBeDefined();
  expect(unfolded(back.data)).toContain('DTSTART:20270302T080000Z');
  expect(ravisAnswer(back.data)).toBe('NEEDS-ACTION');
  expect(await ravisStatus(id)).toBe('PENDING');
  // Back for good: the next sync leaves it there.
  await h.sync('ravi');
  expect(await h.remoteWith('ravi', 'SUMMARY:Syllabus sync (agenda)')).toBeDefined();
});

it('a deleted invitation comes back when he accepts it after all through Bheem', async () => {
  const id = await deletedByRavi('Exam board', '2027-03-08');
  expect(await h.remoteWith('ravi', 'SUMMARY:Exam board')).toBeUndefined();
  await h.ok('ravi', RESPOND, { id, status: 'ACCEPTED' });
  await h.sync('ravi');
  const back = (await h.remoteWith('ravi', 'SUMMARY:Exam board'))!;
  expect(back).toBeDefined();
  expect(ravisAnswer(back.data)).toBe('ACCEPTED');
});

/** Tara's weekly series (four Mondays from `day`) with Ravi, in his calendar. */
async function weeklyWithRavi(title: string, day: string): Promise<string> {
  const { createCalendarEvent } = await h.ok('tara', CREATE, {
    input: { title, start: `${day}T08:00:00Z`, end: `${day}T09:00:00Z`, recurrenceRule: 'FREQ=WEEKLY;COUNT=4', participantIds: [USER_IDS.ravi] },
  });
  return createCalendarEvent.id;
}

/** Ravi's answers to the occurrences of the series titled `title` (an edited one is its own event) between `from` and `to`, by start. */
async function ravisOccurrences(title: string, from: string, to: string): Promise<Record<string, string>> {
  const { calendarEvents } = await h.ok('ravi', OCCURRENCES, { from, to });
  return Object.fromEntries(
    calendarEvents.filter((o: any) => o.event.title === title).map((o: any) => [o.start, o.participants.find((p: any) => p.user?.id === USER_IDS.ravi)?.status]),
  );
}

it('an occurrence he deletes from his copy (EXDATE) is declined, that one only, and stays deleted there', async () => {
  const id = await weeklyWithRavi('Lab rota', '2027-04-05');
  await h.sync('ravi');
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Lab rota'))!;
  await h.remotePut('ravi', copy.href, editedByApp(copy.data, /(RRULE:[^\r]*\r\n)/, '$1EXDATE:20270412T080000Z\r\n'), copy.etag);
  await h.sync('ravi');
  expect(await ravisOccurrences('Lab rota', '2027-04-01T00:00:00Z', '2027-05-01T00:00:00Z')).toEqual({
    '2027-04-05T08:00:00.000Z': 'PENDING',
    '2027-04-12T08:00:00.000Z': 'DECLINED',
    '2027-04-19T08:00:00.000Z': 'PENDING',
    '2027-04-26T08:00:00.000Z': 'PENDING',
  });
  const { calendarEvent } = await h.ok('tara', STATE, { id });
  expect(calendarEvent).toMatchObject({ isCancelled: false, exdates: [] });
  await h.sync('ravi');
  expect(unfolded((await h.remoteWith('ravi', 'SUMMARY:Lab rota'))!.data)).toContain('EXDATE:20270412T080000Z');
});

it('an occurrence the organiser edited, deleted from his copy (its override gone, an EXDATE added), is declined', async () => {
  const id = await weeklyWithRavi('Safety drill', '2027-05-03');
  await h.ok('tara', UPDATE, { id, input: { location: 'Yard' }, scope: 'THIS', occurrence: '2027-05-10T08:00:00Z' });
  await h.sync('ravi');
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Safety drill'))!;
  const [series, ...overrides] = veventsOf(copy.data);
  expect(overrides.length).toBe(1);
  const text = unfolded(copy.data);
  const head = text.slice(0, text.indexOf('BEGIN:VEVENT'));
  const withoutIt = `${head}${series!.replace(/(RRULE:[^\r]*\r\n)/, '$1EXDATE:20270510T080000Z\r\n')}END:VCALENDAR\r\n`;
  await h.remotePut('ravi', copy.href, editedByApp(withoutIt), copy.etag);
  await h.sync('ravi');
  expect(await ravisOccurrences('Safety drill', '2027-05-01T00:00:00Z', '2027-06-01T00:00:00Z')).toMatchObject({
    '2027-05-03T08:00:00.000Z': 'PENDING',
    '2027-05-10T08:00:00.000Z': 'DECLINED',
    '2027-05-17T08:00:00.000Z': 'PENDING',
  });
  expect((await h.ok('tara', STATE, { id })).calendarEvent.exdates).toEqual([]);
});

it('an occurrence he deleted stays deleted, and declined, when the organiser changes something else; a new time for it brings it back', async () => {
  const id = await weeklyWithRavi('Reading group', '2027-06-07');
  await h.sync('ravi');
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Reading group'))!;
  await h.remotePut('ravi', copy.href, editedByApp(copy.data, /(RRULE:[^\r]*\r\n)/, '$1EXDATE:20270614T080000Z\r\n'), copy.etag);
  await h.sync('ravi');
  await h.sync('ravi');
  // The organiser renames the series: nothing he answered to changed.
  await h.ok('tara', UPDATE, { id, input: { title: 'Reading group (Woolf)' } });
  await h.sync('ravi');
  const renamed = (await h.remoteWith('ravi', 'SUMMARY:Reading group (Woolf)'))!;
  expect(unfolded(renamed.data)).toContain('EXDATE:20270614T080000Z');
  expect(veventsOf(renamed.data)).toHaveLength(1);
  const june = ['2027-06-01T00:00:00Z', '2027-07-01T00:00:00Z'] as const;
  expect(await ravisOccurrences('Reading group (Woolf)', ...june)).toEqual({
    '2027-06-07T08:00:00.000Z': 'PENDING',
    '2027-06-14T08:00:00.000Z': 'DECLINED',
    '2027-06-21T08:00:00.000Z': 'PENDING',
    '2027-06-28T08:00:00.000Z': 'PENDING',
  });
  await h.sync('ravi');
  expect(unfolded((await h.remoteWith('ravi', 'SUMMARY:Reading group (Woolf)'))!.data)).toContain('EXDATE:20270614T080000Z');
  // Only his copy: the event, and the organiser's copy, keep the occurrence.
  expect((await h.ok('tara', STATE, { id })).calendarEvent.exdates).toEqual([]);
  // The organiser moves that occurrence: a new time asks him again, and it is back in his copy.
  await h.ok('tara', UPDATE, { id, input: { start: '2027-06-15T08:00:00Z', end: '2027-06-15T09:00:00Z' }, scope: 'THIS', occurrence: '2027-06-14T08:00:00Z' });
  await h.sync('ravi');
  const moved = (await h.remoteWith('ravi', 'SUMMARY:Reading group (Woolf)'))!;
  expect(unfolded(moved.data)).not.toContain('EXDATE');
  const [, back] = veventsOf(moved.data);
  expect(unfolded(back!)).toContain('DTSTART:20270615T080000Z');
  expect(ravisAnswer(back!)).toBe('NEEDS-ACTION');
  expect(await ravisOccurrences('Reading group (Woolf)', ...june)).toMatchObject({ '2027-06-15T08:00:00.000Z': 'PENDING' });
  await h.sync('ravi');
  expect(unfolded((await h.remoteWith('ravi', 'SUMMARY:Reading group (Woolf)'))!.data)).not.toContain('EXDATE');
});

it('an occurrence he deleted comes back when he accepts it after all through Bheem', async () => {
  const id = await weeklyWithRavi('Choir practice', '2027-07-05');
  await h.sync('ravi');
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Choir practice'))!;
  await h.remotePut('ravi', copy.href, editedByApp(copy.data, /(RRULE:[^\r]*\r\n)/, '$1EXDATE:20270712T080000Z\r\n'), copy.etag);
  await h.sync('ravi');
  await h.ok('tara', UPDATE, { id, input: { description: 'Bring the scores' } });
  await h.sync('ravi');
  expect(unfolded((await h.remoteWith('ravi', 'SUMMARY:Choir practice'))!.data)).toContain('EXDATE:20270712T080000Z');
  await h.ok('ravi', `mutation($id: ID!, $at: DateTime) { respondToEvent(eventId: $id, status: ACCEPTED, occurrence: $at) { status } }`, { id, at: '2027-07-12T08:00:00Z' });
  await h.sync('ravi');
  const back = (await h.remoteWith('ravi', 'SUMMARY:Choir practice'))!;
  expect(unfolded(back.data)).not.toContain('EXDATE');
  expect(ravisAnswer(veventsOf(back.data)[1]!)).toBe('ACCEPTED');
});
