import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  document: (_root, { id }, { documents }) => documents.getDocument(id),
  documents: (_root, args, { documents }) => documents.listDocuments(args),
  trashedDocuments: (_root, _args, { lifecycle }) => lifecycle.trashed(),
  documentUpload: (_root, { id }, { uploads }) => uploads.progress(id),
  companyStorageSettings: (_root, _args, { storageSettings }) => storageSettings.get(),
};
