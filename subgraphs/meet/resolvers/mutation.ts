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
};
