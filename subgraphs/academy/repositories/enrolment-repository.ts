/**
 * Enrolments and course roles, the Moodle way: a user takes part in a course
 * through an active enrolment (enabled instance, active user enrolment,
 * inside its time window) and has a role through a role assignment in the
 * course's context (contextlevel 50).
 */
import { sql } from 'kysely';
import { MOODLE } from '../database.js';
import type { CourseRoleName, UserModel } from '../models.js';
import { unixNow, type AcademyDb } from './academy-db.js';

/** Active enrolments of one user: `e.courseid` is selectable. */
export function activeEnrolmentsOf(db: AcademyDb, userId: string) {
  const now = unixNow();
  return db.moodle
    .selectFrom('mdl_user_enrolments as ue')
    .innerJoin('mdl_enrol as e', 'e.id', 'ue.enrolid')
    .where('ue.userid', '=', userId)
    .where('ue.status', '=', MOODLE.ENROL_USER_ACTIVE)
    .where('e.status', '=', MOODLE.ENROL_INSTANCE_ENABLED)
    .where('ue.timestart', '<=', String(now))
    .where((eb) => eb.or([eb('ue.timeend', '=', '0'), eb('ue.timeend', '>', String(now))]));
}

export interface CourseParticipant extends UserModel {
  courseId: string;
  role: CourseRoleName;
}

const roleCase = sql<CourseRoleName>`CASE WHEN bool_or(r.shortname IN ('editingteacher', 'teacher')) THEN 'TEACHER' ELSE 'STUDENT' END`;

export class EnrolmentRepository {
  constructor(private readonly db: AcademyDb) {}

  /** One query for many courses: the participants holding a teacher or student role. */
  async participantsOfCourses(courseIds: readonly string[]): Promise<CourseParticipant[]> {
    if (courseIds.length === 0) return [];
    const now = String(unixNow());
    return this.db.moodle
      .selectFrom('mdl_context as ctx')
      .innerJoin('mdl_role_assignments as ra', 'ra.contextid', 'ctx.id')
      .innerJoin('mdl_role as r', 'r.id', 'ra.roleid')
      .innerJoin('mdl_user as u', 'u.id', 'ra.userid')
      .innerJoin('mdl_enrol as e', (join) => join.onRef('e.courseid', '=', 'ctx.instanceid').on('e.status', '=', MOODLE.ENROL_INSTANCE_ENABLED))
      .innerJoin('mdl_user_enrolments as ue', (join) =>
        join
          .onRef('ue.enrolid', '=', 'e.id')
          .onRef('ue.userid', '=', 'u.id')
          .on('ue.status', '=', MOODLE.ENROL_USER_ACTIVE)
          .on('ue.timestart', '<=', now)
          .on((eb) => eb.or([eb('ue.timeend', '=', '0'), eb('ue.timeend', '>', now)])),
      )
      .where('ctx.contextlevel', '=', MOODLE.CONTEXT_COURSE)
      .where('ctx.instanceid', 'in', courseIds)
      .where('r.shortname', 'in', [...MOODLE.TEACHER_ROLES, ...MOODLE.STUDENT_ROLES])
      .where('u.deleted', '=', 0)
      .where('u.suspended', '=', 0)
      .groupBy(['ctx.instanceid', 'u.id', 'u.username', 'u.firstname', 'u.lastname', 'u.email'])
      .select(['ctx.instanceid as courseId', 'u.id', 'u.username', 'u.firstname', 'u.lastname', 'u.email', roleCase.as('role')])
      .orderBy('u.lastname')
      .orderBy('u.firstname')
      .execute();
  }

  /** The roles one user holds in many courses (teacher wins over student). */
  async rolesOfUser(userId: string, courseIds: readonly string[]): Promise<{ courseId: string; role: CourseRoleName }[]> {
    if (courseIds.length === 0) return [];
    return this.db.moodle
      .selectFrom('mdl_context as ctx')
      .innerJoin('mdl_role_assignments as ra', (join) => join.onRef('ra.contextid', '=', 'ctx.id').on('ra.userid', '=', userId))
      .innerJoin('mdl_role as r', 'r.id', 'ra.roleid')
      .where('ctx.contextlevel', '=', MOODLE.CONTEXT_COURSE)
      .where('ctx.instanceid', 'in', courseIds)
      .where('ctx.instanceid', 'in', activeEnrolmentsOf(this.db, userId).select('e.courseid'))
      .where('r.shortname', 'in', [...MOODLE.TEACHER_ROLES, ...MOODLE.STUDENT_ROLES])
      .groupBy('ctx.instanceid')
      .select(['ctx.instanceid as courseId', roleCase.as('role')])
      .execute();
  }
}
