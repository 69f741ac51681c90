import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  scheduleLiveClass: (_root, { input }, { scheduling }) => scheduling.schedule(input),
  updateLiveClass: (_root, { id, input }, { scheduling }) => scheduling.update(id, input),
  cancelLiveClass: (_root, { id }, { scheduling }) => scheduling.cancel(id),
  endLiveClass: (_root, { id }, { scheduling }) => scheduling.end(id),
  joinLiveClass: (_root, { id }, { joins }) => joins.join(id),
  startRecording: (_root, { liveClassId }, { recordings }) => recordings.startRecording(liveClassId),
  stopRecording: (_root, { liveClassId }, { recordings }) => recordings.stopRecording(liveClassId),
  deleteRecording: (_root, { id }, { recordings }) => recordings.deleteRecording(id),
  raiseHand: (_root, { liveClassId }, { moderation }) => moderation.raiseHand(liveClassId),
  lowerHand: (_root, { liveClassId, userId }, { moderation }) => moderation.lowerHand(liveClassId, userId),
  promoteParticipant: (_root, { liveClassId, userId }, { moderation }) => moderation.promote(liveClassId, userId),
  demoteParticipant: (_root, { liveClassId, userId }, { moderation }) => moderation.demote(liveClassId, userId),
  muteParticipantTrack: (_root, { liveClassId, userId, trackSid, source }, { moderation }) => moderation.muteTrack(liveClassId, userId, trackSid, source),
  removeParticipant: (_root, { liveClassId, userId }, { moderation }) => moderation.remove(liveClassId, userId),
  readmitParticipant: (_root, { liveClassId, userId }, { moderation }) => moderation.readmit(liveClassId, userId),
  publishRecording: (_root, { id }, { recordings }) => recordings.setPublished(id, true),
  unpublishRecording: (_root, { id }, { recordings }) => recordings.setPublished(id, false),
};
