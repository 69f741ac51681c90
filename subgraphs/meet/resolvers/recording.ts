import { notFound } from '../../../platform/errors.js';
import type { RecordingResolvers } from '../generated/resolvers-types.js';

export const Recording: RecordingResolvers = {
  __resolveReference: (reference, { recordings }) => recordings.getRecording(reference.id),
  liveClass: async (recording, _args, { liveClasses }) =>
    (await liveClasses.getLiveClass(recording.liveClassId)) ?? Promise.reject(notFound('LiveClass', recording.liveClassId)),
  url: (recording, _args, { recordings }) => recordings.download(recording)?.url ?? null,
  urlExpiresAt: (recording, _args, { recordings }) => recordings.download(recording)?.expiresAt ?? null,
};
