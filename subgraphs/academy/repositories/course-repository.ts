/** Moodle courses, always within one company's course categories. */
import { sql, type Selectable } from 'kysely';
import { preparedQuery, type PreparedQuery } from '../../../platform/database/prepared-query.js';
import type { JsonListShape } from '../../../platform/database/json-list-text.js';
import type { MdlCourse } from '../database.js';
import type { CourseModel } from '../models.js';
import { fromUnixSeconds, unixNow, type AcademyDb } from './academy-db.js';
import { VIEWER_ROLES, type CourseJsonShape } from './course-json.js';
import { withPageColumns, type CoursePageColumns, type CoursePageParams } from './course-page.js';
import { enterableEnrolmentsOf, rolesOfUserQuery } from './enrolment-repository.js';

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

/** Which courses a list holds (CourseRepository's list statements). */
export type ListForm = 'all' | 'visible' | 'visibleOrEnrolled' | 'enrolled';

/** A list of courses as its JSON text (listJson). */
export interface CourseListJson {
  count: number;
  json: string | null;
}

export class CourseRepository {
  private readonly byIds;
  private readonly all;
  private readonly visible;
  private readonly visibleOrEnrolled;
  private readonly enrolled;
  /** Course pages (course-page.ts), by whether they join the caller's roles and the teachers' shape. */
  private readonly pages = new Map<string, PreparedQuery<CoursePageParams, CourseRow & CoursePageColumns>>();
  /** Lists as JSON text, by form and shape. */
  private readonly jsonLists = new Map<string, PreparedQuery<UserParams, { count: string; json: string | null }>>();

  constructor(private readonly db: AcademyDb) {
    // Hot reads (every course page and list), each built once and run as a prepared statement.
    this.byIds = preparedQuery(db.moodle, 'academy_courses_by_ids', (p: CompanyParams & { ids: readonly string[] }) =>
      this.companyCourses(p.companyId).where('c.id', '=', sql<string>`any(${p.ids})`),
    );
    const list = (form: ListForm) => (p: UserParams) => this.listed(form, p).select(COURSE_COLUMNS).orderBy('c.sortorder').orderBy('c.id');
    this.all = preparedQuery(db.moodle, 'academy_courses_all', list('all'));
    this.visible = preparedQuery(db.moodle, 'academy_courses_visible', list('visible'));
    this.visibleOrEnrolled = preparedQuery(db.moodle, 'academy_courses_visible_or_enrolled', list('visibleOrEnrolled'));
    this.enrolled = preparedQuery(db.moodle, 'academy_courses_enrolled', list('enrolled'));
  }

  private companyCoursesFrom(companyId: string) {
    return this.db.moodle
      .selectFrom('mdl_course as c')
      .innerJoin('academy.company_course_categories as ccc', (join) => join.onRef('ccc.category_id', '=', 'c.category').on('ccc.company_id', '=', companyId));
  }

  private companyCourses(companyId: string) {
    return this.companyCoursesFrom(companyId).select(COURSE_COLUMNS);
  }

