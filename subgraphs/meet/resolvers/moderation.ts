/** Moderation's types: users are references academy resolves (by Moodle user id). */
import type { ModerationEntryResolvers, RaisedHandResolvers, RoomParticipantResolvers } from '../generated/resolvers-types.js';

export const RaisedHand: RaisedHandResolvers = {
  user: (hand) => ({ id: hand.userId }),
};

export const RoomParticipant: RoomParticipantResolvers = {
  user: (participant) => (participant.userId ? { id: participant.userId } : null),
};

export const ModerationEntry: ModerationEntryResolvers = {
  actor: (entry) => (entry.actorUserId ? { id: entry.actorUserId } : null),
  target: (entry) => ({ id: entry.targetUserId }),
};
