import type { EventOccurrenceResolvers } from '../generated/resolvers-types.js';

export const EventOccurrence: EventOccurrenceResolvers = {
  // Withheld as the event's own participants are (services/event-privacy.ts).
  participants: (occurrence, _args, { events }) => events.unlessWithheld(occurrence.event, () => events.occurrenceParticipants(occurrence), []),
};
