/**
 * A participant's answer given here reaching their copy of the organiser's
 * event that the sync cannot read (a start before 1900): RFC 6638 lets an
 * attendee change their own ATTENDEE's PARTSTAT and nothing else, so only
 * that is written into the copy, If-Match its ETag; everything else of the
 * organiser's object (odd properties, an unknown component, an e-mail
 * alarm's ATTENDEE, an override answered apart) stays as the server had it.
 */
import { expect, it } from 'vitest';
import { placeObject } from '../../../test/caldav/radicale-disk.js';
import { unfolded, USER_IDS, useCalDAVHarness } from './caldav-harness.js';

const h = useCalDAVHarness(['tara', 'ravi'], { countRequests: true });

const LOG = `query { calDAVAccounts { syncLog(limit: 1) { succeeded error skipped { href reason } } } }`;
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!) { respondToEvent(eventId: $id, status: $status) { status } }`;
const CRLF = '\r\n';

/** Tara's event with Ravi invited, synced to Ravi's calendar; its UID and both addresses as the copy names them. */
async function invite(title: string, day: string) {
  const input = { title, start: `2026-07-${day}T10:00:00Z`, end: `2026-07-${day}T11:00:00Z`, timezone: 'Europe/Berlin', participantIds: [USER_IDS.ravi] };
  const id = (await h.ok('tara', CREATE, { input })).createCalendarEvent.id as string;
  await h.sync('ravi');
  const copy = unfolded((await h.remoteWith('ravi', `SUMMARY:${title}`))!.data);
  const uid = /^UID:(.*)$/m.exec(copy)![1]!.trim();
  const organizer = /^ORGANIZER[^\r\n]*:mailto:(.*)$/im.exec(copy)![1]!.trim();
  const attendees = [...copy.matchAll(/^ATTENDEE[^\r\n]*:mailto:(.*)$/gim)].map((match) => match[1]!.trim());
  const ravi = attendees.find((address) => address.toLowerCase() !== organizer.toLowerCase())!;
  return { id, uid, organizer, ravi };
}

/**
 * The organiser's object as an app left it in Ravi's calendar, one the sync cannot read (its series starts in 1800):
 * Ravi's ATTENDEE folded, its CN quoted with ';' and ':', an override following the series' answer and one answered apart,
 * an e-mail alarm naming Ravi, odd properties and an unknown subcomponent (Radicale refuses one beside the VEVENTs).
 */
function unreadableCopy(uid: string, title: string, organizer: string, ravi: string): string {
  const raviLine = `ATTENDEE;CN="Ravi; the: teacher";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;X-NUM-GUESTS=0;SCHEDULE-STATUS=1.2:mailto:${ravi}`;
  const tara = `ATTENDEE;CN=Tara;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:${organizer}`;
  const event = (...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260401T000000Z', ...lines, 'END:VEVENT'];
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Odd App//EN',
    'X-WR-ODD:kept as it is',
    ...event(
      'DTSTART:18000601T100000Z',
      'DURATION:PT1H',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'LAST-MODIFIED:20990101T000000Z',
      `SUMMARY:${title} (theirs)`,
      `ORGANIZER;CN=Tara:mailto:${organizer}`,
      tara,
      raviLine.match(/.{1,70}/g)!.join(`${CRLF} `),
      'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
      'BEGIN:VALARM',
      'ACTION:EMAIL',
      `ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:${ravi}`,
      'SUMMARY:Reminder',
      'DESCRIPTION:Reminder',
      'TRIGGER:-PT15M',
      'END:VALARM',
      'BEGIN:X-ODD-COMPONENT',
      'X-THING:one',
      'END:X-ODD-COMPONENT',
    ),
    ...event('RECURRENCE-ID:18000608T100000Z', 'DTSTART:18000608T100000Z', 'DURATION:PT1H', `SUMMARY:${title} (theirs second)`, tara, raviLine),
    ...event('RECURRENCE-ID:18000615T100000Z', 'DTSTART:18000615T100000Z', 'DURATION:PT1H', `SUMMARY:${title} (theirs third)`, tara, raviLine.replace('NEEDS-ACTION', 'DECLINED')),
    'END:VCALENDAR',
    '',
  ].join(CRLF);
}

/** `data` with Ravi's PARTSTAT=NEEDS-ACTION made `partstat` on the ATTENDEEs of the events (not of their alarms). */
function answered(data: string, ravi: string, partstat: string): string {
  let alarm = false;
  return unfolded(data)
    .split(CRLF)
    .map((line) => {
      if (/^BEGIN:VALARM$/i.test(line)) alarm = true;
      if (/^END:VALARM$/i.test(line)) alarm = false;
      return !alarm && /^ATTENDEE/i.test(line) && line.toLowerCase().endsWith(`:mailto:${ravi.toLowerCase()}`)
        ? line.replace('PARTSTAT=NEEDS-ACTION', `PARTSTAT=${partstat}`)
        : line;
    })
    .join(CRLF);
}

/** Ravi's last run, which must have ended well: what it left out, by path (the platform reaches Radicale through a proxy). */
async function skipped(): Promise<Map<string, string>> {
  const run = (await h.ok('ravi', LOG)).calDAVAccounts[0].syncLog[0];
  expect({ succeeded: run.succeeded, error: run.error }).toEqual({ succeeded: true, error: null });
  return new Map(run.skipped.map((s: { href: string; reason: string }) => [new URL(s.href).pathname, s.reason]));
}

/** Replaces Ravi's copy of `title` with an unreadable one, read by Radicale itself (as another program's file); that copy. */
async function replaceUnreadably(title: string, invited: { uid: string; organizer: string; ravi: string }) {
  const remote = (await h.remoteWith('ravi', `SUMMARY:${title}`))!;
  const file = decodeURIComponent(remote.href.split('/').pop()!);
  await placeObject(h.radicale, h.accounts.ravi.calendarUrl, file, unreadableCopy(invited.uid, title, invited.organizer, invited.ravi), 'raw');
  return (await h.remoteWith('ravi', `SUMMARY:${title} (theirs)`))!;
}

it('an answer given here goes into an unreadable copy as its PARTSTAT alone; the rest of the copy stays', async () => {
  const invited = await invite('Answer unreadable', '01');
  const before = await replaceUnreadably('Answer unreadable', invited);
  expect((await h.ok('ravi', RESPOND, { id: invited.id, status: 'ACCEPTED' })).respondToEvent.status).toBe('ACCEPTED');

  await h.sync('ravi');
  const after = (await h.remoteWith('ravi', 'SUMMARY:Answer unreadable (theirs)'))!;
  // The copy as the server had it, its odd parts and the override answered apart included; only Ravi's answer changed.
  expect(after.etag).not.toBe(before.etag);
  expect(unfolded(after.data)).toBe(answered(before.data, invited.ravi, 'ACCEPTED'));
  expect(unfolded(after.data)).toContain('X-ODD-COMPONENT');
  // Still unreadable: the event is named in the run's log as left out, his answer written.
  expect((await skipped()).get(new URL(after.href).pathname)).toMatch(/only the owner\u2019s answer \(PARTSTAT\) written into it.*in the year 1800/);
}, 600_000);

it('an answer meeting the copy changed meanwhile (412) is not written over that change, and goes in on the next sync', async () => {
  const invited = await invite('Answer racing', '02');
  const before = await replaceUnreadably('Answer racing', invited);
  await h.ok('ravi', RESPOND, { id: invited.id, status: 'DECLINED' });

  // His app saves the copy (a new title) between our read of it and our write of the answer.
  await h.syncRacing('ravi', before, (copy) => copy.data.replace('SUMMARY:Answer racing (theirs)', 'SUMMARY:Answer racing (theirs renamed)'));
  const racing = (await h.remoteWith('ravi', 'SUMMARY:Answer racing (theirs renamed)'))!;
  expect(racing.data).toContain('PARTSTAT=NEEDS-ACTION');
  expect((await skipped()).get(new URL(racing.href).pathname)).toMatch(/changed while the owner\u2019s answer was written into it/);

  await h.sync('ravi');
  const after = (await h.remoteWith('ravi', 'SUMMARY:Answer racing (theirs renamed)'))!;
  expect(unfolded(after.data)).toBe(answered(racing.data, invited.ravi, 'DECLINED'));
}, 600_000);

it('a copy left out as unreadable is not fetched nor read again while its ETag stays, yet named in every run; a change is read', async () => {
  const invited = await invite('Left unreadable', '03');
  await replaceUnreadably('Left unreadable', invited);
  await h.ok('ravi', RESPOND, { id: invited.id, status: 'TENTATIVE' });
  await h.sync('ravi');
  const copy = (await h.remoteWith('ravi', 'SUMMARY:Left unreadable (theirs)'))!;
  const path = new URL(copy.href).pathname;
  expect((await skipped()).get(path)).toMatch(/only the owner\u2019s answer \(PARTSTAT\) written into it/);

  // Unchanged there, and nothing of the event changed here since: the copy is neither fetched nor read, but the run says it is left out.
  h.requests.length = 0;
  await h.sync('ravi');
  expect(h.requests.filter((request) => request.path === path)).toEqual([]);
  expect((await skipped()).get(path)).toMatch(/unchanged there since .* \(not read again\): .*in the year 1800/);
  // The organiser changes the event: its copy is fetched for the push, its ETag the one noted, and not read (nor written) again.
  await h.ok('tara', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Left unreadable (ours)" }) { id } }`, { id: invited.id });
  h.requests.length = 0;
  await h.sync('ravi');
  expect(h.requests.filter((request) => request.path === path).map((request) => request.method)).toEqual(['GET']);
  expect((await h.remoteWith('ravi', 'SUMMARY:Left unreadable (theirs)'))!.etag).toBe(copy.etag);

  // His app changes the copy: read again (still unreadable, named with why, not as unchanged).
  await h.remotePut('ravi', copy.href, copy.data.replace('SUMMARY:Left unreadable (theirs)', 'SUMMARY:Left unreadable (theirs again)'), copy.etag!);
  await h.sync('ravi');
  const reason = (await skipped()).get(path)!;
  expect(reason).toMatch(/in the year 1800/);
  expect(reason).not.toMatch(/not read again/);
}, 600_000);
