/** Live classes; every read by a caller is filtered by company. */
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { LiveClassesTable, LiveClassStatus, MeetDatabase } from '../database.js';
import type { LiveClassFilter, LiveClassModel } from '../models.js';
import { later, micros, type KeyedRow, type PageWindow } from '../../../platform/database/keyset.js';
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
  constructor(private readonly db: Kysely<MeetDatabase>) {}

  async findByIds(companyId: string, ids: readonly string[]): Promise<LiveClassModel[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return [];
    const rows = await this.db.selectFrom('live_classes').selectAll().where('company_id', '=', companyId).where('id', 'in', valid).execute();
    return rows.map(toLiveClass);
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
