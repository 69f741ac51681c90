/**
 * IANA time zones through the runtime's own ICU data (Intl), so that no
 * VTIMEZONE tables have to be shipped: wall-clock time in a zone <-> UTC.
 */
import { badInput } from '../../../platform/errors.js';

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Answers of canonicalTimeZone: building a DateTimeFormat costs a fraction of a millisecond, and every row written or parsed asks. */
const canonicalNames = new Map<string, string | null>();

/**
 * The zone's IANA name as the caller spelled it, with ICU's casing ("utc" ->
 * "UTC"), or null when the runtime does not know the zone. Aliases are kept
 * (Asia/Kolkata stays Asia/Kolkata although ICU's canonical name is Asia/Calcutta).
 */
export function canonicalTimeZone(name: string): string | null {
  if (!name || name.length > 64) return null;
  const known = canonicalNames.get(name);
  if (known !== undefined) return known;
  let canonical: string | null;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    canonical = resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    canonical = null;
  }
  if (canonicalNames.size > 2_000) canonicalNames.clear();
  canonicalNames.set(name, canonical);
  return canonical;
}

export function requireTimeZone(name: string, field = 'timezone'): string {
  const zone = canonicalTimeZone(name);
  if (!zone) throw badInput(`Unknown time zone "${name}": use an IANA name such as Europe/Berlin or UTC`, field);
  return zone;
}

export function wallTimeIn(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

const asUtcMillis = (wall: WallTime) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/**
 * Milliseconds the zone is ahead of UTC at an instant. Cached per quarter
 * hour: every zone changes its offset on quarter-hour boundaries, so one ICU
 * call answers a whole bucket (expansion asks thousands of times).
 */
const QUARTER_HOUR = 900_000;
const offsetCache = new Map<string, Map<number, number>>();

function offsetAt(instant: number, timeZone: string): number {
  let zoneCache = offsetCache.get(timeZone);
  if (!zoneCache) offsetCache.set(timeZone, (zoneCache = new Map()));
  const bucket = Math.floor(instant / QUARTER_HOUR);
  let offset = zoneCache.get(bucket);
  if (offset === undefined) {
    const at = bucket * QUARTER_HOUR;
    offset = asUtcMillis(wallTimeIn(new Date(at), timeZone)) - at;
    if (zoneCache.size > 50_000) zoneCache.clear();
    zoneCache.set(bucket, offset);
  }
  return offset;
}

/**
 * The instant a wall-clock time names in a zone. Times skipped by a DST jump
 * (02:30 on a spring-forward night) move forward by the jump, and repeated
 * times (autumn) take the first, earlier instant, as RFC 5545 prescribes.
 */
export function instantOf(wall: WallTime, timeZone: string): Date {
  const naive = asUtcMillis(wall);
  const before = offsetAt(naive - 86_400_000, timeZone);
  const after = offsetAt(naive + 86_400_000, timeZone);
  // The larger offset first: of two instants showing the same wall time, it gives the earlier.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    if (offsetAt(naive - offset, timeZone) === offset) return new Date(naive - offset);
  }
  // A skipped wall time: use the offset in force before the gap.
  return new Date(naive - before);
}
