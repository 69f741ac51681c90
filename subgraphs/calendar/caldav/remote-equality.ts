/**
 * Whether a remote calendar object says what we already store for an event:
 * compared field by field after the same normalisation a write would apply
 * (not byte by byte: servers re-serialise, and DTSTAMP changes on every
 * write). A resync that lost the ETags (or a server whose ETags changed)
 * then rewrites and announces only what really changed.
 */
import type { CalendarEventModel } from '../models.js';
import type { NewEventRow } from '../repositories/event-writes.js';
import { draftOf, draftToRow } from '../services/event-draft.js';
import { overrideRow, withRemote } from './apply-remote.js';
import type { RemoteObject } from './icalendar.js';

const CONTENT = ['title', 'description', 'location', 'start_time', 'end_time', 'all_day', 'timezone', 'recurrence_rule', 'exdates', 'rdates', 'is_cancelled'] as const;

function contentOf(row: NewEventRow): string {
  const plain = (value: unknown): unknown => (value instanceof Date ? value.getTime() : Array.isArray(value) ? value.map(plain) : (value ?? null));
  return JSON.stringify(CONTENT.map((column) => plain(row[column])));
}

const time = (date: Date | null) => date?.getTime() ?? null;

export function sameAsStored(series: CalendarEventModel, overrides: readonly CalendarEventModel[], remote: RemoteObject): boolean {
  try {
    if (remote.master && contentOf(draftToRow(withRemote(draftOf(series), remote.master))) !== contentOf(draftToRow(draftOf(series)))) return false;
    if (remote.overrides.length !== overrides.length) return false;
    const stored = new Map(overrides.map((override) => [time(override.recurrenceId), contentOf(draftToRow(draftOf(override)))]));
    return remote.overrides.every((override) => stored.get(time(override.recurrenceId)) === contentOf(overrideRow(series, override)));
  } catch {
    return false; // not storable as it is: let the write path report it
  }
}
