import { plainSelection } from '../../../platform/graphql/plain-selection.js';
import { selectedFields } from '../../../platform/graphql/selected-fields.js';
import { mayAnswerRawJson } from '../../../platform/subgraph/raw-json.js';
import type { CourseResolvers } from '../generated/resolvers-types.js';
import type { LiveClassModel } from '../models.js';

/** Course is academy's; meet adds fields. Access comes from `viewerRole`, which the gateway fetched for this caller. */
export const Course: CourseResolvers = {
  __resolveReference: (reference) => reference,
  // Answered as PostgreSQL's JSON text when the fast path passes it on and the selection is plain columns: a RawJson
  // then stands for the list (raw-json.ts), which the generated types cannot say.
  liveClasses: (course, { status, from, to }, context, info) =>
    context.liveClasses.ofCourse(course, { status, from, to }, selectedFields(info), mayAnswerRawJson(context) ? plainSelection(info) : null) as Promise<LiveClassModel[]>,
  recordings: (course, _args, { recordings }) => recordings.ofCourse(course),
  liveClassesConnection: (course, { status, from, to, first, after }, { liveClasses }) => liveClasses.pageOfCourse(course, { status, from, to }, { first, after }),
  recordingsConnection: (course, { first, after }, { recordings }) => recordings.pageOfCourse(course, { first, after }),
  attendanceReport: (course, _args, { attendance }) => attendance.courseReport(course.id),
};
