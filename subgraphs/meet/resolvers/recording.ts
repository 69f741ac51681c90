import { notFound } from '../../../platform/errors.js';
import { selectedFields } from '../../../platform/graphql/selected-fields.js';
import type { RecordingResolvers } from '../generated/resolvers-types.js';

export const Recording: RecordingResolvers = {
  __resolveReference: (reference, { recordings }) => recordings.getRecording(reference.id),
  liveClass: async (recording, _args, { liveClasses }, info) =>
    (await liveClasses.classOfRecording(recording, selectedFields(info))) ?? Promise.reject(notFound('LiveClass', recording.liveClassId)),
  url: async (recording, _args, { recordings }) => (await recordings.download(recording))?.url ?? null,
  urlExpiresAt: async (recording, _args, { recordings }) => (await recordings.download(recording))?.expiresAt ?? null,
};
