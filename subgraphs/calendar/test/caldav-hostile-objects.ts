/**
 * Calendar objects a broken or hostile server may hold, as iCalendar text
 * (or bytes), by file name: what the hostile-pull test places in a synced
 * collection. Each holds a title starting "Hostile" where it has one.
 */
const CRLF = '\r\n';

/** A VCALENDAR around `body` (its lines), CRLF-ended. */
export const calendarOf = (...body: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Hostile//EN', ...body, 'END:VCALENDAR', ''].join(CRLF);

/** A VEVENT with a UID, DTSTAMP and whatever `lines` add. */
export const veventOf = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260401T000000Z', ...lines, 'END:VEVENT'].join(CRLF);

const at = (start: string) => [`DTSTART:${start}`, 'DURATION:PT1H'];
/** One event on 2026-06-01, at `hour`. */
const plain = (uid: string, hour: number, ...lines: string[]) => calendarOf(veventOf(uid, ...at(`20260601T${String(hour).padStart(2, '0')}0000Z`), ...lines));

/** Folds a long line every 74 octets (RFC 5545 3.1). */
const folded = (line: string) => line.match(/.{1,74}/g)!.join(`${CRLF} `);

export const ABSURD_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Absurd/Zone',
  'BEGIN:STANDARD',
  'DTSTART:00010101T000000',
  'TZOFFSETFROM:+9959',
  'TZOFFSETTO:-9959',
  'RRULE:FREQ=SECONDLY',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:00010101T000001',
  'TZOFFSETFROM:-9959',
  'TZOFFSETTO:+9959',
  'RRULE:FREQ=SECONDLY;INTERVAL=1',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
].join(CRLF);

