/**
 * An event as services describe it, checked and turned into a row: a known
 * time zone, a valid RRULE, all-day events on whole days, and the series'
 * end computed once so that range queries can filter in SQL.
 */
import { inDateRange, MAX_YEAR, MIN_YEAR, spanProblem } from '../../../platform/date-time.js';
import { badInput } from '../../../platform/errors.js';
import { storableTextProblem } from '../../../platform/graphql/text-input.js';
import type { CalendarEventModel, EventTypeName } from '../models.js';
import { seriesEnd } from '../recurrence/expand-occurrences.js';
import { requireSeriesWithinCap } from '../recurrence/occurrence-limits.js';
import { normalizeRecurrenceRule } from '../recurrence/recurrence-rule.js';
import { requireTimeZone } from '../recurrence/time-zones.js';
import type { NewEventRow } from '../repositories/event-writes.js';
import { checkedReminders } from './reminder-minutes.js';

export interface EventDraft {
  companyId: string;
  title: string;
  description?: string | null;
  location?: string | null;
  start: Date;
  end?: Date | null;
  allDay?: boolean | null;
  timezone?: string | null;
  recurrenceRule?: string | null;
  exdates?: readonly Date[];
  rdates?: readonly Date[];
  eventType: EventTypeName;
  sourceModule?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  courseId?: string | null;
  organizerId?: string | null;
  externalId?: string | null;
  metadata?: Record<string, unknown>;
  parentId?: string | null;
  recurrenceId?: Date | null;
  isCancelled?: boolean;
  /** A done task or reached milestone. */
  completed?: boolean;
  /** Minutes before each occurrence; null: each person's defaults. */
  reminderMinutes?: readonly number[] | null;
}

const DAY = 86_400_000;
const MAX_DATES = 1000;
export const startOfUtcDay = (date: Date) => new Date(Math.floor(date.getTime() / DAY) * DAY);

/** All-day events are whole UTC days: start at midnight, end (exclusive) at a later midnight. */
function wholeDays(start: Date, end: Date | null | undefined): { start: Date; end: Date } {
  const first = startOfUtcDay(start);
  const last = end ? new Date(Math.ceil(end.getTime() / DAY) * DAY) : new Date(first.getTime() + DAY);
  return { start: first, end: last > first ? last : new Date(first.getTime() + DAY) };
}

export function draftToRow(draft: EventDraft): NewEventRow {
  const title = draft.title.trim();
  if (!title) throw badInput('An event needs a title', 'title');
  if (title.length > 500) throw badInput('The title may be at most 500 characters long', 'title');
  const allDay = !!draft.allDay;
  const timezone = requireTimeZone(draft.timezone ?? 'UTC');
  const recurrenceRule = draft.recurrenceRule ? normalizeRecurrenceRule(draft.recurrenceRule) : null;
  if (draft.end && draft.end < draft.start) throw badInput('An event cannot end before it starts', 'end');
  // Drafts also come from CalDAV and other domains' events, which GraphQL's DateTime and text checks never saw.
  // The end is not held to the range: one derived from an in-range date (a deadline's hour, a leave's last day)
  // may pass 2200 by a little, and refusing it would dead-letter the event that carried it; it stays writable as RFC 3339.
  for (const [field, date] of [
    ['start', draft.start],
    ...(draft.exdates ?? []).map((d) => ['exdates', d] as const),
    ...(draft.rdates ?? []).map((d) => ['rdates', d] as const),
  ] as const) {
    if (!inDateRange(date)) throw badInput(`${field} must lie within the years ${MIN_YEAR} to ${MAX_YEAR}`, field);
  }
  // Written so that an Invalid Date (a CalDAV DURATION past what a Date holds: NaN fails every comparison) is refused too.
  if (draft.end && !(draft.end.getUTCFullYear() <= 9999)) throw badInput('end is too far in the future', 'end');
  // The platform's one bound on how long anything lasts (each occurrence of a series too); all-day, a day more:
  // 366 days of instants (approved leave) read as dates of the company's zone may touch 367 of them.
  const spanned = draft.end && spanProblem(draft.start, draft.end, allDay ? 1 : 0);
  if (spanned) throw badInput(`end ${spanned}`, 'end');
  for (const [field, text] of [
    ['title', title],
    ['description', draft.description],
    ['location', draft.location],
  ] as const) {
    const problem = text && storableTextProblem(text);
    if (problem) throw badInput(`${field} ${problem}`, field);
  }
  const times = allDay ? wholeDays(draft.start, draft.end) : { start: draft.start, end: draft.end ?? null };
  const toDay = (dates: readonly Date[] | undefined) => (dates ?? []).map((date) => (allDay ? startOfUtcDay(date) : date));
  const exdates = toDay(draft.exdates);
  const rdates = toDay(draft.rdates);
  if (exdates.length > MAX_DATES || rdates.length > MAX_DATES)
    throw badInput(`A series may list at most ${MAX_DATES} exdates and ${MAX_DATES} rdates`, exdates.length > MAX_DATES ? 'exdates' : 'rdates');
  const series = { start: times.start, end: times.end, allDay, timezone, recurrenceRule, exdates, rdates };
  requireSeriesWithinCap(series);
  const until = seriesEnd(series);
  return {
    company_id: draft.companyId,
    parent_id: draft.parentId ?? null,
    recurrence_id: draft.recurrenceId ?? null,
    title,
    description: draft.description ?? null,
    location: draft.location ?? null,
    start_time: times.start,
    end_time: times.end,
    all_day: allDay,
    timezone,
    recurrence_rule: recurrenceRule,
    exdates,
    rdates,
    series_until: until,
    event_type: draft.eventType,
    source_module: draft.sourceModule ?? null,
    entity_type: draft.entityType ?? null,
    entity_id: draft.entityId ?? null,
    course_id: draft.courseId ?? null,
    organizer_id: draft.organizerId ?? null,
    external_id: draft.externalId ?? null,
    metadata: JSON.stringify(draft.metadata ?? {}),
    is_cancelled: draft.isCancelled ?? false,
    completed: draft.completed ?? false,
    reminder_minutes: draft.reminderMinutes ? checkedReminders(draft.reminderMinutes) : null,
  };
}

/** An existing event as a draft, to merge changes into and store again. */
export function draftOf(event: CalendarEventModel): EventDraft {
  return {
    companyId: event.companyId,
    title: event.title,
    description: event.description,
    location: event.location,
    start: event.start,
    end: event.end,
    allDay: event.allDay,
    timezone: event.timezone,
    recurrenceRule: event.recurrenceRule,
    exdates: event.exdates,
    rdates: event.rdates,
    eventType: event.eventType,
    sourceModule: event.sourceModule,
    entityType: event.entityType,
    entityId: event.entityId,
    courseId: event.courseId,
    organizerId: event.organizerId,
    externalId: event.externalId,
    metadata: event.metadata,
    parentId: event.parentId,
    recurrenceId: event.recurrenceId,
    isCancelled: event.isCancelled,
    completed: event.completed,
    reminderMinutes: event.reminderMinutes,
  };
}
