import type { SalesMeetingResolvers } from '../generated/resolvers-types.js';

export const SalesMeeting: SalesMeetingResolvers = {
  __resolveReference: (reference, { salesMeetings }) => salesMeetings.getSalesMeeting(reference.id),
  owner: (meeting) => (meeting.ownerId ? { id: meeting.ownerId } : null),
};