/** Hostile objects by file name: text, or bytes for what is not UTF-8. */
export const HOSTILE: Record<string, string | Uint8Array> = {
  // A continuation line without its leading space, and a property folded in its name.
  'broken-folding.ics': calendarOf(veventOf('hostile-folding', ...at('20260601T010000Z'), 'SUMMARY:Hostile folding', 'DESCRIPTION:first part', 'second part without a space')),
  'broken-fold-name.ics': `BEGIN:VCALENDAR${CRLF}VERSION:2.0${CRLF}BEGIN:VEVENT${CRLF}UID:hostile-fold-name${CRLF}DTST${CRLF}ART:20260601T020000Z${CRLF}SUMMARY:Hostile fold name${CRLF}END:VEVENT${CRLF}END:VCALENDAR${CRLF}`,
  // Latin-1 bytes and a byte no encoding has: what reaches us is U+FFFD.
  'not-utf8.ics': Buffer.concat([
    Buffer.from(`${plain('hostile-latin1', 3).split('END:VEVENT')[0]}SUMMARY:Hostile caf`),
    Buffer.from([0xe9, 0xff, 0xfe]),
    Buffer.from(`${CRLF}END:VEVENT${CRLF}END:VCALENDAR${CRLF}`),
  ]),
  'huge-description.ics': plain('hostile-huge-description', 4, 'SUMMARY:Hostile huge description', folded(`DESCRIPTION:${'x'.repeat(1024 * 1024)}`)),
  'huge-summary.ics': plain('hostile-huge-summary', 5, folded(`SUMMARY:Hostile ${'y'.repeat(1024 * 1024)}`)),
  'huge-unknown-property.ics': plain('hostile-huge-x', 6, 'SUMMARY:Hostile huge x-property', folded(`X-HOSTILE:${'z'.repeat(1024 * 1024)}`)),
  'no-dtstart.ics': calendarOf(veventOf('hostile-no-dtstart', 'SUMMARY:Hostile without a start', 'DURATION:PT1H')),
  'end-before-start.ics': calendarOf(veventOf('hostile-end-before', 'DTSTART:20260601T070000Z', 'DTEND:20260601T060000Z', 'SUMMARY:Hostile end before start')),
  'unknown-tzid.ics': calendarOf(veventOf('hostile-unknown-tzid', 'DTSTART;TZID=Nowhere/Atlantis:20260601T080000', 'DURATION:PT1H', 'SUMMARY:Hostile unknown zone')),
  'absurd-vtimezone.ics': calendarOf(ABSURD_ZONE, veventOf('hostile-absurd-zone', 'DTSTART;TZID=Absurd/Zone:20260601T090000', 'DURATION:PT1H', 'SUMMARY:Hostile absurd zone')),
  'secondly-endless.ics': plain('hostile-secondly', 10, 'RRULE:FREQ=SECONDLY', 'SUMMARY:Hostile every second'),
  'count-billion.ics': plain('hostile-billion', 11, 'RRULE:FREQ=DAILY;COUNT=1000000000', 'SUMMARY:Hostile a billion times'),
  'bysetpos-garbage.ics': plain('hostile-bysetpos', 12, 'RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=0,999,-999,abc;COUNT=5', 'SUMMARY:Hostile bysetpos'),
  'bysetpos-unmatched.ics': plain('hostile-bysetpos-never', 13, 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=1', 'SUMMARY:Hostile never matches'),
  'thousands-of-exdates.ics': plain(
    'hostile-exdates',
    14,
    'RRULE:FREQ=DAILY;COUNT=10',
    'SUMMARY:Hostile exdates',
    ...Array.from(
      { length: 5000 },
      (_, i) =>
        `EXDATE:${new Date(Date.UTC(2026, 5, 2) + i * 86_400_000)
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, '')}`,
    ),
  ),
  'phantom-recurrence-id.ics': calendarOf(
    veventOf('hostile-phantom', 'DTSTART:20260601T150000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3', 'SUMMARY:Hostile phantom series'),
    veventOf('hostile-phantom', 'RECURRENCE-ID:20260603T150000Z', 'DTSTART:20260603T170000Z', 'DURATION:PT1H', 'SUMMARY:Hostile phantom occurrence'),
  ),
  'same-uid-a.ics': plain('hostile-same-uid', 16, 'SUMMARY:Hostile same UID (a)'),
  'same-uid-b.ics': plain('hostile-same-uid', 17, 'SUMMARY:Hostile same UID (b)'),
  'todo-only.ics': calendarOf(['BEGIN:VTODO', 'UID:hostile-todo', 'DTSTAMP:20260401T000000Z', 'SUMMARY:Hostile task', 'END:VTODO'].join(CRLF)),
  'journal-only.ics': calendarOf(['BEGIN:VJOURNAL', 'UID:hostile-journal', 'DTSTAMP:20260401T000000Z', 'SUMMARY:Hostile journal', 'END:VJOURNAL'].join(CRLF)),
  'hostile-alarms.ics': plain(
    'hostile-alarms',
    18,
    'SUMMARY:Hostile alarms',
    ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:garbage', 'BEGIN:VALARM', 'ACTION:EMAIL', 'TRIGGER:-P99999999W', 'ATTENDEE:mailto:x@evil.example', 'END:VALARM', 'END:VALARM'].join(
      CRLF,
    ),
    ...Array.from({ length: 500 }, () =>
      ['BEGIN:VALARM', 'ACTION:AUDIO', 'TRIGGER;VALUE=DATE-TIME:00010101T000000Z', 'REPEAT:1000000000', 'DURATION:PT0S', 'END:VALARM'].join(CRLF),
    ),
  ),
  'many-attendees.ics': plain(
    'hostile-attendees',
    19,
    'SUMMARY:Hostile crowd',
    'ORGANIZER:mailto:tara.teacher@bheem.test',
    ...Array.from({ length: 5000 }, (_, i) => `ATTENDEE;CN=Guest ${i};PARTSTAT=ACCEPTED:mailto:guest${i}@crowd.example`),
  ),
  'crlf-injection.ics': plain(
    'hostile-crlf',
    20,
    'SUMMARY:Hostile CRLF',
    'ORGANIZER:mailto:tara.teacher@bheem.test',
    'ATTENDEE;CN="Eve^nBcc: victim@example.com":mailto:eve@evil.example',
    'ATTENDEE;CN=Mallory:mailto:mallory@evil.example%0D%0ABcc:victim@example.com',
    'ATTENDEE;CN=Trudy:mailto:trudy@evil.example\\r\\nBcc: victim@example.com',
    'ATTENDEE;CN=Walter:mailto:walter @evil.example',
  ),
  'control-characters.ics': plain('hostile-controls', 21, 'SUMMARY:Hostile \u0001bell\u0007 escape\u001b[31m nul\u0000', 'LOCATION:Room\u0008 1'),
  'line-break-title.ics': plain('hostile-line-break', 22, 'SUMMARY:Hostile title\\nSubject: injected', 'LOCATION:Room 1\\nBcc: victim@example.com'),
  'year-0001.ics': calendarOf(veventOf('hostile-year-1', 'DTSTART:00010101T000000Z', 'DTEND:00010101T010000Z', 'SUMMARY:Hostile year one')),
  'year-9999.ics': calendarOf(veventOf('hostile-year-9999', 'DTSTART:99991231T230000Z', 'DTEND:99991231T235959Z', 'SUMMARY:Hostile year 9999')),
  // Each date within 1900-2200, the event three centuries long (platform/date-time.ts: at most 366 days).
  'three-centuries.ics': calendarOf(veventOf('hostile-three-centuries', 'DTSTART:19000101T000000Z', 'DTEND:22001231T000000Z', 'SUMMARY:Hostile three centuries')),
  'until-year-9999.ics': plain('hostile-until-9999', 23, 'RRULE:FREQ=YEARLY;UNTIL=99991231T000000Z', 'SUMMARY:Hostile until 9999'),
  'no-uid.ics': calendarOf(['BEGIN:VEVENT', 'DTSTAMP:20260401T000000Z', ...at('20260602T010000Z'), 'SUMMARY:Hostile without UID', 'END:VEVENT'].join(CRLF)),
  'not-icalendar.ics': '<html><body>502 Bad Gateway</body></html>\r\n',
  'empty-calendar.ics': calendarOf(),
  'deep-nesting.ics': plain(
    'hostile-deep',
    2,
    'SUMMARY:Hostile deep nesting',
    ...Array.from({ length: 5000 }, () => 'BEGIN:X-DEEP'),
    ...Array.from({ length: 5000 }, () => 'END:X-DEEP'),
  ),
};

/** What a neighbour app writes: an ordinary event that must still come in. */
export const NEIGHBOUR = calendarOf(veventOf('neighbour-1', 'DTSTART:20260601T120000Z', 'DTEND:20260601T130000Z', 'SUMMARY:Neighbour lunch', 'LOCATION:Canteen'));
