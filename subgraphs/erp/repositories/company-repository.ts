/** Companies (tenants) as Bheem Core knows them. */
import type { Kysely } from 'kysely';
import type { ErpDatabase } from '../database.js';
import type { CompanyModel } from '../models.js';
import { onlyUuids } from './record-ids.js';

export class CompanyRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  async findByIds(ids: readonly string[]): Promise<CompanyModel[]> {
    const uuids = onlyUuids(ids);
    if (uuids.length === 0) return [];
    const rows = await this.db.selectFrom('erp.companies').selectAll().where('id', 'in', uuids).execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }
}
