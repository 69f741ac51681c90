import type { LeaveRequestResolvers } from '../generated/resolvers-types.js';

export const LeaveRequest: LeaveRequestResolvers = {
  __resolveReference: (reference, { leave }) => leave.getLeaveRequest(reference.id),
  employee: (leave) => ({ id: leave.employeeId }),
  approvedBy: (leave) => (leave.wasApproved && leave.reviewedBy ? { id: leave.reviewedBy } : null),
  reviewedBy: (leave) => (leave.reviewedBy ? { id: leave.reviewedBy } : null),
};
