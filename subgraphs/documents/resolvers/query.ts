import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  document: (_root, { id }, { documents }) => documents.getDocument(id),
  documents: (_root, args, { documents }) => documents.listDocuments(args),
  documentsConnection: (_root, args, { documents }) => documents.listDocumentsPage(args),
  trashedDocuments: (_root, _args, { lifecycle }) => lifecycle.trashed(),
  trashedDocumentsConnection: (_root, args, { lifecycle }) => lifecycle.trashedPage(args),
  documentUpload: (_root, { id }, { uploads }) => uploads.progress(id),
  companyStorageSettings: (_root, _args, { storageSettings }) => storageSettings.get(),
  companySearchSettings: (_root, _args, { searchSettings }) => searchSettings.get(),
};
