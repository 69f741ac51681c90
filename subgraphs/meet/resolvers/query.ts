import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  liveClass: (_root, { id }, { liveClasses }) => liveClasses.getLiveClass(id),
  liveClasses: (_root, { courseId, status, from, to }, { liveClasses }) => liveClasses.list(courseId, { status, from, to }),
  liveClassesConnection: (_root, { courseId, status, from, to, first, after }, { liveClasses }) => liveClasses.listPage(courseId, { status, from, to }, { first, after }),
};
