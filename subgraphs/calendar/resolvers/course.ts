import { selectedFields } from '../../../platform/graphql/selected-fields.js';
import type { CourseResolvers } from '../generated/resolvers-types.js';

/** Course is academy's; `viewerRole` arrives with the representation through `@requires`. */
export const Course: CourseResolvers = {
  __resolveReference: (reference) => reference,
  calendarEvents: (course, { from, to }, { events }, info) => events.eventsOfCourse(course, from, to, selectedFields(info)),
};
