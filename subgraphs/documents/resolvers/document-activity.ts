import type { DocumentActivityResolvers } from '../generated/resolvers-types.js';

export const DocumentActivity: DocumentActivityResolvers = {
  actor: (entry) => (entry.actorUser ? { id: entry.actorUser } : null),
  at: (entry) => entry.createdAt,
};
