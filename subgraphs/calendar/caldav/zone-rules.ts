/**
 * Why an object's VTIMEZONEs cannot be used, or null. ical.js works out a
 * zone's offset at an instant by stepping through every change its
 * observances' RRULEs make from their DTSTART up to that instant: an
 * observance repeating every second from the year 1 is some 6 * 10^10 steps,
 * and the pull hung on it. Zones change their offset at most a few times a
 * year (RFC 5545 3.6.5: observances recur yearly, or are listed as RDATEs),
 * so a rule repeating more often is no zone's.
 */
import type ICAL from 'ical.js';

export function unusableZoneRules(calendar: ICAL.Component): string | null {
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    for (const observance of zone.getAllSubcomponents()) {
      for (const rule of observance.getAllProperties('rrule')) {
        const freq = String((rule.getFirstValue() as ICAL.Recur | null)?.freq ?? '').toUpperCase();
        if (freq !== 'YEARLY') return `VTIMEZONE ${String(zone.getFirstPropertyValue('tzid') ?? '')} changes its offset ${freq || 'by no rule'}: no zone does`;
      }
    }
  }
  return null;
}
