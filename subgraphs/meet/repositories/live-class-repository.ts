/** Live classes; every read by a caller is filtered by company. */
import { sql, type Kysely, type Selectable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { LiveClassesTable, LiveClassStatus, MeetDatabase } from '../database.js';
import type { LiveClassFilter, LiveClassModel } from '../models.js';
import { later, micros, type KeyedRow, type PageWindow } from '../../../platform/database/keyset.js';
import { preparedQuery, type PreparedQuery } from '../../../platform/database/prepared-query.js';
import { epochMillis, type EpochMillis } from '../../../platform/database/epoch-millis.js';
import { moodleIdsOnly, uuidsOnly } from './ids.js';
import type { ClassJsonShape } from './live-class-json.js';

export function toLiveClass(row: Selectable<LiveClassesTable>): LiveClassModel {
  return {
    id: row.id,
    companyId: row.company_id,
    courseId: row.course_id,
    title: row.title,
    description: row.description,
    scheduledAt: row.scheduled_at,
    durationMinutes: row.duration_minutes,
    endsAt: new Date(row.scheduled_at.getTime() + row.duration_minutes * 60_000),
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    roomName: row.room_name,
    hostUserId: row.host_user_id,
    record: row.record,
    waitForModerator: row.wait_for_moderator,
    roomOpenedAt: row.room_opened_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The optional columns of a lean class row, each under its model's name: a
 * course's class list asking only for fields answered from these (and from
 * the id and the course, always read) reads just the columns those fields
 * need: the course list 4 of 17 (id, course, title, scheduledAt), the course
 * page 7, none of the five bookkeeping timestamps; rows are the models, not
 * copied. Any other field asked reads whole rows. `scheduledAt` is read as
 * milliseconds (epoch-millis.ts), which the DateTime scalar writes without a
 * Date: the only field lean rows answer from it is `scheduledAt` itself.
 */
const LEAN_CLASS_COLUMNS = ['title', epochMillis('scheduled_at').as('scheduledAt'), 'duration_minutes as durationMinutes', 'status', 'host_user_id as hostUserId'] as const;

/** A lean row: the model's fields read, `scheduledAt` as milliseconds since the epoch. */
type LeanLiveClass = Partial<Omit<LiveClassModel, 'scheduledAt'>> & Pick<LiveClassModel, 'id' | 'courseId'> & { scheduledAt?: EpochMillis };

/** Which LEAN_CLASS_COLUMNS (bits) each field answered from lean rows needs; recordings need the id and the course only. */
const LEAN_FIELD_COLUMNS: Readonly<Record<string, number>> = {
  __typename: 0,
  id: 0,
  course: 0,
  recordings: 0,
  title: 1,
  scheduledAt: 2,
  durationMinutes: 4,
  status: 8,
  host: 16,
};

/** The lean columns (bits of LEAN_CLASS_COLUMNS) answering every field of `fields`, or null when only whole rows do. */
export function leanClassColumns(fields: ReadonlySet<string>): number | null {
  // Every course of a fetch hands in the same set (selectedFields keeps one per field nodes).
  const known = leanColumnsOf.get(fields);
  if (known !== undefined) return known;
  let columns: number | null = 0;
  for (const field of fields) {
    const bits = LEAN_FIELD_COLUMNS[field];
    if (bits === undefined) {
      columns = null;
      break;
    }
    columns |= bits;
  }
  leanColumnsOf.set(fields, columns);
  return columns;
}
const leanColumnsOf = new WeakMap<ReadonlySet<string>, number | null>();

interface ListParams {
  companyId: string;
  courseIds: readonly string[];
  statuses: readonly LiveClassStatus[];
  from: Date;
  to: Date;
}

/** Which of status (1), `from` (2) and `to` (4) filter a list of classes. */
function filterForm(filter: LiveClassFilter): number {
  return (filter.status?.length ? 1 : 0) + (filter.from ? 2 : 0) + (filter.to ? 4 : 0);
}

function listParams(companyId: string, courseIds: readonly string[], filter: LiveClassFilter): ListParams {
  return { companyId, courseIds, statuses: filter.status?.length ? filter.status : [], from: filter.from!, to: filter.to! };
}

type WhereQuery = SelectQueryBuilder<MeetDatabase, 'live_classes', any>;

/** The classes of some courses of one company that a filter of `form` keeps: the rows both lists of courses read. */
function classesOfCourses<Query extends WhereQuery>(query: Query, p: ListParams, form: number): Query {
  let classes = query.where('company_id', '=', p.companyId).where('course_id', '=', sql<string>`any(${p.courseIds}::bigint[])`);
  if (form & 1) classes = classes.where('status', '=', sql<LiveClassStatus>`any(${p.statuses}::text[])`);
  // A class overlaps [from, to) when it starts before `to` and ends after `from`.
  if (form & 4) classes = classes.where('scheduled_at', '<', p.to);
  if (form & 2) classes = classes.where(sql<boolean>`scheduled_at + make_interval(mins => duration_minutes) > ${p.from}`);
  return classes as Query;
}

/** A course's classes as one JSON text (listJsonOfCourses). */
export interface CourseClassesJson {
  courseId: string;
  json: string | null;
}

export interface NewLiveClass {
  companyId: string;
  courseId: string;
  title: string;
  description: string | null;
  scheduledAt: Date;
  durationMinutes: number;
  roomName: string;
  hostUserId: string;
  record: boolean;
  waitForModerator: boolean;
  createdBy: string;
}

export class LiveClassRepository {
  /** Hot reads (entity fetches of every course list and page), built once on first use: repositories of transactions never run them. */
  private byIds?: PreparedQuery<{ companyId: string; ids: readonly string[] }, Selectable<LiveClassesTable>>;
  /** Classes of some courses, by which of status (1), `from` (2) and `to` (4) filter them and which lean columns are read. */
  private readonly ofCourses = new Map<string, PreparedQuery<ListParams, LeanLiveClass | Selectable<LiveClassesTable>>>();
  /** The same, as each course's JSON text (listJsonOfCourses), by form and shape. */
  private readonly jsonOfCourses = new Map<string, PreparedQuery<ListParams, CourseClassesJson>>();

  constructor(private readonly db: Kysely<MeetDatabase>) {}

  async findByIds(companyId: string, ids: readonly string[]): Promise<LiveClassModel[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return [];
    this.byIds ??= preparedQuery(this.db, 'meet_classes_by_ids', (p: { companyId: string; ids: readonly string[] }) =>
      this.db.selectFrom('live_classes').selectAll().where('company_id', '=', p.companyId).where('id', '=', sql<string>`any(${p.ids}::uuid[])`),
    );
    return (await this.byIds({ companyId, ids: valid })).map(toLiveClass);
  }

  /**
   * Classes of some courses of one company (Course.liveClasses of an entity fetch), by scheduled time, as one prepared
   * statement per form of the filter and set of columns. `leanColumns` (leanClassColumns): models holding the id, the
   * course and those columns only; null: whole models.
   */
  async listOfCourses(companyId: string, courseIds: readonly string[], filter: LiveClassFilter, leanColumns: number | null = null): Promise<LiveClassModel[]> {
    const valid = moodleIdsOnly(courseIds);
    if (valid.length === 0) return [];
    const form = filterForm(filter);
    const name = `meet_course_classes_${form}_${leanColumns ?? 'all'}`;
    let query = this.ofCourses.get(name);
    if (!query) {
      query = preparedQuery(this.db, name, (p: ListParams) => {
        const from = this.db.selectFrom('live_classes');
        const columns = LEAN_CLASS_COLUMNS.filter((_, bit) => (leanColumns ?? 0) & (1 << bit));
        // Lean rows lack the other columns: their models answer the fields leanClassColumns granted them for only.
        const classes = (leanColumns === null ? from.selectAll() : from.select(['id', 'course_id as courseId', ...columns])) as ReturnType<typeof from.selectAll>;
        return classesOfCourses(classes, p, form).orderBy('scheduled_at').orderBy('id');
      });
      this.ofCourses.set(name, query);
    }
    const rows = await query(listParams(companyId, valid, filter));
    if (leanColumns === null) return (rows as Selectable<LiveClassesTable>[]).map(toLiveClass);
    // Lean rows stand for models only for the fields leanClassColumns granted them (scheduledAt as milliseconds).
    return rows as unknown as LiveClassModel[];
  }

  /**
   * The same classes as listOfCourses, each course's list as the JSON text of `shape` (live-class-json.ts), one row
   * per course that has classes; `json` null for a course whose list that text cannot write.
   */
  async listJsonOfCourses(companyId: string, courseIds: readonly string[], filter: LiveClassFilter, shape: ClassJsonShape): Promise<CourseClassesJson[]> {
    const valid = moodleIdsOnly(courseIds);
    if (valid.length === 0) return [];
    const form = filterForm(filter);
    const name = `meet_course_classes_json_${form}_${shape.id}`;
    let query = this.jsonOfCourses.get(name);
    if (!query) {
      query = preparedQuery(this.db, name, (p: ListParams) => {
        const lists = this.db.selectFrom('live_classes').select(['course_id as courseId', sql<string | null>`${sql.raw(shape.listSql)}`.as('json')]);
        return classesOfCourses(lists, p, form).groupBy('course_id');
      });
      this.jsonOfCourses.set(name, query);
    }
    return query(listParams(companyId, valid, filter));
  }

  /** Locks the row for a state change (within a transaction). */
  async findForUpdate(companyId: string, id: string): Promise<LiveClassModel | null> {
    if (uuidsOnly([id]).length === 0) return null;
    const row = await this.db.selectFrom('live_classes').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row ? toLiveClass(row) : null;
  }

  /** For LiveKit's webhooks, which name rooms, not tenants: the room name is unique across companies. */
  async findByRoomForUpdate(roomName: string): Promise<LiveClassModel | null> {
    const row = await this.db.selectFrom('live_classes').selectAll().where('room_name', '=', roomName).forUpdate().executeTakeFirst();
    return row ? toLiveClass(row) : null;
  }

  /** One company's classes, optionally of some courses only, by scheduled time. */
  async list(companyId: string, filter: LiveClassFilter, courseIds?: readonly string[]): Promise<LiveClassModel[]> {
    let query = this.db.selectFrom('live_classes').selectAll().where('company_id', '=', companyId);
    if (courseIds) {
      const valid = moodleIdsOnly(courseIds);
      if (valid.length === 0) return [];
      query = query.where('course_id', 'in', valid);
    }
    if (filter.status?.length) query = query.where('status', 'in', [...filter.status]);
    // A class overlaps [from, to) when it starts before `to` and ends after `from`.
    if (filter.to) query = query.where('scheduled_at', '<', filter.to);
    if (filter.from) {
      query = query.where(sql<boolean>`scheduled_at + make_interval(mins => duration_minutes) > ${filter.from}`);
    }
    const rows = await query.orderBy('scheduled_at').orderBy('id').execute();
    return rows.map(toLiveClass);
  }

  /** A page of `list` (one course, or all): by scheduled time, after a cursor's [micros, id]. */
  async listPage(companyId: string, filter: LiveClassFilter, courseId: string | undefined, page: PageWindow): Promise<KeyedRow<LiveClassModel>[]> {
    let query = this.db.selectFrom('live_classes').selectAll().select(micros('scheduled_at').as('sort_at')).where('company_id', '=', companyId);
    if (courseId !== undefined) {
      if (moodleIdsOnly([courseId]).length === 0) return [];
      query = query.where('course_id', '=', courseId);
    }
    if (filter.status?.length) query = query.where('status', 'in', [...filter.status]);
    if (filter.to) query = query.where('scheduled_at', '<', filter.to);
    if (filter.from) query = query.where(sql<boolean>`scheduled_at + make_interval(mins => duration_minutes) > ${filter.from}`);
    if (page.after) query = query.where(later('scheduled_at', 'id', page.after));
    const rows = await query.orderBy('scheduled_at').orderBy('id').limit(page.limit).execute();
    return rows.map((row) => ({ node: toLiveClass(row), key: [row.sort_at, row.id] }));
  }

  /** Classes in one status across companies (background work). */
  async listInStatus(status: LiveClassStatus): Promise<LiveClassModel[]> {
    const rows = await this.db.selectFrom('live_classes').selectAll().where('status', '=', status).orderBy('scheduled_at').execute();
    return rows.map(toLiveClass);
  }

  /** SCHEDULED and WAITING classes (no teacher ever came) whose scheduled end came before `cutoff`, across companies. */
  async listScheduledEndingBefore(cutoff: Date): Promise<LiveClassModel[]> {
    const rows = await this.db
      .selectFrom('live_classes')
      .selectAll()
      .where('status', 'in', ['SCHEDULED', 'WAITING'])
      .where(sql<boolean>`scheduled_at + make_interval(mins => duration_minutes) < ${cutoff}`)
      .orderBy('scheduled_at')
      .execute();
    return rows.map(toLiveClass);
  }

  /** Background work only: classes by id across companies. */
  async findByIdsAcrossCompanies(ids: readonly string[]): Promise<LiveClassModel[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return [];
    const rows = await this.db.selectFrom('live_classes').selectAll().where('id', 'in', valid).execute();
    return rows.map(toLiveClass);
  }

  /** SCHEDULED classes without a room whose window has opened (starting before `opensBefore`) and that have not ended by `now`. */
  async listDueForRoom(opensBefore: Date, now: Date): Promise<LiveClassModel[]> {
    const rows = await this.db
      .selectFrom('live_classes')
      .selectAll()
      .where('status', '=', 'SCHEDULED')
      .where('room_opened_at', 'is', null)
      .where('scheduled_at', '<=', opensBefore)
      .where(sql<boolean>`scheduled_at + make_interval(mins => duration_minutes) > ${now}`)
      .orderBy('scheduled_at')
      .execute();
    return rows.map(toLiveClass);
  }

  /** Notes the room as open, unless the class moved on (cancelled, ended) meanwhile. */
  async markRoomOpened(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable('live_classes')
      .set({ room_opened_at: at, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', ['SCHEDULED', 'WAITING', 'LIVE'])
      .where('room_opened_at', 'is', null)
      .execute();
  }

  async listByRoomNames(roomNames: readonly string[]): Promise<LiveClassModel[]> {
    if (roomNames.length === 0) return [];
    const rows = await this.db
      .selectFrom('live_classes')
      .selectAll()
      .where('room_name', 'in', [...roomNames])
      .execute();
    return rows.map(toLiveClass);
  }

  async insert(values: NewLiveClass): Promise<LiveClassModel> {
    const row = await this.db
      .insertInto('live_classes')
      .values({
        company_id: values.companyId,
        course_id: values.courseId,
        title: values.title,
        description: values.description,
        scheduled_at: values.scheduledAt,
        duration_minutes: values.durationMinutes,
        room_name: values.roomName,
        host_user_id: values.hostUserId,
        record: values.record,
        wait_for_moderator: values.waitForModerator,
        created_by: values.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLiveClass(row);
  }

  async update(id: string, changes: Updateable<LiveClassesTable>): Promise<LiveClassModel> {
    const row = await this.db
      .updateTable('live_classes')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLiveClass(row);
  }
}
