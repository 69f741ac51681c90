import type { EventParticipantResolvers } from '../generated/resolvers-types.js';

export const EventParticipant: EventParticipantResolvers = {
  user: (participant) => (participant.userId ? { id: participant.userId } : null),
};
