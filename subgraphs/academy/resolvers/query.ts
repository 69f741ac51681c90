import { plainSelection } from '../../../platform/graphql/plain-selection.js';
import { mayAnswerRawJson } from '../../../platform/subgraph/raw-json.js';
import type { QueryResolvers } from '../generated/resolvers-types.js';
import type { CourseModel } from '../models.js';

export const Query: QueryResolvers = {
  course: (_root, { id }, { courses }) => courses.getCourse(id),
  // Answered as PostgreSQL's JSON text when the fast path passes it on and the selection is plain fields: a RawJson
  // then stands for the list (raw-json.ts), which the generated types cannot say.
  courses: (_root, _args, context, info) => context.courses.listCourses(mayAnswerRawJson(context) ? plainSelection(info) : null) as Promise<CourseModel[]>,
  myCourses: (_root, _args, context, info) => context.courses.myCourses(mayAnswerRawJson(context) ? plainSelection(info) : null) as Promise<CourseModel[]>,
  me: (_root, _args, { users }) => users.me(),
};
