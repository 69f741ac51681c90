import { plainSelection } from '../../../platform/graphql/plain-selection.js';
import { selectedFields } from '../../../platform/graphql/selected-fields.js';
import { mayAnswerRawJson } from '../../../platform/subgraph/raw-json.js';
import type { CourseResolvers } from '../generated/resolvers-types.js';
import type { ShownEvent } from '../models.js';

/** Course is academy's; `viewerRole` arrives with the representation through `@requires`. */
export const Course: CourseResolvers = {
  __resolveReference: (reference) => reference,
  // Answered as PostgreSQL's JSON text when the fast path passes it on and the selection is plain columns: a RawJson
  // then stands for the list (raw-json.ts), which the generated types cannot say.
  calendarEvents: (course, { from, to }, context, info) =>
    context.events.eventsOfCourse(course, from, to, selectedFields(info), mayAnswerRawJson(context) ? plainSelection(info) : null) as Promise<ShownEvent[]>,
};
