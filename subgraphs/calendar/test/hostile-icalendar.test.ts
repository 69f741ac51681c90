/**
 * Reading hostile iCalendar (no server needed): what parseICalendar makes of
 * the objects the hostile-pull test places on Radicale, where a reading
 * alone decides (the whole sync is caldav-hostile-pull.test.ts).
 */
import { expect, it } from 'vitest';
import { parseICalendar } from '../caldav/icalendar.js';
import { oneLineWithin } from '../caldav/one-line.js';
import { HOSTILE } from './caldav-hostile-objects.js';

it('refuses a VTIMEZONE changing its offset every second at once, instead of stepping through it from the year 1', () => {
  // Before: the offset at the event's start took some 6 * 10^10 steps of ical.js, and the pull hung.
  expect(() => parseICalendar(HOSTILE['absurd-vtimezone.ics'] as string, 'Europe/Berlin')).toThrow('VTIMEZONE Absurd/Zone changes its offset SECONDLY: no zone does');
}, 20_000);

it('reads a title and a location with line breaks on one line, as GraphQL holds them', () => {
  const { master } = parseICalendar(HOSTILE['line-break-title.ics'] as string);
  expect(master).toMatchObject({ title: 'Hostile title Subject: injected', location: 'Room 1 Bcc: victim@example.com' });
});

it('takes as guests only addresses GraphQL would take, named on one line', () => {
  const { master } = parseICalendar(HOSTILE['crlf-injection.ics'] as string);
  // Eve's name had a line break (RFC 6868 ^n); the other three addresses hold a second @ or a space.
  expect(master!.attendees).toEqual([{ email: 'eve@evil.example', name: 'Eve Bcc: victim@example.com', status: 'PENDING' }]);
});

it('writes a skipped object\u2019s reason on one line by the titles\u2019 rule, cut with an ellipsis, an emoji whole', () => {
  expect(oneLineWithin('Invalid DTSTART\r\n  at line 3:\tDTSTART:2026', 300)).toBe('Invalid DTSTART at line 3:\tDTSTART:2026');
  const cut = oneLineWithin(`${'x'.repeat(298)}\u{1F600}\u{1F600}tail`, 300);
  expect(Array.from(cut)).toHaveLength(300);
  expect(cut.endsWith('\u{1F600}\u2026')).toBe(true);
  expect(oneLineWithin('short', 300)).toBe('short');
});
