/**
 * An attendee's answer written into an object as text (caldav/answer-in-text.ts):
 * the bytes around the owner's ATTENDEE lines are the object's own, whatever
 * its line endings and folding; the caldav-unreadable-answer test does the
 * same through a real Radicale, which rewrites what it stores.
 */
import { expect, it } from 'vitest';
import { answerInText } from '../caldav/answer-in-text.js';

const OWNER = 'ravi@example.org';

/** An odd object with LF line endings, tabs folding a line and a quoted CN holding ';' and ':'. */
const ODD = [
  'BEGIN:VCALENDAR',
  'PRODID:-//Odd//EN',
  'BEGIN:VEVENT',
  'UID:odd',
  'DTSTART:18000601T100000Z',
  'X-KEEP;X-P="a;b:c":value with \\, escapes',
  'ATTENDEE;CN="Ravi; the: teacher";RSVP=TRUE;partstat=needs-action;X-NUM-GUESTS=0:MAI',
  '\tLTO:Ravi@Example.org',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:tara@example.org',
  'BEGIN:VALARM',
  'ACTION:EMAIL',
  'ATTENDEE:mailto:ravi@example.org',
  'END:VALARM',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:odd',
  'RECURRENCE-ID:18000608T100000Z',
  'ATTENDEE:mailto:ravi@example.org',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:odd',
  'RECURRENCE-ID:18000615T100000Z',
  'ATTENDEE;PARTSTAT=DECLINED:mailto:ravi@example.org',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\n');

it('sets the PARTSTAT of the owner\u2019s ATTENDEEs alone, in place, and leaves every other byte', () => {
  const result = answerInText(ODD, OWNER, 'ACCEPTED', { overrides: true });
  if (result.kind !== 'written') throw new Error(result.kind);
  // The rewritten line is folded again at 75 octets (its LF and a space): ODD has no other such fold.
  for (const line of result.data.split('\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  expect(result.data.replace(/\n /g, '')).toBe(
    ODD.replace(
      'ATTENDEE;CN="Ravi; the: teacher";RSVP=TRUE;partstat=needs-action;X-NUM-GUESTS=0:MAI\n\tLTO:Ravi@Example.org',
      'ATTENDEE;CN="Ravi; the: teacher";RSVP=TRUE;partstat=ACCEPTED;X-NUM-GUESTS=0:MAILTO:Ravi@Example.org',
    )
      // The override that followed the series' answer (none stated: NEEDS-ACTION) follows the new one; the alarm's and the declined one stay.
      .replace('RECURRENCE-ID:18000608T100000Z\nATTENDEE:mailto:ravi@example.org', 'RECURRENCE-ID:18000608T100000Z\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ravi@example.org'),
  );
});

it('leaves overrides when answers to single occurrences are kept here, and says when nothing is to change', () => {
  const series = answerInText(ODD, OWNER, 'DECLINED', { overrides: false });
  expect(series.kind === 'written' && series.data.replace(/\n /g, '').match(/^ATTENDEE[^\n]*ravi@example.org$/gim)).toEqual([
    'ATTENDEE;CN="Ravi; the: teacher";RSVP=TRUE;partstat=DECLINED;X-NUM-GUESTS=0:MAILTO:Ravi@Example.org',
    'ATTENDEE:mailto:ravi@example.org',
    'ATTENDEE:mailto:ravi@example.org',
    'ATTENDEE;PARTSTAT=DECLINED:mailto:ravi@example.org',
  ]);
  expect(answerInText(ODD, OWNER, 'NEEDS-ACTION', { overrides: true })).toEqual({ kind: 'unchanged' });
  expect(answerInText(ODD, 'someone@example.org', 'ACCEPTED', { overrides: true })).toEqual({ kind: 'not-invited' });
});

it('folds a rewritten line past 75 octets with the object\u2019s own line ending, never inside a character', () => {
  const long = `BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN="${'é'.repeat(40)}":mailto:${OWNER}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  const result = answerInText(long, OWNER, 'TENTATIVE', { overrides: true });
  if (result.kind !== 'written') throw new Error(result.kind);
  const lines = result.data.split('\r\n');
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  expect(result.data.replace(/\r\n /g, '')).toBe(long.replace(`:mailto:${OWNER}`, `;PARTSTAT=TENTATIVE:mailto:${OWNER}`));
});
