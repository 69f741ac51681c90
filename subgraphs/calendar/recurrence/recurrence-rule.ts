/**
 * RRULE validation. ical.js parses leniently (an unknown part or a missing
 * FREQ yields a rule that silently never repeats), so the parts are checked
 * here first and every refusal names what is wrong.
 */
import ICAL from 'ical.js';
import { badInput } from '../../../platform/errors.js';

const KNOWN_PARTS = new Set([
  'FREQ',
  'UNTIL',
  'COUNT',
  'INTERVAL',
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
  'WKST',
]);
/** Finer frequencies would let one event expand into millions of occurrences. */
const FREQUENCIES = new Set(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

const invalid = (rule: string, why: string) => badInput(`Invalid recurrence rule "${rule}": ${why}`, 'recurrenceRule');

/** The rule's text, upper-cased and without the `RRULE:` prefix, or BAD_USER_INPUT saying what is wrong. */
export function normalizeRecurrenceRule(input: string): string {
  // The grammar (RFC 5545 3.3.10) is printable ASCII: a line break or a control character could end the property in iCalendar output.
  if (/[^\x20-\x7e]/.test(input)) throw badInput('Invalid recurrence rule: it may hold only printable ASCII characters, no line breaks or control characters', 'recurrenceRule');
  const rule = input.trim().replace(/^RRULE:/i, '');
  if (!rule) throw invalid(input, 'it is empty');
  if (rule.length > 500) throw invalid(rule.slice(0, 40) + '\u2026', 'it is longer than 500 characters');
  const parts = new Map<string, string>();
  for (const part of rule.split(';')) {
    const [name, value, ...rest] = part.split('=');
    const key = name?.trim().toUpperCase() ?? '';
    if (!key || value === undefined || value === '' || rest.length > 0) throw invalid(rule, `"${part}" is not NAME=VALUE`);
    if (!KNOWN_PARTS.has(key)) throw invalid(rule, `unknown part ${key}`);
    if (parts.has(key)) throw invalid(rule, `${key} appears twice`);
    parts.set(key, value.trim().toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (!freq) throw invalid(rule, 'FREQ is required');
  if (!FREQUENCIES.has(freq)) throw invalid(rule, `FREQ must be one of ${[...FREQUENCIES].join(', ')}`);
  if (parts.has('COUNT') && parts.has('UNTIL')) throw invalid(rule, 'COUNT and UNTIL cannot both be given');
  for (const key of ['COUNT', 'INTERVAL']) {
    const value = parts.get(key);
    if (value !== undefined && !/^[1-9]\d{0,4}$/.test(value)) throw invalid(rule, `${key} must be a whole number from 1 to 99999`);
  }
  // RFC 5545 3.3.10: a BYSETPOS entry is 1..366 or -366..-1; ical.js takes 0 and then finds no occurrence at all (an event that never shows).
  if (
    parts
      .get('BYSETPOS')
      ?.split(',')
      .some((position) => Number(position) === 0)
  )
    throw invalid(rule, 'BYSETPOS values must not be 0');
  const canonical = [...parts].map(([key, value]) => `${key}=${value}`).join(';');
  try {
    ICAL.Recur.fromString(canonical); // the parts' values (BYDAY=XX, UNTIL=soon...)
  } catch (error) {
    throw invalid(rule, (error as Error).message);
  }
  // The caller's order of parts is kept: clients compare rules as text.
  return canonical;
}

export function parseRecurrenceRule(rule: string): ICAL.Recur {
  return ICAL.Recur.fromString(normalizeRecurrenceRule(rule));
}

function partsOf(rule: string): Map<string, string> {
  return new Map(rule.split(';').map((part) => part.split('=') as [string, string]));
}

function joinParts(parts: Map<string, string>): string {
  return [...parts].map(([key, value]) => `${key}=${value}`).join(';');
}

/** The rule's COUNT, if it has one. */
export function ruleCount(rule: string): number | null {
  const count = partsOf(normalizeRecurrenceRule(rule)).get('COUNT');
  return count ? Number(count) : null;
}

/** The same rule ending differently: after `count` occurrences, at an instant (UNTIL in UTC), or on a date (all-day). */
export function withEnding(rule: string, ending: { count: number } | { until: Date; allDay: boolean }): string {
  const parts = partsOf(normalizeRecurrenceRule(rule));
  parts.delete('COUNT');
  parts.delete('UNTIL');
  if ('count' in ending) parts.set('COUNT', String(ending.count));
  else {
    const stamp = ending.until
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    parts.set('UNTIL', ending.allDay ? stamp.slice(0, 8) : stamp);
  }
  return joinParts(parts);
}
