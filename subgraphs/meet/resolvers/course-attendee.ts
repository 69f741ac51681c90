import type { CourseAttendeeResolvers } from '../generated/resolvers-types.js';

export const CourseAttendee: CourseAttendeeResolvers = {
  // As Attendance.user: academy answers null for an id it cannot resolve.
  user: (attendee) => (attendee.userId ? { id: attendee.userId } : null),
};
