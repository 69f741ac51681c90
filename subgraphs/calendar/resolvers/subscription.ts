/**
 * Subscription.calendarEventChanged: fed by the event backbone
 * (calendar.event.* from any calendar replica). Per event: the caller's
 * company, the arguments' types and range (cheap checks on the payload),
 * then the event read as it is now under the caller's visibility rules (the
 * same SQL predicate as Query.calendarEvent), with the event's cursor
 * attached so that the gateway can resume after it.
 */
import { mapEvents } from '../../../platform/subgraph/subscriptions/map-events.js';
import { withCursor } from '../../../platform/subgraph/subscriptions/event-cursor-tag.js';
import { subscriptionExtras } from '../../../platform/subgraph/subscriptions/subscription-context.js';
import { badInput } from '../../../platform/errors.js';
import type { CalendarContext } from '../context.js';
import type { SubscriptionCalendarEventChangedArgs, SubscriptionResolverObject, SubscriptionResolvers } from '../generated/resolvers-types.js';
import type { CalendarEventModel, ShownEvent } from '../models.js';

interface CalendarReminderModel {
  event: ShownEvent;
  occurrenceStart: Date;
  minutesBefore: number;
  remindAt: Date;
}

const CHANGE_TOPICS = ['calendar.event.created', 'calendar.event.updated', 'calendar.event.cancelled'] as const;

interface EventChanged {
  eventId: string;
}

/** Whether a series or single event may have an occurrence in [from, to) (as the range queries' coarse filter). */
function mayOccurIn(event: CalendarEventModel, from?: Date | null, to?: Date | null): boolean {
  if (to && event.start.getTime() >= to.getTime()) return false;
  if (from && event.seriesUntil && event.seriesUntil.getTime() < from.getTime()) return false;
  return true;
}

const calendarEventChanged: SubscriptionResolverObject<ShownEvent, unknown, CalendarContext, Partial<SubscriptionCalendarEventChangedArgs>> = {
  subscribe: (_parent, { eventTypes, from, to }, context) => {
    if (from && to && from.getTime() >= to.getTime()) throw badInput('`from` must be before `to`', 'from');
    const { events, resumeAfter } = subscriptionExtras(context);
    const { companyId } = context.viewer;
    const changes = events.subscribe({
      topics: [...CHANGE_TOPICS],
      after: resumeAfter,
      filter: (event) => event.companyId === companyId && (!eventTypes?.length || eventTypes.includes(event.payload.event_type)),
    });
    return mapEvents(changes, async (event) => {
      const visible = await context.events.getEventNow(event.payload.event_id);
      if (!visible || !mayOccurIn(visible, from, to)) return undefined;
      return withCursor<EventChanged>({ eventId: visible.id }, event.cursor);
    });
  },
  resolve: async (payload, _args, context) => {
    const { eventId } = payload as unknown as EventChanged;
    const event = await context.events.getEvent(eventId);
    if (!event) throw new Error(`Calendar event ${eventId} vanished`);
    return event;
  },
};

interface ReminderDue {
  eventId: string;
  occurrenceStart: Date;
  minutesBefore: number;
  remindAt: Date;
}

/** The caller's own reminders (calendar.event.reminder names whom it is for), of events they may still see. */
const calendarReminder: SubscriptionResolverObject<CalendarReminderModel, unknown, CalendarContext, Record<string, never>> = {
  subscribe: (_parent, _args, context) => {
    const { events, resumeAfter } = subscriptionExtras(context);
    const { companyId, moodleUserId } = context.viewer;
    const due = events.subscribe({
      topics: ['calendar.event.reminder'],
      after: resumeAfter,
      filter: (event) => !!moodleUserId && event.companyId === companyId && event.payload.user_id === moodleUserId,
    });
    return mapEvents(due, async (event) => {
      const visible = await context.events.getEventNow(event.payload.event_id);
      if (!visible) return undefined;
      const { occurrence_start, minutes_before, remind_at } = event.payload;
      return withCursor<ReminderDue>(
        { eventId: visible.id, occurrenceStart: new Date(occurrence_start), minutesBefore: minutes_before, remindAt: new Date(remind_at) },
        event.cursor,
      );
    });
  },
  resolve: async (payload, _args, context) => {
    const reminder = payload as unknown as ReminderDue;
    const event = await context.events.getEvent(reminder.eventId);
    if (!event) throw new Error(`Calendar event ${reminder.eventId} vanished`);
    return { event, occurrenceStart: new Date(reminder.occurrenceStart), minutesBefore: reminder.minutesBefore, remindAt: new Date(reminder.remindAt) };
  },
};

export const Subscription: SubscriptionResolvers = { calendarEventChanged, calendarReminder };
