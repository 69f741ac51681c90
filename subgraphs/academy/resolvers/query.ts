import type { GraphQLResolveInfo } from 'graphql';
import { childSelection, plainSelection } from '../../../platform/graphql/plain-selection.js';
import { mayAnswerRawJson } from '../../../platform/subgraph/raw-json.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import type { CourseModel } from '../models.js';
import type { CoursePageAsk } from '../services/course-service.js';

/** What a course's selection asks that a course page's statement reads: null when neither teachers nor viewerRole. */
function coursePageAsk(info: GraphQLResolveInfo): CoursePageAsk | null {
  const teachers = childSelection(info, 'teachers');
  if (!teachers.asked && !childSelection(info, 'viewerRole').asked) return null;
  return { teachers: teachers.plain };
}

export const Query: QueryResolvers = {
  // A course page (teachers or the caller's role asked) on the fast path: one statement (CourseService.coursePage).
  course: (_root, { id }, context, info) => context.courses.getCourse(id, mayAnswerRawJson(context) ? coursePageAsk(info) : null),
  // Answered as PostgreSQL's JSON text when the fast path passes it on and the selection is plain fields: a RawJson
  // then stands for the list (raw-json.ts), which the generated types cannot say.
  courses: (_root, _args, context, info) => context.courses.listCourses(mayAnswerRawJson(context) ? plainSelection(info) : null) as Promise<CourseModel[]>,
  myCourses: (_root, _args, context, info) => context.courses.myCourses(mayAnswerRawJson(context) ? plainSelection(info) : null) as Promise<CourseModel[]>,
  me: (_root, _args, { users }) => users.me(),
};
