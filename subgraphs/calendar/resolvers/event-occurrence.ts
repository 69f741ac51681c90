import type { EventOccurrenceResolvers } from '../generated/resolvers-types.js';

export const EventOccurrence: EventOccurrenceResolvers = {
  // Withheld as the event's own participants are (services/event-privacy.ts).
  participants: async (occurrence, _args, { events }) => ((await events.withholds(occurrence.event)) ? [] : events.occurrenceParticipants(occurrence)),
};
