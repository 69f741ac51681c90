/** Moodle courses, always within one company's course categories. */
import { sql, type Selectable } from 'kysely';
import { preparedQuery } from '../../../platform/database/prepared-query.js';
import type { MdlCourse } from '../database.js';
import type { CourseModel } from '../models.js';
import { fromUnixSeconds, unixNow, type AcademyDb } from './academy-db.js';
import { enterableEnrolmentsOf } from './enrolment-repository.js';

/** The columns a course model is made of: Moodle's mdl_course has many more (and summaries of any length), none of them read. */
const COURSE_COLUMNS = ['c.id', 'c.category', 'c.shortname', 'c.fullname', 'c.summary', 'c.startdate', 'c.enddate', 'c.visible'] as const;
type CourseRow = Pick<Selectable<MdlCourse>, 'id' | 'category' | 'shortname' | 'fullname' | 'summary' | 'startdate' | 'enddate' | 'visible'>;

function toCourse(row: CourseRow): CourseModel {
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

const isMoodleId = (id: string) => /^\d{1,18}$/.test(id);

interface CompanyParams {
  companyId: string;
}
interface UserParams extends CompanyParams {
  userId: string;
  now: string;
}

export class CourseRepository {
  private readonly byIds;
  private readonly all;
  private readonly visible;
  private readonly visibleOrEnrolled;
  private readonly enrolled;

  constructor(private readonly db: AcademyDb) {
    // Hot reads (every course page and list), each built once and run as a prepared statement.
    this.byIds = preparedQuery(db.moodle, 'academy_courses_by_ids', (p: CompanyParams & { ids: readonly string[] }) =>
      this.companyCourses(p.companyId).where('c.id', '=', sql<string>`any(${p.ids})`),
    );
    this.all = preparedQuery(db.moodle, 'academy_courses_all', (p: CompanyParams) => this.companyCourses(p.companyId).orderBy('c.sortorder').orderBy('c.id'));
    this.visible = preparedQuery(db.moodle, 'academy_courses_visible', (p: CompanyParams) =>
      this.companyCourses(p.companyId).where('c.visible', '=', 1).orderBy('c.sortorder').orderBy('c.id'),
    );
    this.visibleOrEnrolled = preparedQuery(db.moodle, 'academy_courses_visible_or_enrolled', (p: UserParams) =>
      this.companyCourses(p.companyId)
        .where((eb) => eb.or([eb('c.visible', '=', 1), eb('c.id', 'in', enterableEnrolmentsOf(db, p.userId, p.now).select('e.courseid'))]))
        .orderBy('c.sortorder')
        .orderBy('c.id'),
    );
    this.enrolled = preparedQuery(db.moodle, 'academy_courses_enrolled', (p: UserParams) =>
      this.companyCourses(p.companyId)
        .where('c.id', 'in', enterableEnrolmentsOf(db, p.userId, p.now).select('e.courseid'))
        .orderBy('c.sortorder')
        .orderBy('c.id'),
    );
  }

  private companyCourses(companyId: string) {
    return this.db.moodle
      .selectFrom('mdl_course as c')
      .innerJoin('academy.company_course_categories as ccc', (join) => join.onRef('ccc.category_id', '=', 'c.category').on('ccc.company_id', '=', companyId))
      .select(COURSE_COLUMNS);
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<CourseModel[]> {
    const numeric = ids.filter(isMoodleId);
    if (numeric.length === 0) return [];
    return (await this.byIds({ companyId, ids: numeric })).map(toCourse);
  }

  /** All of a company's courses (admins), or its visible ones plus those the user is enrolled in. */
  async listForCompany(companyId: string, options: { includeHidden: boolean; userId?: string }): Promise<CourseModel[]> {
    const { userId } = options;
    const rows = options.includeHidden
      ? await this.all({ companyId })
      : userId
        ? await this.visibleOrEnrolled({ companyId, userId, now: String(unixNow()) })
        : await this.visible({ companyId });
    return rows.map(toCourse);
  }

  async listEnrolled(companyId: string, userId: string): Promise<CourseModel[]> {
    return (await this.enrolled({ companyId, userId, now: String(unixNow()) })).map(toCourse);
  }
}
