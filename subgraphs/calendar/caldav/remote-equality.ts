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
import { isTransparent } from '../services/event-transparency.js';
import { classOf } from '../services/event-privacy.js';
import { overrideRow, withRemote } from './apply-remote.js';
import type { RemoteObject } from './icalendar.js';

const CONTENT = ['title', 'description', 'location', 'start_time', 'end_time', 'all_day', 'timezone', 'recurrence_rule', 'exdates', 'rdates', 'is_cancelled'] as const;

function contentOf(row: NewEventRow): string {
  const plain = (value: unknown): unknown => (value instanceof Date ? value.getTime() : Array.isArray(value) ? value.map(plain) : (value ?? null));
  // Whether it shows as free, as we would write it (draftToRow gives metadata as JSON text).
  const metadata = JSON.parse(String(row.metadata ?? '{}'));
  const transparent = isTransparent({ eventType: row.event_type, metadata });
  // Its CLASS too: marked private there, it must be withheld here.
  return JSON.stringify([...CONTENT.map((column) => plain(row[column])), transparent, classOf({ metadata })]);
}

const time = (date: Date | null) => date?.getTime() ?? null;

/**
 * The remote object less the overrides that only restate an occurrence of the
 * series (what we write, and clients keep, to carry one occurrence's answers):
 * they change nothing but answers, which are not event content.
 */
export function withoutAnswerOnlyOverrides(series: CalendarEventModel, overrides: readonly CalendarEventModel[], remote: RemoteObject): RemoteObject {
  const stored = new Set(overrides.map((override) => time(override.recurrenceId)));
  const duration = series.end ? series.end.getTime() - series.start.getTime() : null;
  const restates = (override: RemoteObject['overrides'][number]) => {
    try {
      const at = override.recurrenceId!;
      const occurrence = draftToRow({
        ...draftOf(series),
        parentId: series.id,
        recurrenceId: at,
        externalId: null,
        start: at,
        end: duration === null ? null : new Date(at.getTime() + duration),
        recurrenceRule: null,
        exdates: [],
        rdates: [],
      });
      return contentOf(overrideRow(series, override)) === contentOf(occurrence);
    } catch {
      return false;
    }
  };
  return { ...remote, overrides: remote.overrides.filter((override) => stored.has(time(override.recurrenceId)) || !restates(override)) };
}

export function sameAsStored(series: CalendarEventModel, overrides: readonly CalendarEventModel[], whole: RemoteObject): boolean {
  const remote = withoutAnswerOnlyOverrides(series, overrides, whole);
  try {
    if (remote.master && contentOf(draftToRow(withRemote(draftOf(series), remote.master))) !== contentOf(draftToRow(draftOf(series)))) return false;
    if (remote.overrides.length !== overrides.length) return false;
    const stored = new Map(overrides.map((override) => [time(override.recurrenceId), contentOf(draftToRow(draftOf(override)))]));
    return remote.overrides.every((override) => stored.get(time(override.recurrenceId)) === contentOf(overrideRow(series, override)));
  } catch {
    return false; // not storable as it is: let the write path report it
  }
}
