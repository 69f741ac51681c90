import type { CalendarEventResolvers } from '../generated/resolvers-types.js';
import { classOf, WITHHELD_TITLE } from '../services/event-privacy.js';

export const CalendarEvent: CalendarEventResolvers = {
  __resolveReference: (reference, { events }) => events.getEvent(reference.id),
  // A private or confidential event shows others only its busy time (services/event-privacy.ts).
  title: async (event, _args, { events }) => ((await events.withholds(event)) ? WITHHELD_TITLE : event.title),
  description: async (event, _args, { events }) => ((await events.withholds(event)) ? null : event.description),
  location: async (event, _args, { events }) => ((await events.withholds(event)) ? null : event.location),
  metadata: async (event, _args, { events }) => ((await events.withholds(event)) ? { class: classOf(event) } : event.metadata),
  organizer: (event) => (event.organizerId ? { id: event.organizerId } : null),
  participants: async (event, _args, { events }) => ((await events.withholds(event)) ? [] : events.participants(event)),
  occurrences: (event, { from, to }, { events }) => events.occurrencesOf(event, from, to),
};
