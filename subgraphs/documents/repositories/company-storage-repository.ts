/** Per-company storage choices: which backend new files go to, the company's own size limit, and Nextcloud sharing. */
import type { DocumentsDb } from './documents-db.js';

export interface CompanyStorage {
  backend: string | null;
  maxFileBytes: number | null;
  nextcloudShares: boolean;
  nextcloudUrl: string | null;
  nextcloudUsername: string | null;
  /** Encrypted (see share-credentials); decrypted only to call Nextcloud. */
  nextcloudPasswordEncrypted: string | null;
  updatedAt: Date | null;
  /** The company's own server for `backend` (storage_profiles), or null for the server-configured one. */
  storageProfile: string | null;
}

export interface CompanyStorageUpdate {
  backend: string;
  maxFileBytes: number | null;
  nextcloudShares: boolean;
  nextcloudUrl: string | null;
  nextcloudUsername: string | null;
  /** undefined keeps the stored one. */
  nextcloudPasswordEncrypted?: string | null;
  storageProfile: string | null;
  updatedBy: string;
}

export class CompanyStorageRepository {
  constructor(private readonly db: DocumentsDb) {}

  async find(companyId: string): Promise<CompanyStorage> {
    const row = await this.db.selectFrom('documents.company_storage').selectAll().where('company_id', '=', companyId).executeTakeFirst();
    return {
      backend: row?.backend ?? null,
      maxFileBytes: row?.max_file_bytes == null ? null : Number(row.max_file_bytes),
      nextcloudShares: row?.nextcloud_shares ?? false,
      nextcloudUrl: row?.nextcloud_url ?? null,
      nextcloudUsername: row?.nextcloud_username ?? null,
      nextcloudPasswordEncrypted: row?.nextcloud_password_encrypted ?? null,
      updatedAt: row?.updated_at ?? null,
      storageProfile: row?.storage_profile ?? null,
    };
  }

  async upsert(companyId: string, update: CompanyStorageUpdate): Promise<void> {
    const values = {
      backend: update.backend,
      max_file_bytes: update.maxFileBytes,
      nextcloud_shares: update.nextcloudShares,
      nextcloud_url: update.nextcloudUrl,
      nextcloud_username: update.nextcloudUsername,
      storage_profile: update.storageProfile,
      updated_by: update.updatedBy,
      updated_at: new Date(),
      ...(update.nextcloudPasswordEncrypted !== undefined && { nextcloud_password_encrypted: update.nextcloudPasswordEncrypted }),
    };
    await this.db
      .insertInto('documents.company_storage')
      .values({ company_id: companyId, ...values })
      .onConflict((oc) => oc.column('company_id').doUpdateSet(values))
      .execute();
  }
}
