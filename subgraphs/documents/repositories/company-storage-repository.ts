/** Per-company storage choices: which backend new files go to, and the company's own size limit. */
import type { DocumentsDb } from './documents-db.js';

export interface CompanyStorage {
  backend: string | null;
  maxFileBytes: number | null;
}

export class CompanyStorageRepository {
  constructor(private readonly db: DocumentsDb) {}

  async find(companyId: string): Promise<CompanyStorage> {
    const row = await this.db
      .selectFrom('documents.company_storage')
      .select(['backend', 'max_file_bytes'])
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    return { backend: row?.backend ?? null, maxFileBytes: row?.max_file_bytes == null ? null : Number(row.max_file_bytes) };
  }
}
