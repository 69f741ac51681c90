/**
 * Answers travelling between calendar apps and here. A participant's answer
 * in their own app comes back as their RSVP, and one given here reaches the
 * organiser's copy. An outside guest answers the organiser by mail (iTIP
 * REPLY); Nextcloud records that answer on the guest's ATTENDEE in the
 * organiser's copy (PARTSTAT, SCHEDULE-STATUS=2.0, RSVP removed), which is
 * taken. Nobody's copy may answer for a company user but their own.
 */
import { beforeAll, expect, it } from 'vitest';
import { editedByApp, useCalDAVHarness, unfolded, USER_IDS } from './caldav-harness.js';

const GUEST = 'priya.shah@example.org';
const h = useCalDAVHarness(['tara', 'ravi']);
let eventId: string;
beforeAll(async () => {
  const { createCalendarEvent } = await h.ok('tara', `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`, {
    input: {
      title: 'Board review',
      start: '2027-05-10T08:00:00Z',
      end: '2027-05-10T09:00:00Z',
      timezone: 'Europe/Berlin',
      participantIds: [USER_IDS.ravi],
      externalParticipants: [{ email: GUEST, name: 'Priya Shah' }],
    },
  });
  eventId = createCalendarEvent.id;
  await h.ok('ravi', `mutation($id: ID!) { respondToEvent(eventId: $id, status: ACCEPTED) { status } }`, { id: eventId });
  await h.sync('tara');
  await h.sync('ravi');
});

const answers = async () => {
  const { calendarEvent } = await h.ok('tara', `query($id: ID!) { calendarEvent(id: $id) { participants { user { id } externalEmail status } } }`, { id: eventId });
  return Object.fromEntries(calendarEvent.participants.map((p: any) => [p.user?.id ?? p.externalEmail, p.status]));
};
/** The copy with `address`'s ATTENDEE answering `partstat` (other parameters as an app leaves them). */
const answering = (data: string, address: string, partstat: string, extra = '') =>
  unfolded(data).replace(new RegExp(`(ATTENDEE;[^\\r]*?)PARTSTAT=[A-Z-]+([^\\r]*:mailto:${address.replace(/\./g, '\\.')})`), `$1PARTSTAT=${partstat}${extra}$2`);
const partstatIn = (data: string, address: string) => new RegExp(`ATTENDEE;[^\\r]*PARTSTAT=([A-Z-]+)[^\\r]*:mailto:${address.replace(/\./g, '\\.')}`).exec(unfolded(data))?.[1];

it('takes a guest\u2019s reply as the organiser\u2019s server records it, and no company user\u2019s answer from her copy', async () => {
  const copy = (await h.remoteWith('tara', 'SUMMARY:Board review'))!;
  let data = answering(copy.data, GUEST, 'ACCEPTED', ';SCHEDULE-STATUS=2.0').replace(/;RSVP=TRUE([^\r]*:mailto:priya)/, '$1');
  data = answering(data, 'ravi.teacher@bheem.example', 'DECLINED');
  await h.remotePut('tara', copy.href, editedByApp(data), copy.etag);
  await h.sync('tara');
  expect(await answers()).toMatchObject({ [GUEST]: 'ACCEPTED', [USER_IDS.ravi]: 'ACCEPTED', [USER_IDS.tara]: 'ACCEPTED' });
  // Her copy tells the truth again: Ravi's own answer.
  await h.sync('tara');
  expect(partstatIn((await h.remoteWith('tara', 'SUMMARY:Board review'))!.data, 'ravi.teacher@bheem.example')).toBe('ACCEPTED');
});

it('takes a participant\u2019s own answer from his copy, not the one he gives the organiser there, and it reaches her copy', async () => {
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Board review'))!;
  let data = answering(copy.data, 'ravi.teacher@bheem.example', 'TENTATIVE');
  data = answering(data, 'tara.teacher@bheem.example', 'DECLINED');
  data = answering(data, GUEST, 'DECLINED');
  await h.remotePut('ravi', copy.href, editedByApp(data), copy.etag);
  await h.sync('ravi');
  expect(await answers()).toMatchObject({ [USER_IDS.ravi]: 'TENTATIVE', [USER_IDS.tara]: 'ACCEPTED', [GUEST]: 'ACCEPTED' });
  await h.sync('tara');
  const organisers = (await h.remoteWith('tara', 'SUMMARY:Board review'))!.data;
  expect(partstatIn(organisers, 'ravi.teacher@bheem.example')).toBe('TENTATIVE');
  expect(partstatIn(organisers, GUEST)).toBe('ACCEPTED');
});

it('an answer given here reaches the organiser\u2019s copy and the participant\u2019s own', async () => {
  await h.ok('ravi', `mutation($id: ID!) { respondToEvent(eventId: $id, status: DECLINED) { status } }`, { id: eventId });
  await h.sync('tara');
  await h.sync('ravi');
  expect(partstatIn((await h.remoteWith('tara', 'SUMMARY:Board review'))!.data, 'ravi.teacher@bheem.example')).toBe('DECLINED');
  expect(partstatIn((await h.remoteWith('ravi', 'SUMMARY:Board review'))!.data, 'ravi.teacher@bheem.example')).toBe('DECLINED');
});

it('keeps a guest\u2019s delegation as the organiser\u2019s copy records it, the delegate a participant, and pushes it back', async () => {
  // The guest's app delegated to Neil (RFC 5546 4.2.5): Nextcloud records her REPLY on her ATTENDEE and adds the delegate.
  const DELEGATE = 'neil.student@bheem.example';
  const copy = (await h.remoteWith('tara', 'SUMMARY:Board review'))!;
  const data = answering(copy.data, GUEST, 'DELEGATED', `;DELEGATED-TO="mailto:${DELEGATE}";SCHEDULE-STATUS=2.0`).replace(
    /(ATTENDEE;[^\r]*:mailto:priya\.shah@example\.org\r\n)/,
    `$1ATTENDEE;CN=Neil Student;CUTYPE=INDIVIDUAL;DELEGATED-FROM="mailto:${GUEST}";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:${DELEGATE}\r\n`,
  );
  await h.remotePut('tara', copy.href, editedByApp(data), copy.etag);
  await h.sync('tara');
  expect(await answers()).toMatchObject({ [GUEST]: 'DELEGATED', [USER_IDS.neil]: 'PENDING', [USER_IDS.tara]: 'ACCEPTED' });
  // An edit here goes out with the delegation as the app wrote it.
  await h.ok('tara', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Board review (moved room)" }) { id } }`, { id: eventId });
  await h.sync('tara');
  const pushed = unfolded((await h.remoteWith('tara', 'SUMMARY:Board review (moved room)'))!.data);
  const line = (address: string) => pushed.split('\r\n').find((l) => l.startsWith('ATTENDEE') && l.endsWith(`:mailto:${address}`)) ?? '';
  expect(partstatIn(pushed, GUEST)).toBe('DELEGATED');
  expect(line(GUEST)).toContain(`DELEGATED-TO="mailto:${DELEGATE}"`);
  expect(line(DELEGATE)).toContain(`DELEGATED-FROM="mailto:${GUEST}"`);
  expect(partstatIn(pushed, DELEGATE)).toBe('NEEDS-ACTION');
});
