import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  course: (_root, { id }, { courses }) => courses.getCourse(id),
  courses: (_root, _args, { courses }) => courses.listCourses(),
  myCourses: (_root, _args, { courses }) => courses.myCourses(),
  me: (_root, _args, { users }) => users.me(),
};
