import type { DocumentUploadResolvers } from '../generated/resolvers-types.js';

export const DocumentUpload: DocumentUploadResolvers = {
  document: (upload, _args, { documents }) => (upload.status === 'completed' ? documents.getDocument(upload.documentId) : null),
};
