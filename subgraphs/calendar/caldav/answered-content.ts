/**
 * What a participant answers to: when and where the event asks them to be.
 * A participant who deleted their copy (a decline) is not sent it again while
 * this stays the same; once the organiser changes it (a reschedule: RFC 5546
 * 2.1.4, the changes that "jeopardize the validity of the participation
 * status", for which a new REQUEST asks for a new answer) they are asked again.
 *
 * Times, recurrence and place, of the series and of each edited occurrence:
 * Sabre's (Nextcloud's) significant properties DTSTART, DTEND, RRULE, RDATE,
 * with LOCATION, RFC 5546's own example. Not EXDATE: an occurrence cancelled
 * asks nothing new of someone who declined them all. Not the title nor the
 * description, which Sabre does not count either.
 */
import type { CalendarEventModel } from '../models.js';

const time = (date: Date | null) => date?.getTime() ?? null;

export function answeredContent(series: CalendarEventModel, overrides: readonly CalendarEventModel[]): string {
  const place = (event: CalendarEventModel) => [time(event.start), time(event.end), event.allDay, event.location ?? null];
  const occurrences = overrides
    .filter((override) => !override.isCancelled)
    .map((override) => [time(override.recurrenceId), ...place(override)])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
  return JSON.stringify([...place(series), series.timezone, series.recurrenceRule ?? null, series.rdates.map(time), occurrences]);
}

/**
 * What a participant answers to in one occurrence of a series (`recurrenceId`): its times and place, as its override
 * gives them or else the series at that instant. A participant who deleted that occurrence from their copy (declined
 * it) is asked again once this changes (services/occurrences-kept-out.ts).
 */
export function occurrenceAnswered(series: CalendarEventModel, overrides: readonly CalendarEventModel[], recurrenceId: Date): string {
  const edited = overrides.find((override) => time(override.recurrenceId) === recurrenceId.getTime());
  if (edited) return JSON.stringify([time(edited.start), time(edited.end), edited.allDay, edited.location ?? null]);
  const end = series.end ? recurrenceId.getTime() + (series.end.getTime() - series.start.getTime()) : null;
  return JSON.stringify([recurrenceId.getTime(), end, series.allDay, series.location ?? null]);
}
