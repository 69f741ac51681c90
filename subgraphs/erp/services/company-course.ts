/**
 * Academy courses a project may be linked to: one of the caller's company
 * that the caller can see, asked of academy as the caller (batched per
 * request), so a link never names another company's or an unknown course.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { PlatformConfig } from '../../../platform/config.js';
import { badInput } from '../../../platform/errors.js';
import { CourseAccess } from '../../../platform/federation/course-access.js';
import { userId } from './validate.js';

export class CompanyCourses {
  private readonly courses: CourseAccess;

  constructor(config: PlatformConfig, viewer: Viewer) {
    this.courses = new CourseAccess(config, viewer);
  }

  /** The course id, once academy confirmed it; BAD_USER_INPUT otherwise. */
  async require(courseId: string, field = 'courseId'): Promise<string> {
    // Moodle ids (courses' as users'): a malformed one never reaches academy.
    const id = userId(courseId, field);
    if (!(await this.courses.course(id))) throw badInput(`${field}: there is no course ${id} in your company that you can see`, field);
    return id;
  }
}
