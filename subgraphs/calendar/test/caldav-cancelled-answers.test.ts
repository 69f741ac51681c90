/**
 * A participant's answer to one occurrence once the organiser cancels that
 * occurrence, by GraphQL or in her app (services/cancelled-answers.ts): it is
 * dropped with it, answers to the other occurrences stay, and an occurrence
 * she brings back is asked anew (RFC 5546: the series answer stands for it,
 * not the decline of the cancelled one).
 */
import { expect, it } from 'vitest';
import { editedByApp, USER_IDS, useCalDAVHarness } from './caldav-harness.js';

const h = useCalDAVHarness(['tara', 'ravi']);
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const CANCEL = `mutation($id: ID!, $scope: EditScope!, $occurrence: DateTime) { cancelCalendarEvent(id: $id, scope: $scope, occurrence: $occurrence) { id } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!, $at: DateTime) { respondToEvent(eventId: $id, status: $status, occurrence: $at) { status } }`;
const OCCURRENCES = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start event { id } participants { user { id } status } } }`;

/** The answers stored for single occurrences of the series, as `instant status`. */
async function storedAnswers(eventId: string): Promise<string[]> {
  const rows = await h.platform.db
    .selectFrom('calendar.occurrence_responses')
    .select(['recurrence_id', 'status'])
    .where('event_id', '=', eventId)
    .orderBy('recurrence_id')
    .execute();
  return rows.map((row: { recurrence_id: Date; status: string }) => `${row.recurrence_id.toISOString()} ${row.status}`);
}

/** Ravi's answer to each occurrence of the series in January 2029, by start. */
async function ravisJanuary(eventId: string): Promise<Record<string, string>> {
  const { calendarEvents } = await h.ok('ravi', OCCURRENCES, { from: '2029-01-01T00:00:00Z', to: '2029-02-01T00:00:00Z' });
  return Object.fromEntries(
    calendarEvents.filter((o: any) => o.event.id === eventId).map((o: any) => [o.start, o.participants.find((p: any) => p.user?.id === USER_IDS.ravi)?.status]),
  );
}

/** Tara's app saves her copy of the series changed by `change`, then she syncs. */
async function tarasAppSaves(change: (data: string) => string): Promise<void> {
  await h.sync('tara');
  const hers = (await h.remoteWith('tara', 'SUMMARY:Reading group'))!;
  await h.remotePut('tara', hers.href, change(hers.data), hers.etag);
  await h.sync('tara');
}

it('an answer to an occurrence the organiser cancels goes with it; one she brings back is asked anew', async () => {
  const { createCalendarEvent } = await h.ok('tara', CREATE, {
    input: { title: 'Reading group', start: '2029-01-01T08:00:00Z', end: '2029-01-01T09:00:00Z', recurrenceRule: 'FREQ=WEEKLY;COUNT=4', participantIds: [USER_IDS.ravi] },
  });
  const id: string = createCalendarEvent.id;
  await h.ok('ravi', RESPOND, { id, status: 'ACCEPTED' });
  await h.ok('ravi', RESPOND, { id, status: 'DECLINED', at: '2029-01-08T08:00:00Z' });
  await h.ok('ravi', RESPOND, { id, status: 'DECLINED', at: '2029-01-15T08:00:00Z' });
  await h.ok('ravi', RESPOND, { id, status: 'TENTATIVE', at: '2029-01-22T08:00:00Z' });
  await h.sync('ravi');

  // Cancelled through GraphQL: his decline of the 8th answers nothing any more.
  await h.ok('tara', CANCEL, { id, scope: 'THIS', occurrence: '2029-01-08T08:00:00Z' });
  expect(await storedAnswers(id)).toEqual(['2029-01-15T08:00:00.000Z DECLINED', '2029-01-22T08:00:00.000Z TENTATIVE']);
  // Deleted in her app (an EXDATE): the same for the 15th.
  await tarasAppSaves((data) => editedByApp(data, /(RRULE:FREQ=WEEKLY[^\r]*\r\n)/, '$1EXDATE:20290115T080000Z\r\n'));
  expect(await storedAnswers(id)).toEqual(['2029-01-22T08:00:00.000Z TENTATIVE']);
  expect(await ravisJanuary(id)).toEqual({ '2029-01-01T08:00:00.000Z': 'ACCEPTED', '2029-01-22T08:00:00.000Z': 'TENTATIVE' });

  // Both brought back in her app: new instances, which his answer to the series answers, not the old declines.
  await tarasAppSaves((data) => editedByApp(data, /EXDATE[^\r]*\r\n/g, ''));
  expect(await ravisJanuary(id)).toEqual({
    '2029-01-01T08:00:00.000Z': 'ACCEPTED',
    '2029-01-08T08:00:00.000Z': 'ACCEPTED',
    '2029-01-15T08:00:00.000Z': 'ACCEPTED',
    '2029-01-22T08:00:00.000Z': 'TENTATIVE',
  });
});
