import { DateTimeScalar } from '../../../platform/graphql/scalars.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { Course } from './course.js';
import { Document } from './document.js';
import { DocumentActivity } from './document-activity.js';
import { DocumentUpload } from './document-upload.js';
import { Employee } from './employee.js';
import { Invoice } from './invoice.js';
import { Mutation } from './mutation.js';
import { Project } from './project.js';
import { Query } from './query.js';
import { Quote } from './quote.js';
import { SearchSnippet } from './search-snippet.js';
import { ShareLink } from './share-link.js';
import { Task } from './task.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Document,
  DocumentActivity,
  DocumentUpload,
  SearchSnippet,
  ShareLink,
  Task,
  Project,
  Quote,
  Invoice,
  Employee,
  Course,
};
