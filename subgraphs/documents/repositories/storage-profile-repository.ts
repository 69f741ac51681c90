/** Companies' own storage servers (documents.storage_profiles): written once, never changed. */
import type { Selectable } from 'kysely';
import type { StorageProfileSettings, StorageProfilesTable } from '../database.js';
import type { DocumentsDb } from './documents-db.js';

export type StorageProfileRow = Selectable<StorageProfilesTable>;

export class StorageProfileRepository {
  constructor(private readonly db: DocumentsDb) {}

  async find(id: string): Promise<StorageProfileRow | null> {
    return (await this.db.selectFrom('documents.storage_profiles').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async insert(profile: {
    id: string;
    companyId: string;
    backend: 'webdav' | 's3';
    settings: StorageProfileSettings;
    secretEncrypted: string | null;
    createdBy: string;
  }): Promise<void> {
    await this.db
      .insertInto('documents.storage_profiles')
      .values({
        id: profile.id,
        company_id: profile.companyId,
        backend: profile.backend,
        settings: JSON.stringify(profile.settings),
        secret_encrypted: profile.secretEncrypted,
        created_by: profile.createdBy,
      })
      .execute();
  }
}
