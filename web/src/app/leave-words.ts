/** The words a person reads for the API's leave enums. */
import type { LeaveStatus, LeaveType } from '../gql/graphql';

export const LEAVE_STATUS: Record<LeaveStatus, string> = { PENDING: 'Pending', APPROVED: 'Approved', REJECTED: 'Rejected', CANCELLED: 'Cancelled' };

export const LEAVE_TYPE: Record<LeaveType, string> = { ANNUAL: 'Annual leave', SICK: 'Sick leave', UNPAID: 'Unpaid leave', PARENTAL: 'Parental leave', OTHER: 'Other leave' };
