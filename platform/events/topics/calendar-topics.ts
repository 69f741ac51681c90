/**
 * The calendar's own topics: one of its events was created, changed or
 * cancelled, whether by a user, a CalDAV pull or a mirrored domain record.
 * The payload is a snapshot of the event after the change, with who takes
 * part, so that consumers (and subscriptions) can filter without a lookup.
 *
 * Every consumer of the company's bus reads these, and none is a participant:
 * a private or confidential event (its iCalendar CLASS in `class`) is told as
 * GraphQL shows it to non-participants, its times, type and organizer with
 * the title "Busy" and no participants. Readers entitled to more read the
 * event through GraphQL (the calendar's subscriptions do).
 */
import { array, boolean, dateTime, decimalId, integer, nullable, object, oneOf, optional, string, uuid } from '../payload-schema.js';
import { defineTopic } from '../topic-registry.js';

const EVENT_TYPES = ['MEETING', 'TASK_DEADLINE', 'MILESTONE', 'LEAVE', 'HOLIDAY', 'REMINDER', 'LIVE_CLASS', 'CUSTOM'] as const;

const calendarEvent = object({
  event_id: uuid(),
  company_id: uuid(),
  event_type: oneOf(EVENT_TYPES),
  /** sales, project, hr, meet; null for the calendar's own events. */
  source_module: nullable(string()),
  entity_type: nullable(string()),
  entity_id: nullable(string()),
  /** "Busy" when `class` is set. */
  title: string(),
  start: dateTime(),
  end: nullable(dateTime()),
  is_cancelled: boolean(),
  /** Moodle user ids. */
  organizer_id: nullable(decimalId()),
  /** Empty when `class` is set. */
  participant_user_ids: array(decimalId()),
  /** CLASS PRIVATE, CONFIDENTIAL or another non-PUBLIC one; absent or null for a public event. */
  class: optional(string()),
});

/** A reminder due now for one person and one occurrence (sent once). */
const reminder = object({
  event_id: uuid(),
  company_id: uuid(),
  /** Moodle user id of who is reminded. */
  user_id: decimalId(),
  /** "Busy" when `class` is set: the reminded person reads the title through Subscription.calendarReminder. */
  title: string(),
  occurrence_start: dateTime(),
  minutes_before: integer({ min: 0 }),
  remind_at: dateTime(),
  class: optional(string()),
});

const eventTopic = (name: string, description: string) => defineTopic(name, { schema: calendarEvent, keyOf: (p) => p.event_id, description });

export const calendarTopics = {
  'calendar.event.created': eventTopic('calendar.event.created', 'A calendar event was created.'),
  'calendar.event.updated': eventTopic('calendar.event.updated', 'A calendar event changed (time, title, participants, an occurrence...).'),
  'calendar.event.cancelled': eventTopic('calendar.event.cancelled', 'A calendar event was cancelled.'),
  'calendar.event.reminder': defineTopic('calendar.event.reminder', {
    schema: reminder,
    keyOf: (p) => `${p.event_id}/${p.user_id}/${p.occurrence_start}/${p.minutes_before}`,
    description: 'A reminder of an occurrence is due for one participant (published once, at its time).',
  }),
};
