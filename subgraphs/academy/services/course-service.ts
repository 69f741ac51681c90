/**
 * Who may see which course, and what of it. Per request: the loaders here
 * batch every lookup of one kind into one SQL statement.
 */
import DataLoader from 'dataloader';
import { forbidden } from '../../../platform/errors.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import type { CourseModel, CourseRoleName } from '../models.js';
import type { PlainField } from '../../../platform/graphql/plain-selection.js';
import { RawJson } from '../../../platform/subgraph/raw-json.js';
import type { JsonListShape } from '../../../platform/database/json-list-text.js';
import { courseJsonShape } from '../repositories/course-json.js';
import { teacherJsonShape } from '../repositories/teacher-json.js';
import { CourseRepository, type ListForm } from '../repositories/course-repository.js';
import type { CourseParticipant, EnrolmentRepository } from '../repositories/enrolment-repository.js';

/** What a course page's selection asks of the course (Query.course's resolver reads it ahead). */
export interface CoursePageAsk {
  /** The teachers' selection when plain (written as JSON text), else null. */
  teachers: readonly PlainField[] | null;
}

export class CourseService {
  private readonly courseById: DataLoader<string, CourseModel | null>;
  private readonly participantsByCourse: DataLoader<string, CourseParticipant[]>;
  private readonly viewerRoleByCourse: DataLoader<string, CourseRoleName | null>;
  /** Teachers' lists a course page's statement wrote (coursePage), by course, with the selection they were written for. */
  private readonly teachersJson = new Map<string, { shape: JsonListShape; json: string }>();

  constructor(
    private readonly viewer: Viewer,
    private readonly courses: CourseRepository,
    enrolments: EnrolmentRepository,
  ) {
    this.courseById = rowLoader(
      (ids) => courses.findByIds(viewer.companyId, ids),
      (course) => course.id,
    );
    this.participantsByCourse = groupLoader(
      (ids) => enrolments.participantsOfCourses(ids),
      (row) => row.courseId,
    );
    const userId = viewer.moodleUserId;
    this.viewerRoleByCourse = new DataLoader(async (ids) => {
      if (!userId) return ids.map(() => null);
      const roles = new Map((await enrolments.rolesOfUser(userId, ids)).map((row) => [row.courseId, row.role]));
      return ids.map((id) => roles.get(id) ?? null);
    });
  }

  /**
   * A course of the caller's company: hidden ones only for admins and the course's own participants. `page`: the
   * course's selection, given when the request may be answered raw JSON and the selection asks its teachers or the
   * caller's role (a course page): the course, the role and the teachers' text come in one statement (coursePage).
   */
  async getCourse(id: string, page?: CoursePageAsk | null): Promise<CourseModel | null> {
    if (page) return this.coursePage(id, page);
    const course = await this.courseById.load(id);
    if (!course) return null;
    if (course.visible || isAdmin(this.viewer)) return course;
    return (await this.viewerRole(course)) ? course : null;
  }

  /**
   * getCourse's answer from one statement (CourseRepository.pageOf), its course, role and teachers' text kept for the
   * loaders and `teachers` to answer: the course loader and the role loader primed with what the statement read
   * (as rowLoader and the role loader would have read them), the teachers' text by course and selection.
   */
  private async coursePage(id: string, page: CoursePageAsk): Promise<CourseModel | null> {
    const shape = page.teachers ? teacherJsonShape(page.teachers) : null;
    const userId = this.viewer.moodleUserId;
    const found = await this.courses.pageOf(this.viewer.companyId, id, userId, shape);
    this.courseById.prime(id, found?.course ?? null);
    if (!found) return null;
    const { course, viewerRole } = found;
    this.viewerRoleByCourse.prime(course.id, viewerRole);
    if (shape && found.teachersJson !== null) this.teachersJson.set(course.id, { shape, json: found.teachersJson });
    if (course.visible || isAdmin(this.viewer)) return course;
    return viewerRole ? course : null;
  }

  /**
   * `plain`: the selection, given when the request may be answered raw JSON (raw-json.ts): when PostgreSQL can write
   * it (courseJsonShape), the same courses come as the list's JSON text, viewerRole included, no rows built (nor the
   * course loader primed with them: priming needs the models this path does not build, and only a fetch asking
   * `course(id:)` beside the list reads that course again); a list a row of which it cannot write is read as rows.
   */
  async listCourses(plain?: readonly PlainField[] | null): Promise<CourseModel[] | RawJson> {
    const options = { includeHidden: isAdmin(this.viewer), userId: this.viewer.moodleUserId };
    const json = plain ? await this.listJson(CourseRepository.companyListForm(options), plain) : null;
    if (json) return json;
    const courses = await this.courses.listForCompany(this.viewer.companyId, options);
    for (const course of courses) this.courseById.prime(course.id, course);
    return courses;
  }

  /** As listCourses, the caller's own courses. */
  async myCourses(plain?: readonly PlainField[] | null): Promise<CourseModel[] | RawJson> {
    if (!this.viewer.moodleUserId) return [];
    const json = plain ? await this.listJson('enrolled', plain) : null;
    if (json) return json;
    const courses = await this.courses.listEnrolled(this.viewer.companyId, this.viewer.moodleUserId);
    for (const course of courses) this.courseById.prime(course.id, course);
    return courses;
  }

  /** The list of `form` as its JSON text, or null to read it as rows (a field or a row PostgreSQL cannot write). */
  private async listJson(form: ListForm, plain: readonly PlainField[]): Promise<RawJson | [] | null> {
    const userId = this.viewer.moodleUserId;
    const shape = courseJsonShape(plain, Boolean(userId));
    if (!shape) return null;
    const list = await this.courses.listJson(form, this.viewer.companyId, userId, shape);
    if (list.count === 0) return [];
    return list.json === null ? null : new RawJson(list.json);
  }

  viewerRole(course: CourseModel): Promise<CourseRoleName | null> {
    return this.viewerRoleByCourse.load(course.id);
  }

  /** `plain`: as listCourses'; the teachers' text a course page's statement wrote for this selection, if it did. */
  async teachers(course: CourseModel, plain?: readonly PlainField[] | null): Promise<CourseParticipant[] | RawJson> {
    const written = plain ? this.teachersJson.get(course.id) : undefined;
    if (written && written.shape === teacherJsonShape(plain!)) return new RawJson(written.json);
    return (await this.participantsByCourse.load(course.id)).filter((row) => row.role === 'TEACHER');
  }

  /** Students are the course's teachers' and the company admins' business only. */
  async students(course: CourseModel): Promise<CourseParticipant[]> {
    if (!isAdmin(this.viewer) && (await this.viewerRole(course)) !== 'TEACHER') {
      throw forbidden('Only the course\u2019s teachers and company admins may list its students');
    }
    return (await this.participantsByCourse.load(course.id)).filter((row) => row.role === 'STUDENT');
  }
}
