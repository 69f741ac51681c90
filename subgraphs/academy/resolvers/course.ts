import type { CourseResolvers } from '../generated/resolvers-types.js';

export const Course: CourseResolvers = {
  __resolveReference: (reference, { courses }) => courses.getCourse(reference.id),
  teachers: (course, _args, { courses }) => courses.teachers(course),
  students: (course, _args, { courses }) => courses.students(course),
  viewerRole: (course, _args, { courses }) => courses.viewerRole(course),
};
