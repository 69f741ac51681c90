/**
 * The IANA zone a remote TZID stands for, so that a series pulled under any
 * TZID expands by that zone's rules (our expansion works on IANA zones):
 * - an IANA name (or alias) as it is;
 * - a Windows name (Outlook, Exchange: "W. Europe Standard Time") through
 *   the CLDR mapping of windows-iana, its territory-neutral ("001") zone;
 * - any other name defined by its own VTIMEZONE: the first IANA zone whose
 *   UTC offsets agree with the definition's at 48 instants across the year
 *   around the event (so its DST changes fall in the same half-months).
 * The original TZID is kept with the event and written back (round trip).
 */
import ICAL from 'ical.js';
import { findIana } from 'windows-iana';
import { canonicalTimeZone, wallTimeIn } from '../recurrence/time-zones.js';

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

function matchDefinition(definition: ICAL.Timezone, near: Date): string | null {
  const instants = samples(near);
  const wanted = instants.map((instant) => definition.utcOffset(ICAL.Time.fromJSDate(instant, true)));
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    if (instants.every((instant, i) => offsetIn(zone, instant) === wanted[i])) return zone;
  }
  return null;
}

export function ianaZoneFor(tzid: string, definition: ICAL.Timezone | null, near: Date): string | null {
  const named = canonicalTimeZone(tzid);
  if (named) return named;
  const windows = findIana(tzid)[0];
  const mapped = windows ? canonicalTimeZone(windows) : null;
  if (mapped) return mapped;
  if (!definition) return null;
  const key = `${tzid}|${near.getUTCFullYear()}|${definition.component?.toString() ?? ''}`;
  if (!matched.has(key)) {
    if (matched.size > 500) matched.clear();
    matched.set(key, matchDefinition(definition, near));
  }
  return matched.get(key)!;
}
