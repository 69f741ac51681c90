import type { LiveClassResolvers } from '../generated/resolvers-types.js';

export const LiveClass: LiveClassResolvers = {
  __resolveReference: (reference, { liveClasses }) => liveClasses.getLiveClass(reference.id),
  course: (liveClass) => ({ id: liveClass.courseId }),
  host: (liveClass) => ({ id: liveClass.hostUserId }),
  recordings: (liveClass, _args, { recordings }) => recordings.ofClass(liveClass),
  attendance: (liveClass, _args, { attendance }) => attendance.ofClass(liveClass),
  serviceParticipants: (liveClass, _args, { attendance }) => attendance.serviceParticipantsOf(liveClass),
  raisedHands: (liveClass, _args, { moderation }) => moderation.raisedHandsOf(liveClass),
  roomParticipants: (liveClass, _args, { moderation }) => moderation.roomParticipantsOf(liveClass),
  removedParticipants: (liveClass, _args, { moderation }) => moderation.removedOf(liveClass),
  moderationLog: (liveClass, _args, { moderation }) => moderation.logOf(liveClass),
  attendanceCsv: (liveClass, _args, { attendance }) => attendance.csvOfClass(liveClass),
};
