import type { ShareLinkResolvers } from '../generated/resolvers-types.js';

export const ShareLink: ShareLinkResolvers = {
  url: (link, _args, { shares }) => shares.url(link),
  createdBy: (link) => (link.createdByUser ? { id: link.createdByUser } : null),
  servesNow: (link, _args, { shares }) => shares.servesNow(link),
  status: (link, _args, { shares }) => shares.status(link),
};
