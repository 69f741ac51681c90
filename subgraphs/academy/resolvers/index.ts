import { DateTimeScalar } from '../../../platform/graphql/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Course } from './course.js';
import { Query } from './query.js';
import { User } from './user.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Course, User };
