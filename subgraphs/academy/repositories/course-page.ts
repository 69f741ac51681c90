/**
 * A course page's course (Query.course with teachers and viewerRole, on the
 * fast path's graphql-jit requests) in one statement where it took three:
 * the course's row as findByIds reads it, the caller's role in it as
 * rolesOfUser reads it (rolesOfUserQuery for that one course), and its
 * teachers as their list's JSON text (teacher-json.ts) over the
 * participants' rows (participantsQuery, its TEACHER rows), each a scalar
 * subquery evaluated only for the course's row (none when it is not the
 * company's). CourseService decides who sees the course with that role, as
 * getCourse does, and answers teachers with the text when the selection
 * asks it.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { JsonListShape } from '../../../platform/database/json-list-text.js';
import type { AcademyDatabase } from '../database.js';
import type { CourseRoleName } from '../models.js';
import type { AcademyDb } from './academy-db.js';
import { participantsQuery, rolesOfUserQuery } from './enrolment-repository.js';
import { TEACHER_ROWS } from './teacher-json.js';

/** What a course page statement adds to the course's row. */
export interface CoursePageColumns {
  /** The caller's role (null: none, or the caller names no Moodle user). */
  viewerRole: CourseRoleName | null;
  /** The teachers' list as JSON text; null when a row must be read the usual way, or when not asked. */
  teachersJson: string | null;
}

export interface CoursePageParams {
  companyId: string;
  ids: readonly string[];
  userId: string;
  now: string;
}

/**
 * `courses` (the company's courses of `p.ids`, their columns selected) with the caller's role (when `roles`: a caller
 * with a Moodle user) and the teachers' text of `teachers` (when given).
 */
export function withPageColumns<DB extends AcademyDatabase, TB extends keyof DB, O>(
  db: AcademyDb,
  courses: SelectQueryBuilder<DB, TB, O>,
  p: CoursePageParams,
  roles: boolean,
  teachers: JsonListShape | null,
) {
  const role = roles ? sql<CourseRoleName | null>`(select vr.role from (${rolesOfUserQuery(db, p.userId, p.now, p.ids)}) as vr)` : sql<CourseRoleName | null>`null`;
  // An empty list is `[]`: string_agg of no rows is null, which says "read rows" otherwise.
  const teacherRows = participantsQuery(db, p.now, p.ids).clearOrderBy();
  const text = teachers
    ? sql<
        string | null
      >`(select case when count(*) = 0 then '[]' else ${sql.raw(teachers.listSql)} end from (${teacherRows}) as ${sql.raw(TEACHER_ROWS)} where ${sql.raw(TEACHER_ROWS)}.role = 'TEACHER')`
    : sql<string | null>`null`;
  return courses.select([role.as('viewerRole'), text.as('teachersJson')]);
}
