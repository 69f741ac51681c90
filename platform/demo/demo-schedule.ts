/**
 * When the demo ERP records happen, once for every seed (the ERP's rows and
 * the calendar's events built from them must agree to the second): local
 * times in the company's zone on days counted from today's UTC date, so two
 * seeds run moments apart land on the same instants. Tasks are due at 17:00
 * (a time), milestones and leave are dates (midnight), sales meetings start
 * at 11:00.
 */
import { DEMO_COMPANIES } from './demo-ids.js';

type Company = keyof typeof DEMO_COMPANIES;
const DAY = 86_400_000;

/** Milliseconds `zone` is ahead of UTC at `instant`. */
function offsetAt(instant: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(instant))
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  );
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - instant;
}

/** The instant of `hour`:00 local time, `days` after today's UTC date, in the company's zone. */
function localAt(today: number, company: Company, days: number, hour: number): Date {
  const zone = DEMO_COMPANIES[company].timezone;
  const naive = today + days * DAY + hour * 3_600_000;
  const guess = naive - offsetAt(naive, zone);
  return new Date(naive - offsetAt(guess, zone));
}

export function demoSchedule(now: Date) {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return {
    taskDue: (company: Company, inDays: number) => localAt(today, company, inDays, 17),
    milestoneDue: (company: Company, inDays: number) => localAt(today, company, inDays, 0),
    meetingStart: (company: Company, inDays: number) => localAt(today, company, inDays, 11),
    leave: (company: Company, startInDays: number, days: number) => ({ start: localAt(today, company, startInDays, 0), end: localAt(today, company, startInDays + days, 0) }),
  };
}
