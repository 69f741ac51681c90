/**
 * The IANA zone a remote TZID stands for, so that a series pulled under any
 * TZID expands by that zone's rules (our expansion works on IANA zones).
 * The name gives a candidate: an IANA name (or alias) as it is, a Windows
 * name (Outlook, Exchange: "W. Europe Standard Time", or the display name
 * "(UTC+01:00) Amsterdam, ...") through CLDR's mapping (windows-zones.ts).
 * - Without a VTIMEZONE, the candidate is the zone (null when there is none).
 * - With one, its rules govern (RFC 5545 3.2.19): the candidate when its UTC
 *   offsets agree with the definition's at 48 instants across the year around
 *   the event (so their DST changes fall in the same half-months), else the
 *   first IANA zone that agrees (Outlook with summer time switched off writes
 *   "W. Europe Standard Time" at +01:00 all year), else, agreeing with none,
 *   the candidate still (rules since abolished: the name's current ones are
 *   the better guess for the series), else null.
 * The original TZID is kept with the event and written back (round trip).
 */
import ICAL from 'ical.js';
import { canonicalTimeZone, wallTimeIn } from '../recurrence/time-zones.js';
import { windowsZone } from './windows-zones.js';

const matched = new Map<string, string | null>();

function offsetIn(zone: string, instant: Date): number {
  const wall = wallTimeIn(instant, zone);
  return (Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - instant.getTime()) / 1000;
}

/** Instants twice a month over the year around `near`, where offsets are compared. */
function samples(near: Date): Date[] {
  const year = near.getUTCFullYear();
  return Array.from({ length: 48 }, (_, i) => new Date(Date.UTC(year, Math.floor(i / 4), 1 + (i % 4) * 7, 12)));
}

function matchDefinition(definition: ICAL.Timezone, candidate: string | null, near: Date): string | null {
  const instants = samples(near);
  const wanted = instants.map((instant) => definition.utcOffset(ICAL.Time.fromJSDate(instant, true)));
  const agrees = (zone: string) => instants.every((instant, i) => offsetIn(zone, instant) === wanted[i]);
  if (candidate && agrees(candidate)) return candidate;
  return Intl.supportedValuesOf('timeZone').find(agrees) ?? candidate;
}

export function ianaZoneFor(tzid: string, definition: ICAL.Timezone | null, near: Date): string | null {
  const named = canonicalTimeZone(tzid);
  const candidate = named ?? (windowsZone(tzid) && canonicalTimeZone(windowsZone(tzid)!));
  if (!definition) return candidate;
  const key = `${tzid}|${near.getUTCFullYear()}|${definition.component?.toString() ?? ''}`;
  if (!matched.has(key)) {
    if (matched.size > 500) matched.clear();
    matched.set(key, matchDefinition(definition, candidate, near));
  }
  return matched.get(key)!;
}
