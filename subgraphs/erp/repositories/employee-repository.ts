/** Employees (HR records of Moodle users) of one company, by Moodle user id. */
import type { Kysely } from 'kysely';
import type { ErpDatabase } from '../database.js';
import type { EmployeeModel } from '../models.js';

export class EmployeeRepository {
  constructor(private readonly db: Kysely<ErpDatabase>) {}

  async findByIds(companyId: string, ids: readonly string[]): Promise<EmployeeModel[]> {
    // Moodle ids are digits; anything else would fail the bigint cast of the whole statement.
    const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
    if (numeric.length === 0) return [];
    const rows = await this.db.selectFrom('erp.employees').select(['id', 'company_id', 'job_title']).where('company_id', '=', companyId).where('id', 'in', numeric).execute();
    return rows.map((row) => ({ id: String(row.id), companyId: row.company_id, jobTitle: row.job_title }));
  }
}
