import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { CourseService } from './services/course-service.js';
import type { UserService } from './services/user-service.js';

export interface AcademyContext extends BaseContext {
  courses: CourseService;
  users: UserService;
}
