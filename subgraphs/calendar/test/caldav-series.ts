/**
 * Series the CalDAV series tests edit here and in calendar apps: a weekly
 * series tara organises and ravi accepted, synced to both calendars; the
 * occurrences each sees; the override VEVENT an app writes for one occurrence.
 */
import { USER_IDS, type CalDAVHarness } from './caldav-harness.js';

export const UPDATE = `mutation($id: ID!, $input: UpdateCalendarEventInput!, $scope: EditScope, $occurrence: DateTime) {
  updateCalendarEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) { id } }`;
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const RESPOND = `mutation($id: ID!, $status: ParticipationStatus!) { respondToEvent(eventId: $id, status: $status) { status } }`;
const OCCURRENCES = `query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) {
  start recurrenceId participants { user { id } status } event { id title location } } }`;

/** The helpers, on the harness `h()` gives once it has started. */
export function seriesOn(h: () => CalDAVHarness) {
  return {
    /** A weekly series of six at 10:00 Berlin time (08:00Z in summer, 09:00Z in winter) from `firstDay`, ravi invited and accepting, synced to both calendars. */
    async weeklySeries(title: string, firstDay: string, utcHour = '08', recurrenceRule = 'FREQ=WEEKLY;COUNT=6'): Promise<string> {
      const { createCalendarEvent } = await h().ok('tara', CREATE, {
        input: {
          title,
          start: `${firstDay}T${utcHour}:00:00Z`,
          end: `${firstDay}T${String(Number(utcHour) + 1).padStart(2, '0')}:00:00Z`,
          timezone: 'Europe/Berlin',
          recurrenceRule,
          participantIds: [USER_IDS.ravi],
        },
      });
      await h().ok('ravi', RESPOND, { id: createCalendarEvent.id, status: 'ACCEPTED' });
      await h().sync('tara');
      await h().sync('ravi');
      return createCalendarEvent.id;
    },

    /** Occurrences of events titled `prefix…` in [from, to), as the user sees them. */
    async occurrencesOf(person: 'tara' | 'ravi', prefix: string, from: string, to: string) {
      const { calendarEvents } = await h().ok(person, OCCURRENCES, { from, to });
      return (calendarEvents as any[]).filter((o) => o.event.title.startsWith(prefix));
    },
  };
}

/** The override VEVENT an app writes for the occurrence `recurrenceId` names (a whole property line), from the series' own VEVENT. */
export function overrideOf(master: string, recurrenceId: string, changes: { start: string; end: string; summary: [string, string] }): string {
  return master
    .replace(/RRULE:[^\r]*\r\n/, '')
    .replace(/DTSTART;TZID=Europe\/Berlin:\d{8}T\d{6}/, `DTSTART;TZID=Europe/Berlin:${changes.start}\r\n${recurrenceId}`)
    .replace(/DTEND;TZID=Europe\/Berlin:\d{8}T\d{6}/, `DTEND;TZID=Europe/Berlin:${changes.end}`)
    .replace(changes.summary[0], changes.summary[1]);
}
