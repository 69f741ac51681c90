import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  requestDocumentUpload: (_root, { input }, { uploads }) => uploads.requestUpload(input),
  requestDocumentVersionUpload: (_root, { input }, { uploads }) => uploads.requestVersionUpload(input),
  completeDocumentUpload: (_root, { uploadId }, { uploads }) => uploads.complete(uploadId),
  restoreDocumentVersion: (_root, { documentId, version }, { uploads }) => uploads.restoreVersion(documentId, version),
};
