import { DateTimeScalar } from '../../../platform/graphql/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Attendance } from './attendance.js';
import { Course } from './course.js';
import { CourseAttendee } from './course-attendee.js';
import { LiveClass } from './live-class.js';
import { ModerationEntry, RaisedHand, RoomParticipant } from './moderation.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Recording } from './recording.js';
import { Subscription } from './subscription.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  LiveClass,
  Recording,
  Attendance,
  Course,
  CourseAttendee,
  Subscription,
  RaisedHand,
  RoomParticipant,
  ModerationEntry,
};