  /** The courses of a list, by its form: who sees which course, for rows and JSON text alike. */
  private listed(form: ListForm, p: UserParams) {
    const courses = this.companyCoursesFrom(p.companyId);
    switch (form) {
      case 'all':
        return courses;
      case 'visible':
        return courses.where('c.visible', '=', 1);
      case 'visibleOrEnrolled':
        return courses.where((eb) => eb.or([eb('c.visible', '=', 1), eb('c.id', 'in', enterableEnrolmentsOf(this.db, p.userId, p.now).select('e.courseid'))]));
      case 'enrolled':
        return courses.where('c.id', 'in', enterableEnrolmentsOf(this.db, p.userId, p.now).select('e.courseid'));
    }
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<CourseModel[]> {
    const numeric = ids.filter(isMoodleId);
    if (numeric.length === 0) return [];
    return (await this.byIds({ companyId, ids: numeric })).map(toCourse);
  }

  /**
   * A course of the company by id (as findByIds: the same row, none for an id that is not the row's own) with the
   * caller's role in it (when `userId` is given, else null) and its teachers' JSON text (when `teachers` is given,
   * else null): one statement (course-page.ts).
   */
  async pageOf(companyId: string, id: string, userId: string | undefined, teachers: JsonListShape | null): Promise<({ course: CourseModel } & CoursePageColumns) | null> {
    if (!isMoodleId(id)) return null;
    const name = `academy_course_page_${userId ? 'u' : 'n'}${teachers ? teachers.id : 'x'}`;
    let query = this.pages.get(name);
    if (!query) {
      query = preparedQuery(this.db.moodle, name, (p: CoursePageParams) =>
        withPageColumns(this.db, this.companyCourses(p.companyId).where('c.id', '=', sql<string>`any(${p.ids})`), p, Boolean(userId), teachers),
      );
      this.pages.set(name, query);
    }
    const [row] = await query({ companyId, ids: [id], userId: userId ?? '', now: String(unixNow()) });
    // findByIds' loader finds a course by its own id: "007" is no course there.
    if (!row || String(row.id) !== id) return null;
    return { course: toCourse(row), viewerRole: row.viewerRole, teachersJson: row.teachersJson };
  }

  /** All of a company's courses (admins), or its visible ones plus those the user is enrolled in. */
  async listForCompany(companyId: string, options: { includeHidden: boolean; userId?: string }): Promise<CourseModel[]> {
    const { userId } = options;
    const rows = options.includeHidden
      ? await this.all({ companyId } as UserParams)
      : userId
        ? await this.visibleOrEnrolled({ companyId, userId, now: String(unixNow()) })
        : await this.visible({ companyId } as UserParams);
    return rows.map(toCourse);
  }

  async listEnrolled(companyId: string, userId: string): Promise<CourseModel[]> {
    return (await this.enrolled({ companyId, userId, now: String(unixNow()) })).map(toCourse);
  }

  /** The form of listForCompany's statement for these options (listEnrolled's is 'enrolled'). */
  static companyListForm(options: { includeHidden: boolean; userId?: string }): ListForm {
    return options.includeHidden ? 'all' : options.userId ? 'visibleOrEnrolled' : 'visible';
  }

  /**
   * The courses of a list of `form` (listForCompany's or listEnrolled's) as the JSON text of `shape` (course-json.ts),
   * with their number: one statement, the caller's roles joined when the shape asks them. `json` is null when a row
   * must be read the usual way (and when there is none: `count` 0). The roles are not restricted to the listed
   * courses: they are roles in courses the caller may enter, all of which a list of any form holds when they are the
   * company's, so beyond the list are only other companies' courses (normally none); a restriction would cost every
   * list a probe per course or role to save that (bench/README-results.md, session 28).
   */
  async listJson(form: ListForm, companyId: string, userId: string | undefined, shape: CourseJsonShape): Promise<CourseListJson> {
    const name = `academy_courses_json_${form}_${shape.name}`;
    let query = this.jsonLists.get(name);
    if (!query) {
      query = preparedQuery(this.db.moodle, name, (p: UserParams) => {
        const courses = this.listed(form, p);
        const select = [sql<string>`count(*)`.as('count'), sql<string | null>`${sql.raw(shape.shape.listSql)}`.as('json')] as const;
        if (!shape.roles) return courses.select(select);
        return courses.leftJoin(rolesOfUserQuery(this.db, p.userId, p.now).as(VIEWER_ROLES), `${VIEWER_ROLES}.courseId`, 'c.id').select(select);
      });
      this.jsonLists.set(name, query);
    }
    const [row] = await query({ companyId, userId: userId ?? '', now: String(unixNow()) });
    return { count: Number(row!.count), json: row!.json };
  }
}
