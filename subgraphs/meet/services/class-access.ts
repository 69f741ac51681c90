/**
 * Who may do what with a course's live classes: company admins everything,
 * the course's teachers teach, its students take part, others nothing.
 * Roles come from academy through CourseAccess, one batched call per request
 * (none for admins).
 */
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import type { CourseAccess } from '../../../platform/federation/course-access.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import type { CourseRoleName } from '../models.js';

export class ClassAccess {
  /** Per request: a course's teachers, asked once. */
  private readonly teachers = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly viewer: Viewer,
    private readonly courses: CourseAccess,
  ) {}

  get isAdmin(): boolean {
    return isAdmin(this.viewer);
  }

  /** The caller's role in the course, null if not enrolled (or the course is not visible to them). */
  async roleIn(courseId: string): Promise<CourseRoleName | null> {
    return (await this.courses.course(courseId))?.viewerRole ?? null;
  }

  async mayRead(courseId: string): Promise<boolean> {
    return this.isAdmin || (await this.roleIn(courseId)) !== null;
  }

  async mayTeach(courseId: string): Promise<boolean> {
    return this.isAdmin || (await this.roleIn(courseId)) === 'TEACHER';
  }

  async requireTeacher(courseId: string): Promise<void> {
    await this.courses.requireTeacher(courseId);
  }

  async requireParticipant(courseId: string): Promise<void> {
    await this.courses.requireParticipant(courseId);
  }

  /** Moodle's teachers of the course (user ids); needs a caller who may list its participants (teacher or admin). */
  async teachersOf(courseId: string): Promise<ReadonlySet<string>> {
    let teachers = this.teachers.get(courseId);
    if (!teachers) {
      teachers = this.courses.participants(courseId).then((course) => new Set(course?.teachers.map((teacher) => teacher.id)));
      this.teachers.set(courseId, teachers);
    }
    return teachers;
  }

  /** For a class already found in the caller's company: NOT_FOUND unless readable, FORBIDDEN unless a teacher. */
  async requireTeacherOfClass(liveClass: { id: string; courseId: string }): Promise<void> {
    if (this.isAdmin) return;
    const role = await this.roleIn(liveClass.courseId);
    if (!role) throw notFound('LiveClass', liveClass.id);
    if (role !== 'TEACHER') throw forbidden('Only the course\u2019s teachers and company admins may do this');
  }
}
