/** Quotes and invoices of one company, by id. */
import type { Kysely } from 'kysely';
import type { ErpDatabase } from '../database.js';
import type { SalesRecordModel } from '../models.js';
import { onlyUuids } from './record-ids.js';

export class SalesRecordRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  async findByIds(table: 'erp.quotes' | 'erp.invoices', companyId: string, ids: readonly string[]): Promise<SalesRecordModel[]> {
    const uuids = onlyUuids(ids);
    if (uuids.length === 0) return [];
    const rows = await this.db
      .selectFrom(table)
      .select(['id', 'company_id', 'number', 'customer_name', 'created_at'])
      .where('company_id', '=', companyId)
      .where('id', 'in', uuids)
      .execute();
    return rows.map((row) => ({ id: row.id, companyId: row.company_id, number: row.number, customerName: row.customer_name, createdAt: row.created_at }));
  }
}
