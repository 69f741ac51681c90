/**
 * Publishing the calendar's own changes (calendar.event.*) in the writer's
 * transaction: the event as it is after the change, read back with its
 * participating users, so that a rolled-back write announces nothing.
 */
import type { Transaction } from 'kysely';
import { publishEvents } from '../../../platform/events/publish-event.js';
import type { TopicPayload } from '../../../platform/events/topics/index.js';
import type { CalendarDatabase } from '../database.js';

/** Cancelled when the event is (a cancelled occurrence of a series is an update of the series). */
export type CalendarChange = 'created' | 'updated';

export async function publishCalendarChange(trx: Transaction<CalendarDatabase>, companyId: string, eventId: string, change: CalendarChange): Promise<void> {
  await publishCalendarChanges(trx, companyId, [eventId], change);
}

/** The same for many events (a pulled batch): the events, their users and the outbox rows in one statement each. */
export async function publishCalendarChanges(trx: Transaction<CalendarDatabase>, companyId: string, eventIds: readonly string[], change: CalendarChange): Promise<void> {
  if (eventIds.length === 0) return;
  const events = await trx.selectFrom('calendar.calendar_events').selectAll().where('company_id', '=', companyId).where('id', 'in', [...eventIds]).execute();
  // Participants of an occurrence override are the series'.
  const participantsOf = (event: (typeof events)[number]) => event.parent_id ?? event.id;
  const users = await trx
    .selectFrom('calendar.event_participants')
    .select(['event_id', 'user_id'])
    .where('event_id', 'in', [...new Set(events.map(participantsOf))])
    .where('user_id', 'is not', null)
    .execute();
  const byEvent = new Map<string, string[]>();
  for (const user of users) byEvent.set(user.event_id, [...(byEvent.get(user.event_id) ?? []), String(user.user_id)]);
  const order = new Map(eventIds.map((id, index) => [id, index]));
  events.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const published = events.map((event) => {
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
      participant_user_ids: byEvent.get(participantsOf(event)) ?? [],
    };
    const topic = event.is_cancelled ? 'calendar.event.cancelled' : `calendar.event.${change}`;
    return { topic, companyId, key: event.id, payload, source: 'calendar' };
  });
  await publishEvents(trx, published);
}
