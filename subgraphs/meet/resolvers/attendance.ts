import type { AttendanceResolvers } from '../generated/resolvers-types.js';

export const Attendance: AttendanceResolvers = {
  user: (attendance) => ({ id: attendance.userId }),
};
