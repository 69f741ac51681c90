import type { CourseResolvers } from '../generated/resolvers-types.js';

/** Course is academy's; erp adds the tasks of projects linked to it. */
export const Course: CourseResolvers = {
  __resolveReference: (reference) => reference,
  tasks: (course, _args, { tasks }) => tasks.tasksOfCourse(course.id),
};
