/**
 * Objects another app PUT on the CalDAV server that Bheem cannot keep: one
 * is skipped (and logged), the rest of the calendar is still pulled, and the
 * account's sync does not fail. Found by probing: an event whose DURATION
 * carried its end past the years events can be announced in (1900-2200)
 * failed the whole account's sync at publishing calendar.event.created.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCalDAVHarness, type CalDAVHarness } from './caldav-harness.js';

let h: CalDAVHarness;
beforeAll(async () => {
  h = await startCalDAVHarness(['tara']);
  await h.sync('tara');
});
afterAll(async () => {
  await h?.stop();
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
