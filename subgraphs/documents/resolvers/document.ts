import type { DocumentResolvers } from '../generated/resolvers-types.js';

export const Document: DocumentResolvers = {
  __resolveReference: (reference, { documents }) => documents.getDocument(reference.id),
  versions: (document, _args, { documents }) => documents.versions(document),
  uploadedBy: (document) => (document.uploadedBy ? { id: document.uploadedBy } : null),
  downloadUrl: (document, _args, { documents }) => documents.downloadUrl(document),
  shareLinks: (document, _args, { shares }) => shares.linksOf(document),
  versionsConnection: (document, args, { documents }) => documents.versionsPage(document, args),
  shareLinksConnection: (document, args, { shares }) => shares.linksPage(document, args),
  activity: (document, args, { activity }) => activity.of(document, args),
  searchRank: (document) => document.search?.rank ?? null,
  searchSnippet: (document) => document.search?.snippet ?? null,
  contentIndex: async (document, _args, { documents }) => ((await documents.mayManage(document)) ? documents.contentIndex(document) : null),
};
