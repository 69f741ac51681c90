/** Sales meetings, always within one company. */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ErpDatabase, SalesMeetingsTable } from '../database.js';
import type { SalesMeetingModel, SalesMeetingStatusName } from '../models.js';
import { onlyUuids } from './record-ids.js';
import type { Page } from './page.js';

function toMeeting(row: Selectable<SalesMeetingsTable>): SalesMeetingModel {
  return {
    id: row.id,
    companyId: row.company_id,
    customerName: row.customer_name,
    customerEmail: row.customer_email,
    location: row.location,
    description: row.description,
    ownerId: row.owner_id,
    scheduledAt: row.scheduled_at,
    endAt: row.end_at,
    status: row.status,
    cancellationReason: row.cancellation_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type SalesMeetingFields = Pick<
  SalesMeetingModel,
  'customerName' | 'customerEmail' | 'location' | 'description' | 'ownerId' | 'scheduledAt' | 'endAt' | 'status' | 'cancellationReason'
>;

/** The columns of the fields given; a field left out is undefined, which Kysely leaves out of the statement. */
function columnsOf(fields: SalesMeetingFields): Omit<Insertable<SalesMeetingsTable>, 'company_id'>;
function columnsOf(fields: Partial<SalesMeetingFields>): Updateable<SalesMeetingsTable>;
function columnsOf(fields: Partial<SalesMeetingFields>): Updateable<SalesMeetingsTable> {
  return {
    customer_name: fields.customerName,
    customer_email: fields.customerEmail,
    location: fields.location,
    description: fields.description,
    owner_id: fields.ownerId,
    scheduled_at: fields.scheduledAt,
    end_at: fields.endAt,
    status: fields.status,
    cancellation_reason: fields.cancellationReason,
  };
}

export interface SalesMeetingFilter extends Page {
  /** Meetings ending after this instant. */
  from?: Date;
  /** Meetings starting before this instant. */
  to?: Date;
  ownerId?: string;
  statuses?: SalesMeetingStatusName[];
}

export class SalesMeetingRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  private companyMeetings(companyId: string) {
    return this.db.selectFrom('erp.sales_meetings').selectAll().where('company_id', '=', companyId);
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<SalesMeetingModel[]> {
    const uuids = onlyUuids(ids);
    if (uuids.length === 0) return [];
    return (await this.companyMeetings(companyId).where('id', 'in', uuids).execute()).map(toMeeting);
  }

  async list(companyId: string, filter: SalesMeetingFilter): Promise<SalesMeetingModel[]> {
    let query = this.companyMeetings(companyId);
    if (filter.from) query = query.where('end_at', '>', filter.from);
    if (filter.to) query = query.where('scheduled_at', '<', filter.to);
    if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId);
    if (filter.statuses?.length) query = query.where('status', 'in', filter.statuses);
    const rows = await query.orderBy('scheduled_at').orderBy('id').limit(filter.first).offset(filter.offset).execute();
    return rows.map(toMeeting);
  }

  /** The row, locked until the transaction ends (serialises concurrent changes). */
  async lock(companyId: string, id: string): Promise<SalesMeetingModel | undefined> {
    const row = await this.companyMeetings(companyId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toMeeting(row);
  }

  async insert(companyId: string, fields: SalesMeetingFields): Promise<SalesMeetingModel> {
    const row = await this.db
      .insertInto('erp.sales_meetings')
      .values({ company_id: companyId, ...columnsOf(fields) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMeeting(row);
  }

  async update(companyId: string, id: string, fields: Partial<SalesMeetingFields>): Promise<SalesMeetingModel> {
    const row = await this.db
      .updateTable('erp.sales_meetings')
      .set({ ...columnsOf(fields), updated_at: new Date() })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toMeeting(row);
  }
}
