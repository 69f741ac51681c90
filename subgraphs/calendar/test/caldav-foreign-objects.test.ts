/**
 * Objects other calendar apps PUT on the CalDAV server, on one harness.
 *
 * What another app set on an event survives Bheem's edit of it: an object
 * written as Apple Calendar and Thunderbird write them (structured location,
 * travel time, snooze, class, categories, their own reminders, an override
 * with its own properties) is pulled, its time and title changed through
 * GraphQL, and pushed back. The server's copy keeps all of it, with Bheem's
 * changes in place. It once lost every property Bheem does not model.
 *
 * An object Bheem cannot keep is skipped (and logged), the rest of the
 * calendar is still pulled, and the account's sync does not fail. Found by
 * probing: an event whose DURATION carried its end past the years events can
 * be announced in (1900-2200) failed the whole account's sync at publishing
 * calendar.event.created.
 */
import { beforeAll, expect, it } from 'vitest';
import { useCalDAVHarness, unfolded } from './caldav-harness.js';

const h = useCalDAVHarness(['tara']);
beforeAll(async () => {
  await h.sync('tara');
});

const APP_SERIES = [
  'CLASS:PRIVATE',
  'CATEGORIES:Work,Planning',
  'PRIORITY:1',
  'URL:https://intranet.example/planning',
  'COLOR:teal',
  'CONFERENCE;FEATURE=VIDEO;VALUE=URI:https://meet.example/planning',
  'ATTACH;FMTTYPE=application/pdf:https://files.example/agenda.pdf',
  // Apple writes geo:<lat>,<lon>; Radicale itself stores such a value cut at the comma, so one coordinate here.
  'X-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE=Room 4:geo:52.52',
  'X-APPLE-TRAVEL-DURATION;VALUE=DURATION:PT15M',
  'X-MOZ-LASTACK:20260501T070000Z',
  'X-MOZ-SNOOZE-TIME:20260504T074500Z',
];

