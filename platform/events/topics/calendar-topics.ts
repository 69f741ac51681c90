/**
 * The calendar's own topics: one of its events was created, changed or
 * cancelled, whether by a user, a CalDAV pull or a mirrored domain record.
 * The payload is a snapshot of the event after the change, with who takes
 * part, so that consumers (and subscriptions) can filter without a lookup.
 */
import { array, boolean, dateTime, decimalId, integer, nullable, object, oneOf, string, uuid } from '../payload-schema.js';
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
  title: string(),
  start: dateTime(),
  end: nullable(dateTime()),
  is_cancelled: boolean(),
  /** Moodle user ids. */
  organizer_id: nullable(decimalId()),
  participant_user_ids: array(decimalId()),
});

/** A reminder due now for one person and one occurrence (sent once). */
const reminder = object({
  event_id: uuid(),
  company_id: uuid(),
  /** Moodle user id of who is reminded. */
  user_id: decimalId(),
  title: string(),
  occurrence_start: dateTime(),
  minutes_before: integer({ min: 0 }),
  remind_at: dateTime(),
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
