import { selectedFields } from '../../../platform/graphql/selected-fields.js';
import type { CourseResolvers } from '../generated/resolvers-types.js';

/** Course is academy's; meet adds fields. Access comes from `viewerRole`, which the gateway fetched for this caller. */
export const Course: CourseResolvers = {
  __resolveReference: (reference) => reference,
  liveClasses: (course, { status, from, to }, { liveClasses }, info) => liveClasses.ofCourse(course, { status, from, to }, selectedFields(info)),
  recordings: (course, _args, { recordings }) => recordings.ofCourse(course),
  liveClassesConnection: (course, { status, from, to, first, after }, { liveClasses }) => liveClasses.pageOfCourse(course, { status, from, to }, { first, after }),
  recordingsConnection: (course, { first, after }, { recordings }) => recordings.pageOfCourse(course, { first, after }),
  attendanceReport: (course, _args, { attendance }) => attendance.courseReport(course.id),
};
