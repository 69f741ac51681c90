/**
 * Enrolments and course roles, the Moodle way: a user takes part in a course
 * through an active enrolment (enabled instance, active user enrolment,
 * inside its time window) and has a role through a role assignment in the
 * course's context (contextlevel 50).
 */
import { sql } from 'kysely';
import { MOODLE } from '../database.js';
import type { CourseRoleName, UserModel } from '../models.js';
import { preparedQuery } from '../../../platform/database/prepared-query.js';
import { unixNow, type AcademyDb } from './academy-db.js';

/**
 * Active enrolments of one user at `now` (unix seconds): `e.courseid` is selectable.
 * A suspended or deleted account has none: Moodle refuses it at login.
 */
function activeEnrolmentsOf(db: AcademyDb, userId: string, now: string) {
  return db.moodle
    .selectFrom('mdl_user_enrolments as ue')
    .innerJoin('mdl_enrol as e', 'e.id', 'ue.enrolid')
    .innerJoin('mdl_user as eu', 'eu.id', 'ue.userid')
    .where('ue.userid', '=', userId)
    .where('eu.deleted', '=', 0)
    .where('eu.suspended', '=', 0)
    .where('ue.status', '=', MOODLE.ENROL_USER_ACTIVE)
    .where('e.status', '=', MOODLE.ENROL_INSTANCE_ENABLED)
    .where('ue.timestart', '<=', now)
    .where((eb) => eb.or([eb('ue.timeend', '=', '0'), eb('ue.timeend', '>', now)]));
}

/**
 * The active enrolments whose course the user may enter: a visible course, or
 * a hidden one where they hold a teacher role (Moodle gives
 * moodle/course:viewhiddencourses to teachers, not to students).
 */
export function enterableEnrolmentsOf(db: AcademyDb, userId: string, now: string) {
  return activeEnrolmentsOf(db, userId, now)
    .innerJoin('mdl_course as ec', 'ec.id', 'e.courseid')
    .where((eb) =>
      eb.or([
        eb('ec.visible', '=', 1),
        eb.exists(
          eb
            .selectFrom('mdl_context as tctx')
            .innerJoin('mdl_role_assignments as tra', 'tra.contextid', 'tctx.id')
            .innerJoin('mdl_role as tr', 'tr.id', 'tra.roleid')
            .whereRef('tctx.instanceid', '=', 'e.courseid')
            .where('tctx.contextlevel', '=', MOODLE.CONTEXT_COURSE)
            .where('tra.userid', '=', userId)
            .where('tr.shortname', 'in', [...MOODLE.TEACHER_ROLES])
            .select('tra.id'),
        ),
      ]),
    );
}

export interface CourseParticipant extends UserModel {
  courseId: string;
  role: CourseRoleName;
}

const roleCase = sql<CourseRoleName>`CASE WHEN bool_or(r.shortname IN ('editingteacher', 'teacher')) THEN 'TEACHER' ELSE 'STUDENT' END`;

/**
 * The role one user holds in each course they may enter (teacher wins over student), as `courseId` and `role`, in
 * `courseIds` or, without them, in any course: rolesOfUser's rows, and the roles a course list written by PostgreSQL
 * joins (course-repository.ts, by course).
 */
export function rolesOfUserQuery(db: AcademyDb, userId: string, now: string, courseIds?: readonly string[]) {
  let roles = db.moodle
    .selectFrom('mdl_context as ctx')
    .innerJoin('mdl_role_assignments as ra', (join) => join.onRef('ra.contextid', '=', 'ctx.id').on('ra.userid', '=', userId))
    .innerJoin('mdl_role as r', 'r.id', 'ra.roleid')
    .where('ctx.contextlevel', '=', MOODLE.CONTEXT_COURSE);
  if (courseIds) roles = roles.where('ctx.instanceid', '=', sql<string>`any(${courseIds})`);
  return roles
    .where('ctx.instanceid', 'in', enterableEnrolmentsOf(db, userId, now).select('e.courseid'))
    .where('r.shortname', 'in', [...MOODLE.TEACHER_ROLES, ...MOODLE.STUDENT_ROLES])
    .groupBy('ctx.instanceid')
    .select(['ctx.instanceid as courseId', roleCase.as('role')]);
}

/**
 * The participants of courses holding a teacher or student role, one row per course and user with the role they hold
 * there (teacher wins over student), in name order (the id breaking ties, so that rows and a list written by
 * PostgreSQL agree): the participants' rows, and the teachers a course page's statement writes (course-page.ts).
 */
export function participantsQuery(db: AcademyDb, now: string, courseIds: readonly string[]) {
  return db.moodle
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
    .where('ctx.instanceid', '=', sql<string>`any(${courseIds})`)
    .where('r.shortname', 'in', [...MOODLE.TEACHER_ROLES, ...MOODLE.STUDENT_ROLES])
    .where('u.deleted', '=', 0)
    .where('u.suspended', '=', 0)
    .groupBy(['ctx.instanceid', 'u.id', 'u.username', 'u.firstname', 'u.lastname', 'u.email'])
    .select(['ctx.instanceid as courseId', 'u.id', 'u.username', 'u.firstname', 'u.lastname', 'u.email', roleCase.as('role')])
    .orderBy('u.lastname')
    .orderBy('u.firstname')
    .orderBy('u.id');
}

interface ParticipantsParams {
  courseIds: readonly string[];
  now: string;
}

interface RolesParams {
  userId: string;
  courseIds: readonly string[];
  now: string;
}

export class EnrolmentRepository {
  private readonly participants;
  private readonly roles;

  constructor(db: AcademyDb) {
    // Both run on every course page and list: built once, run as prepared statements.
    this.participants = preparedQuery(db.moodle, 'academy_course_participants', (p: ParticipantsParams) => participantsQuery(db, p.now, p.courseIds));
    this.roles = preparedQuery(db.moodle, 'academy_roles_of_user', (p: RolesParams) => rolesOfUserQuery(db, p.userId, p.now, p.courseIds));
  }

  /** One query for many courses: the participants holding a teacher or student role. */
  async participantsOfCourses(courseIds: readonly string[]): Promise<CourseParticipant[]> {
    if (courseIds.length === 0) return [];
    return this.participants({ courseIds, now: String(unixNow()) });
  }

  /** The roles one user holds in many courses (teacher wins over student). */
  async rolesOfUser(userId: string, courseIds: readonly string[]): Promise<{ courseId: string; role: CourseRoleName }[]> {
    if (courseIds.length === 0) return [];
    return this.roles({ userId, courseIds, now: String(unixNow()) });
  }
}
