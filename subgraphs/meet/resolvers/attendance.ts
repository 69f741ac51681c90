import type { AttendanceResolvers } from '../generated/resolvers-types.js';

export const Attendance: AttendanceResolvers = {
  // A User reference only for a Moodle id; academy answers null for one it cannot resolve (a deleted account).
  user: (attendance) => (attendance.userId ? { id: attendance.userId } : null),
};
