import { plainSelection } from '../../../platform/graphql/plain-selection.js';
import { mayAnswerRawJson } from '../../../platform/subgraph/raw-json.js';
import type { CourseResolvers } from '../generated/resolvers-types.js';
import type { CourseParticipant } from '../repositories/enrolment-repository.js';

export const Course: CourseResolvers = {
  __resolveReference: (reference, { courses }) => courses.getCourse(reference.id),
  // The teachers' JSON text when a course page's statement wrote it for this selection (CourseService.getCourse).
  teachers: (course, _args, context, info) => context.courses.teachers(course, mayAnswerRawJson(context) ? plainSelection(info) : null) as Promise<CourseParticipant[]>,
  students: (course, _args, { courses }) => courses.students(course),
  viewerRole: (course, _args, { courses }) => courses.viewerRole(course),
};
