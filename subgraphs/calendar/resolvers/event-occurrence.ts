import type { EventOccurrenceResolvers } from '../generated/resolvers-types.js';

export const EventOccurrence: EventOccurrenceResolvers = {
  participants: (occurrence, _args, { events }) => events.occurrenceParticipants(occurrence),
};
