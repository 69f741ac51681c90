/**
 * An event's occurrences in a range with its RECURRENCE-ID overrides applied:
 * an override replaces the occurrence it names (wherever it was moved to), a
 * cancelled override removes it, and an override naming an occurrence the
 * series no longer has (the rule changed since) is ignored.
 */
import type { CalendarEventModel, EventOccurrenceModel } from '../models.js';
import { expandOccurrences, hasOccurrenceAt, overlaps, type SeriesDefinition } from './expand-occurrences.js';

export function seriesOf(event: Pick<CalendarEventModel, 'start' | 'end' | 'allDay' | 'timezone' | 'recurrenceRule' | 'exdates' | 'rdates'>): SeriesDefinition {
  return {
    start: event.start,
    end: event.end,
    allDay: event.allDay,
    timezone: event.timezone,
    recurrenceRule: event.recurrenceRule,
    exdates: event.exdates,
    rdates: event.rdates,
  };
}

const byStart = (a: EventOccurrenceModel<CalendarEventModel>, b: EventOccurrenceModel<CalendarEventModel>) =>
  a.start.getTime() - b.start.getTime() || a.event.id.localeCompare(b.event.id);

export function sortOccurrences<O extends EventOccurrenceModel<CalendarEventModel>>(occurrences: O[]): O[] {
  return occurrences.sort(byStart);
}

export function occurrencesInRange(event: CalendarEventModel, overrides: readonly CalendarEventModel[], from: Date, to: Date): EventOccurrenceModel<CalendarEventModel>[] {
  if (event.isCancelled) return [];
  const series = seriesOf(event);
  const replaced = new Set(overrides.map((override) => override.recurrenceId!.getTime()));
  const occurrences: EventOccurrenceModel<CalendarEventModel>[] = expandOccurrences(series, from, to)
    .filter((occurrence) => !occurrence.recurrenceId || !replaced.has(occurrence.recurrenceId.getTime()))
    .map((occurrence) => ({ event, ...occurrence }));
  for (const override of overrides) {
    if (override.isCancelled || !overlaps(override.start, override.end, from, to)) continue;
    if (!hasOccurrenceAt(series, override.recurrenceId!)) continue;
    occurrences.push({ event: override, start: override.start, end: override.end, recurrenceId: override.recurrenceId });
  }
  return sortOccurrences(occurrences);
}
