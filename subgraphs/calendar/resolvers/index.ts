import { DateTimeScalar, JSONScalar } from '../../../platform/graphql/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { CalDAVAccount, CalendarSyncConflict } from './caldav-account.js';
import { CalendarEvent } from './calendar-event.js';
import { Course } from './course.js';
import { EventOccurrence } from './event-occurrence.js';
import { EventParticipant } from './event-participant.js';
import { LiveClass } from './live-class.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Subscription } from './subscription.js';
import { Task } from './task.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query,
  Mutation,
  Subscription,
  CalendarEvent,
  EventOccurrence,
  EventParticipant,
  Task,
  LiveClass,
  Course,
  CalDAVAccount,
  CalendarSyncConflict,
};
