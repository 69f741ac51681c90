/** Leave requests, always within one company. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { before, later, micros, type KeyedRow, type PageWindow } from '../../../platform/database/keyset.js';
import type { ErpDatabase, LeaveRequestsTable } from '../database.js';
import type { LeaveRequestModel, LeaveStatusName } from '../models.js';
import { onlyUuids } from './record-ids.js';
import type { Page } from './page.js';

function toLeaveRequest(row: Selectable<LeaveRequestsTable>): LeaveRequestModel {
  return {
    id: row.id,
    companyId: row.company_id,
    employeeId: row.employee_id,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    leaveType: row.leave_type,
    reason: row.reason,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    reviewComment: row.review_comment,
    wasApproved: row.was_approved,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type LeaveRequestFields = Pick<LeaveRequestModel, 'employeeId' | 'startDate' | 'endDate' | 'status' | 'leaveType' | 'reason'>;
export type LeaveDecision = Pick<LeaveRequestModel, 'status' | 'reviewedBy' | 'reviewedAt' | 'reviewComment' | 'wasApproved'>;

export interface LeaveRequestWhich {
  statuses?: LeaveStatusName[];
  employeeId?: string;
  /** Everyone's but this employee's (a manager's own requests, which are not theirs to decide). */
  exceptEmployeeId?: string;
  /** Leave overlapping [from, to): ending after `from`, starting before `to`. */
  from?: Date;
  to?: Date;
}

export interface LeaveRequestFilter extends LeaveRequestWhich, Page {}

export class LeaveRequestRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  private companyRequests(companyId: string) {
    return this.db.selectFrom('erp.leave_requests').selectAll().where('company_id', '=', companyId);
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<LeaveRequestModel[]> {
    const uuids = onlyUuids(ids);
    if (uuids.length === 0) return [];
    return (await this.companyRequests(companyId).where('id', 'in', uuids).execute()).map(toLeaveRequest);
  }

  private filtered(companyId: string, which: LeaveRequestWhich) {
    let query = this.companyRequests(companyId);
    if (which.statuses?.length) query = query.where('status', 'in', which.statuses);
    if (which.employeeId) query = query.where('employee_id', '=', which.employeeId);
    if (which.exceptEmployeeId) query = query.where('employee_id', '!=', which.exceptEmployeeId);
    if (which.from) query = query.where('end_date', '>', which.from);
    if (which.to) query = query.where('start_date', '<', which.to);
    return query;
  }

  async list(companyId: string, filter: LeaveRequestFilter): Promise<LeaveRequestModel[]> {
    const rows = await this.filtered(companyId, filter).orderBy('start_date').orderBy('id').limit(filter.first).offset(filter.offset).execute();
    return rows.map(toLeaveRequest);
  }

  /** A page of `list`'s order (start date, then id), or of the latest start first, after a cursor's [micros, id]. */
  async listPage(companyId: string, which: LeaveRequestWhich, page: PageWindow, latestFirst = false): Promise<KeyedRow<LeaveRequestModel>[]> {
    let query = this.filtered(companyId, which).select(micros('start_date').as('sort_at'));
    if (page.after) query = query.where((latestFirst ? before : later)('start_date', 'id', page.after));
    const rows = await query
      .orderBy('start_date', latestFirst ? 'desc' : 'asc')
      .orderBy('id')
      .limit(page.limit)
      .execute();
    return rows.map((row) => ({ node: toLeaveRequest(row), key: [row.sort_at, row.id] }));
  }

  /**
   * Serialises one employee's leave changes until the transaction ends, so
   * that two overlapping requests sent at once cannot both pass the overlap check.
   */
  async lockEmployee(companyId: string, employeeId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`erp.leave:${companyId}:${employeeId}`}, 0))`.execute(this.db);
  }

  /** The employee's pending or approved leave overlapping [start, end). */
  async findActiveOverlapping(companyId: string, employeeId: string, start: Date, end: Date): Promise<LeaveRequestModel | undefined> {
    const row = await this.companyRequests(companyId)
      .where('employee_id', '=', employeeId)
      .where('status', 'in', ['PENDING', 'APPROVED'])
      .where('start_date', '<', end)
      .where('end_date', '>', start)
      .orderBy('start_date')
      .executeTakeFirst();
    return row && toLeaveRequest(row);
  }

  /** The row, locked until the transaction ends (serialises concurrent decisions). */
  async lock(companyId: string, id: string): Promise<LeaveRequestModel | undefined> {
    const row = await this.companyRequests(companyId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toLeaveRequest(row);
  }

  async insert(companyId: string, fields: LeaveRequestFields): Promise<LeaveRequestModel> {
    const row = await this.db
      .insertInto('erp.leave_requests')
      .values({
        company_id: companyId,
        employee_id: fields.employeeId,
        start_date: fields.startDate,
        end_date: fields.endDate,
        status: fields.status,
        leave_type: fields.leaveType,
        reason: fields.reason,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLeaveRequest(row);
  }

  async setStatus(companyId: string, id: string, decision: Partial<LeaveDecision>): Promise<LeaveRequestModel> {
    const row = await this.db
      .updateTable('erp.leave_requests')
      .set({
        status: decision.status,
        reviewed_by: decision.reviewedBy,
        reviewed_at: decision.reviewedAt,
        review_comment: decision.reviewComment,
        was_approved: decision.wasApproved,
        updated_at: new Date(),
      })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLeaveRequest(row);
  }
}
