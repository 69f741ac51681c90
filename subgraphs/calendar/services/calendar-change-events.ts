/**
 * Publishing the calendar's own changes (calendar.event.*) in the writer's
 * transaction: the event as it is after the change, read back with its
 * participating users, so that a rolled-back write announces nothing.
 */
import type { Transaction } from 'kysely';
import { publishEvent } from '../../../platform/events/publish-event.js';
import type { TopicPayload } from '../../../platform/events/topics/index.js';
import type { CalendarDatabase } from '../database.js';

/** Cancelled when the event is (a cancelled occurrence of a series is an update of the series). */
export type CalendarChange = 'created' | 'updated';

export async function publishCalendarChange(trx: Transaction<CalendarDatabase>, companyId: string, eventId: string, change: CalendarChange): Promise<void> {
  const event = await trx.selectFrom('calendar.calendar_events').selectAll().where('company_id', '=', companyId).where('id', '=', eventId).executeTakeFirst();
  if (!event) return;
  // Participants of an occurrence override are the series'.
  const participantsOf = event.parent_id ?? event.id;
  const users = await trx.selectFrom('calendar.event_participants').select('user_id').where('event_id', '=', participantsOf).where('user_id', 'is not', null).execute();
  const payload: TopicPayload<'calendar.event.created'> = {
    event_id: event.id,
    company_id: event.company_id,
    event_type: event.event_type as TopicPayload<'calendar.event.created'>['event_type'],
    source_module: event.source_module,
    entity_type: event.entity_type,
    entity_id: event.entity_id,
    title: event.title,
    start: event.start_time.toISOString(),
    end: event.end_time?.toISOString() ?? null,
    is_cancelled: event.is_cancelled,
    organizer_id: event.organizer_id,
    participant_user_ids: users.map((u) => String(u.user_id)),
  };
  const topic = event.is_cancelled ? 'calendar.event.cancelled' : `calendar.event.${change}`;
  await publishEvent(trx, { topic, companyId, key: event.id, payload, source: 'calendar' });
}
