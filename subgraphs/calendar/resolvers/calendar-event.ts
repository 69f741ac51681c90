import type { CalendarEventResolvers } from '../generated/resolvers-types.js';

export const CalendarEvent: CalendarEventResolvers = {
  __resolveReference: (reference, { events }) => events.getEvent(reference.id),
  organizer: (event) => (event.organizerId ? { id: event.organizerId } : null),
  participants: (event, _args, { events }) => events.participants(event),
  occurrences: (event, { from, to }, { events }) => events.occurrencesOf(event, from, to),
};
