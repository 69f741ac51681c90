/**
 * Publishing the calendar's own changes (calendar.event.*) in the writer's
 * transaction: the event as it is after the change, read back with its
 * participating users, so that a rolled-back write announces nothing. A
 * private or confidential event is announced as non-participants see it
 * (event-privacy.ts `announced`): titled "Busy", without its participants.
 */
import type { Transaction } from 'kysely';
import { publishEvents } from '../../../platform/events/publish-event.js';
import type { TopicPayload } from '../../../platform/events/topics/index.js';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import { eventsInCompany } from '../repositories/event-repository.js';
import { participantUserIds } from '../repositories/participant-repository.js';
import { announced } from './event-privacy.js';

/** Cancelled when the event is (a cancelled occurrence of a series is an update of the series). */
export type CalendarChange = 'created' | 'updated';

export async function publishCalendarChange(trx: Transaction<CalendarDatabase>, companyId: string, eventId: string, change: CalendarChange): Promise<void> {
  await publishCalendarChanges(trx, companyId, [eventId], change);
}

/** The same for many events (a pulled batch): the events, their users and the outbox rows in one statement each. */
export async function publishCalendarChanges(trx: Transaction<CalendarDatabase>, companyId: string, eventIds: readonly string[], change: CalendarChange): Promise<void> {
  if (eventIds.length === 0) return;
  const events = await eventsInCompany(trx, companyId, eventIds);
  // Participants of an occurrence override are the series'.
  const participantsOf = (event: CalendarEventModel) => event.parentId ?? event.id;
  const byEvent = await participantUserIds(trx, [...new Set(events.map(participantsOf))]);
  const order = new Map(eventIds.map((id, index) => [id, index]));
  events.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const published = events.map((event) => {
    const told = announced(event);
    const payload: TopicPayload<'calendar.event.created'> = {
      event_id: event.id,
      company_id: event.companyId,
      event_type: event.eventType,
      source_module: event.sourceModule,
      entity_type: event.entityType,
      entity_id: event.entityId,
      title: told.title,
      start: event.start.toISOString(),
      end: event.end?.toISOString() ?? null,
      is_cancelled: event.isCancelled,
      organizer_id: event.organizerId,
      participant_user_ids: told.class ? [] : (byEvent.get(participantsOf(event)) ?? []),
      class: told.class,
    };
    const topic = event.isCancelled ? 'calendar.event.cancelled' : `calendar.event.${change}`;
    return { topic, companyId, key: event.id, payload, source: 'calendar' };
  });
  await publishEvents(trx, published);
}