it('keeps what the apps set (properties, reminders, an override\u2019s own) when Bheem pushes its edit', async () => {
  await h.remotePut(
    'tara',
    'apple-planning.ics',
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Apple Inc.//macOS 14.4//EN',
      'X-WR-CALNAME:Work',
      'BEGIN:VEVENT',
      'UID:apple-planning-1',
      'DTSTAMP:20260401T080000Z',
      'LAST-MODIFIED:20260401T080000Z',
      'CREATED:20260401T080000Z',
      'DTSTART:20260504T080000Z',
      'DTEND:20260504T090000Z',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'SUMMARY:Planning',
      ...APP_SERIES,
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:Phone reminder',
      'TRIGGER:-PT10M',
      'X-WR-ALARMUID:phone-alarm-1',
      'END:VALARM',
      'BEGIN:VALARM',
      'ACTION:AUDIO',
      'TRIGGER;VALUE=DATE-TIME:20260503T180000Z',
      'X-WR-ALARMUID:phone-alarm-2',
      'END:VALARM',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:apple-planning-1',
      'DTSTAMP:20260401T080000Z',
      'LAST-MODIFIED:20260401T080000Z',
      'RECURRENCE-ID:20260511T080000Z',
      'DTSTART:20260511T100000Z',
      'DTEND:20260511T110000Z',
      'SUMMARY:Planning (late)',
      'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
      'CATEGORIES:Moved',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
  await h.sync('tara');
  const { calendarEvents } = await h.ok('tara', `{ calendarEvents(from: "2026-05-04T00:00:00Z", to: "2026-05-05T00:00:00Z") { event { id title } } }`);
  const planning = calendarEvents.find((o: any) => o.event.title === 'Planning').event;

  const pushed = async () => unfolded((await h.remoteWith('tara', 'UID:apple-planning-1'))!.data);

  // Renamed here: the series and its override (its own VEVENT under the UID) keep what the app set.
  await h.ok('tara', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Planning (Q2)" }) { id } }`, { id: planning.id });
  await h.sync('tara');
  const [renamed, override] = (await pushed()).split('BEGIN:VEVENT').slice(1);
  expect(renamed).toContain('SUMMARY:Planning (Q2)\r\n');
  for (const line of APP_SERIES) expect(renamed).toContain(`${line}\r\n`);
  expect(override).toContain('RECURRENCE-ID:20260511T080000Z\r\n');
  expect(override).toContain('SUMMARY:Planning (late)\r\n');
  expect(override).toContain('X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC\r\n');
  expect(override).toContain('CATEGORIES:Moved\r\n');
  expect(override).not.toContain('X-APPLE-TRAVEL-DURATION');

  // Moved an hour later and renamed again here.
  await h.ok('tara', `mutation($id: ID!, $input: UpdateCalendarEventInput!) { updateCalendarEvent(id: $id, input: $input) { id } }`, {
    id: planning.id,
    input: { title: 'Planning (Q3)', start: '2026-05-04T09:00:00Z', end: '2026-05-04T10:00:00Z' },
  });
  await h.sync('tara');
  const data = await pushed();
  const series = data.split('BEGIN:VEVENT')[1]!;
  // Bheem's edit is there.
  expect(series).toContain('SUMMARY:Planning (Q3)\r\n');
  expect(series).toContain('DTSTART:20260504T090000Z\r\n');
  // What the apps set is there too, once each, as they wrote it.
  for (const line of [...APP_SERIES, 'CREATED:20260401T080000Z']) expect(series.split(`${line}\r\n`)).toHaveLength(2);
  expect(data).toContain('X-WR-CALNAME:Work\r\n');
  // The phone's reminders, once each: the relative one moves with the event, the absolute one stays where it was set.
  expect(series.split('BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Phone reminder\r\nTRIGGER:-PT10M\r\nX-WR-ALARMUID:phone-alarm-1\r\n')).toHaveLength(2);
  expect(series.split('TRIGGER;VALUE=DATE-TIME:20260503T180000Z\r\nX-WR-ALARMUID:phone-alarm-2\r\n')).toHaveLength(2);
});

it('keeps what the organiser\u2019s app set on attendees (an optional guest, a room) when Bheem pushes its edit', async () => {
  // As Nextcloud's web calendar writes a meeting with an optional participant and a booked room (its room
  // booking answers for the room: SCHEDULE-STATUS), Outlook's attendees come alike (ROLE=OPT-PARTICIPANT, CUTYPE=RESOURCE).
  const GUEST = 'mailto:priya.shah@example.org';
  const ROOM = 'mailto:room-4@rooms.example.org';
  const PROJECTOR = 'mailto:projector-2@rooms.example.org';
  await h.remotePut(
    'tara',
    'nextcloud-review.ics',
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//IDN nextcloud.com//Calendar app 4.7.0//EN',
      'BEGIN:VEVENT',
      'UID:nextcloud-review-1',
      'DTSTAMP:20260401T080000Z',
      'DTSTART:20260518T080000Z',
      'DTEND:20260518T090000Z',
      'SUMMARY:Design review',
      'ORGANIZER;CN=Tara Teacher:mailto:tara.teacher@bheem.example',
      'ATTENDEE;CN=Tara Teacher;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:tara.teacher@bheem.example',
      `ATTENDEE;CN=Priya Shah;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT;RSVP=TRUE;LANGUAGE=de:${GUEST}`,
      `ATTENDEE;CN=Room 4;CUTYPE=ROOM;PARTSTAT=ACCEPTED;ROLE=NON-PARTICIPANT;RSVP=TRUE;SCHEDULE-STATUS=1.2:${ROOM}`,
      // A resource as Outlook books one: no PARTSTAT.
      `ATTENDEE;CN=Projector 2;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT;RSVP=TRUE:${PROJECTOR}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
  await h.sync('tara');
  const { calendarEvents } = await h.ok(
    'tara',
    `{ calendarEvents(from: "2026-05-18T00:00:00Z", to: "2026-05-19T00:00:00Z") { event { id title location participants { user { id } externalEmail } } } }`,
  );
  const review = calendarEvents.find((o: any) => o.event.title === 'Design review').event;
  // The room and the projector are no guests (nobody to invite, no answers): the room says where it is.
  expect(review.participants.map((p: any) => p.user?.id ?? p.externalEmail).sort()).toEqual(['3', 'priya.shah@example.org']);
  expect(review.location).toBe('Room 4');
  await h.ok('tara', `mutation($id: ID!) { updateCalendarEvent(id: $id, input: { title: "Design review (v2)" }) { id } }`, { id: review.id });
  await h.sync('tara');
  const data = unfolded((await h.remoteWith('tara', 'UID:nextcloud-review-1'))!.data);
  expect(data).toContain('SUMMARY:Design review (v2)\r\n');
  const attendee = (address: string) => {
    const line = data.split('\r\n').find((l) => l.startsWith('ATTENDEE') && l.endsWith(`:${address}`))!;
    const parameters = line.slice(0, line.lastIndexOf(':mailto:')).split(';').slice(1);
    return Object.fromEntries(parameters.map((parameter) => parameter.split('=')));
  };
  // Still optional, still a room: Bheem's answers (PARTSTAT) and names (CN), the app's roles, kinds and the rest.
  expect(attendee(GUEST)).toMatchObject({ ROLE: 'OPT-PARTICIPANT', CUTYPE: 'INDIVIDUAL', LANGUAGE: 'de', PARTSTAT: 'NEEDS-ACTION' });
  expect(attendee(ROOM)).toEqual({ CN: 'Room 4', ROLE: 'NON-PARTICIPANT', CUTYPE: 'ROOM', 'SCHEDULE-STATUS': '1.2', PARTSTAT: 'ACCEPTED', RSVP: 'TRUE' });
  expect(attendee(PROJECTOR)).toEqual({ CN: 'Projector 2', ROLE: 'NON-PARTICIPANT', CUTYPE: 'RESOURCE', RSVP: 'TRUE' });
  expect(attendee('mailto:tara.teacher@bheem.example')).toMatchObject({ ROLE: 'CHAIR', PARTSTAT: 'ACCEPTED' });
});

const object = (uid: string, lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Probe//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260501T070000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

it('skips an event ending past the years it could be announced in, and pulls the others', async () => {
  await h.remotePut('tara', 'far-end.ics', object('far-end', ['DTSTART:20260510T100000Z', 'DURATION:P99999W', 'SUMMARY:Never ends']));
  await h.remotePut('tara', 'plain.ics', object('plain', ['DTSTART:20260511T100000Z', 'DTEND:20260511T110000Z', 'SUMMARY:Plain meeting']));
  // The harness's sync expects the account IDLE with no error.
  await h.sync('tara');
  const { calendarEvents } = await h.ok('tara', '{ calendarEvents(from: "2026-05-09T00:00:00Z", to: "2026-05-12T00:00:00Z") { event { title } } }');
  const titles = calendarEvents.map((occurrence: { event: { title: string } }) => occurrence.event.title);
  expect(titles).toContain('Plain meeting');
  expect(titles).not.toContain('Never ends');
});
