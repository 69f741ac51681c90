import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  requestDocumentUpload: (_root, { input }, { uploads }) => uploads.requestUpload(input),
  requestDocumentVersionUpload: (_root, { input }, { uploads }) => uploads.requestVersionUpload(input),
  completeDocumentUpload: (_root, { uploadId }, { uploads }) => uploads.complete(uploadId),
  createResumableUpload: (_root, { input }, { resumableUploads }) => resumableUploads.create(input),
  createResumableVersionUpload: (_root, { input }, { resumableUploads }) => resumableUploads.createVersion(input),
  restoreDocumentVersion: (_root, { documentId, version }, { uploads }) => uploads.restoreVersion(documentId, version),
  createShareLink: (_root, { documentId, expiresAt, password }, { shares }) => shares.create(documentId, expiresAt, password),
  revokeShareLink: (_root, { id }, { shares }) => shares.revoke(id),
  archiveDocument: (_root, { id }, { lifecycle }) => lifecycle.setArchived(id, true),
  unarchiveDocument: (_root, { id }, { lifecycle }) => lifecycle.setArchived(id, false),
  deleteDocument: (_root, { id }, { lifecycle }) => lifecycle.trash(id),
  restoreDocument: (_root, { id }, { lifecycle }) => lifecycle.restore(id),
  updateDocument: (_root, { id, input }, { edits }) => edits.update(id, input),
  moveDocument: (_root, { id, entityType, entityId }, { edits }) => edits.move(id, entityType, entityId),
  setCompanyStorageSettings: (_root, { input }, { storageSettings }) => storageSettings.set(input),
  setCompanySearchLanguage: (_root, { language }, { searchSettings }) => searchSettings.setLanguage(language),
};
