/** Moodle courses, always within one company's course categories. */
import type { Selectable } from 'kysely';
import type { MdlCourse } from '../database.js';
import type { CourseModel } from '../models.js';
import { fromUnixSeconds, type AcademyDb } from './academy-db.js';
import { activeEnrolmentsOf } from './enrolment-repository.js';

function toCourse(row: Selectable<MdlCourse>): CourseModel {
  return {
    id: row.id,
    categoryId: row.category,
    shortname: row.shortname,
    fullname: row.fullname,
    summary: row.summary,
    startDate: fromUnixSeconds(row.startdate),
    endDate: fromUnixSeconds(row.enddate),
    visible: Number(row.visible) === 1,
  };
}

export class CourseRepository {
  constructor(private readonly db: AcademyDb) {}

  private companyCourses(companyId: string) {
    return this.db.moodle
      .selectFrom('mdl_course as c')
      .innerJoin('academy.company_course_categories as ccc', (join) => join.onRef('ccc.category_id', '=', 'c.category').on('ccc.company_id', '=', companyId))
      .selectAll('c');
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<CourseModel[]> {
    const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
    if (numeric.length === 0) return [];
    const rows = await this.companyCourses(companyId).where('c.id', 'in', numeric).execute();
    return rows.map(toCourse);
  }

  /** All of a company's courses (admins), or its visible ones plus those the user is enrolled in. */
  async listForCompany(companyId: string, options: { includeHidden: boolean; userId?: string }): Promise<CourseModel[]> {
    let query = this.companyCourses(companyId);
    if (!options.includeHidden) {
      const userId = options.userId;
      query = query.where((eb) =>
        userId ? eb.or([eb('c.visible', '=', 1), eb('c.id', 'in', activeEnrolmentsOf(this.db, userId).select('e.courseid'))]) : eb('c.visible', '=', 1),
      );
    }
    const rows = await query.orderBy('c.sortorder').orderBy('c.id').execute();
    return rows.map(toCourse);
  }

  async listEnrolled(companyId: string, userId: string): Promise<CourseModel[]> {
    const rows = await this.companyCourses(companyId)
      .where('c.id', 'in', activeEnrolmentsOf(this.db, userId).select('e.courseid'))
      .orderBy('c.sortorder')
      .orderBy('c.id')
      .execute();
    return rows.map(toCourse);
  }
}
