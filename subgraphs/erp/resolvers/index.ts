import { DateTimeScalar } from '../../../platform/graphql/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Company } from './company.js';
import { Course } from './course.js';
import { Employee } from './employee.js';
import { Invoice } from './invoice.js';
import { LeaveRequest } from './leave-request.js';
import { Milestone } from './milestone.js';
import { Mutation } from './mutation.js';
import { Project } from './project.js';
import { Query } from './query.js';
import { Quote } from './quote.js';
import { SalesMeeting } from './sales-meeting.js';
import { Subscription } from './subscription.js';
import { Task } from './task.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Subscription,
  Company,
  Course,
  Project,
  Task,
  Milestone,
  SalesMeeting,
  LeaveRequest,
  Quote,
  Invoice,
  Employee,
};
