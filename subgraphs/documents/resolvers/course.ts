import { selectedFields } from '../../../platform/graphql/selected-fields.js';
import type { CourseResolvers } from '../generated/resolvers-types.js';

export const Course: CourseResolvers = {
  // The representation carries `viewerRole` (our @requires), fetched from academy for this caller.
  __resolveReference: (reference) => reference,
  documents: (course, _args, { documents }, info) => documents.documentsOfCourse(course, selectedFields(info)),
};
