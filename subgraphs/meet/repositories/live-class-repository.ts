/** Live classes; every read by a caller is filtered by company. */
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { LiveClassesTable, LiveClassStatus, MeetDatabase } from '../database.js';
import type { LiveClassFilter, LiveClassModel } from '../models.js';
import { later, micros, type KeyedRow, type PageWindow } from '../../../platform/database/keyset.js';
import { preparedQuery, type PreparedQuery } from '../../../platform/database/prepared-query.js';
import { moodleIdsOnly, uuidsOnly } from './ids.js';

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
 * Fields of LiveClass answered from LEAN_CLASS_COLUMNS alone (and the
 * recordings, which need the id and the course): a course's class list asking
 * for no other (the course list, the course page) reads those columns only,
 * 8 of 17, none of the five bookkeeping timestamps.
 */
export const LEAN_CLASS_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'course', 'title', 'scheduledAt', 'durationMinutes', 'status', 'host', 'recordings']);

const LEAN_CLASS_COLUMNS = ['id', 'company_id', 'course_id', 'title', 'scheduled_at', 'duration_minutes', 'status', 'host_user_id'] as const;
type LeanClassRow = Pick<Selectable<LiveClassesTable>, (typeof LEAN_CLASS_COLUMNS)[number]>;

/** A model answering LEAN_CLASS_FIELDS only: the other fields are absent (a type stretched for one read path). */
function toLeanLiveClass(row: LeanClassRow): LiveClassModel {
  return {
    id: row.id,
    companyId: row.company_id,
    courseId: row.course_id,
    title: row.title,
    scheduledAt: row.scheduled_at,
    durationMinutes: row.duration_minutes,
    status: row.status,
    hostUserId: row.host_user_id,
  } as LiveClassModel;
}

interface ListParams {
  companyId: string;
  courseIds: readonly string[];
  statuses: readonly LiveClassStatus[];
  from: Date;
  to: Date;
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
  /** Classes of some courses, by which of status (1), `from` (2) and `to` (4) filter them and whether lean columns (8) do. */
  private readonly ofCourses: PreparedQuery<ListParams, LeanClassRow>[] = [];

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
   * statement per form of the filter. `lean`: models answering LEAN_CLASS_FIELDS only.
   */
  async listOfCourses(companyId: string, courseIds: readonly string[], filter: LiveClassFilter, lean = false): Promise<LiveClassModel[]> {
    const valid = moodleIdsOnly(courseIds);
    if (valid.length === 0) return [];
    const statuses = filter.status?.length ? filter.status : null;
    const form = (statuses ? 1 : 0) + (filter.from ? 2 : 0) + (filter.to ? 4 : 0) + (lean ? 8 : 0);
    const query = (this.ofCourses[form] ??= preparedQuery(this.db, `meet_course_classes_${form}`, (p: ListParams) => {
      const classes = this.db.selectFrom('live_classes');
      // Lean rows lack the other columns: their models answer LEAN_CLASS_FIELDS only.
      let query = ((form & 8 ? classes.select(LEAN_CLASS_COLUMNS) : classes.selectAll()) as ReturnType<typeof classes.selectAll>)
        .where('company_id', '=', p.companyId)
        .where('course_id', '=', sql<string>`any(${p.courseIds}::bigint[])`);
      if (form & 1) query = query.where('status', '=', sql<LiveClassStatus>`any(${p.statuses}::text[])`);
      // A class overlaps [from, to) when it starts before `to` and ends after `from`.
      if (form & 4) query = query.where('scheduled_at', '<', p.to);
      if (form & 2) query = query.where(sql<boolean>`scheduled_at + make_interval(mins => duration_minutes) > ${p.from}`);
      return query.orderBy('scheduled_at').orderBy('id');
    }));
    const rows = await query({ companyId, courseIds: valid, statuses: statuses ?? [], from: filter.from!, to: filter.to! });
    return rows.map(lean ? toLeanLiveClass : (toLiveClass as (row: LeanClassRow) => LiveClassModel));
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
