/** Pending uploads: requested, receiving bytes, received, completed. */
import type { Insertable, Selectable } from 'kysely';
import type { UploadSessionsTable } from '../database.js';
import { uuidsOnly, type DocumentsDb, type DocumentsTrx } from './documents-db.js';

export type UploadSession = Selectable<UploadSessionsTable>;
export type NewUploadSession = Insertable<UploadSessionsTable>;

export class UploadSessionRepository {
  constructor(private readonly db: DocumentsDb) {}

  async insert(session: NewUploadSession): Promise<void> {
    await this.db.insertInto('documents.upload_sessions').values(session).execute();
  }

  /** Which of these keys an upload or a version already uses on that backend (and company server). */
  async keysTaken(at: { storage_backend: string; storage_profile: string | null }, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const sameServer = (table: 'documents.upload_sessions' | 'documents.document_versions') =>
      this.db
        .selectFrom(table)
        .select('storage_key')
        .where('storage_backend', '=', at.storage_backend)
        .where((eb) => (at.storage_profile ? eb('storage_profile', '=', at.storage_profile) : eb('storage_profile', 'is', null)))
        .where('storage_key', 'in', keys);
    const rows = await sameServer('documents.upload_sessions').union(sameServer('documents.document_versions')).execute();
    return new Set(rows.map((row) => row.storage_key));
  }

  async find(companyId: string, id: string): Promise<UploadSession | null> {
    const [uuid] = uuidsOnly([id]);
    if (!uuid) return null;
    const row = await this.db.selectFrom('documents.upload_sessions').selectAll().where('company_id', '=', companyId).where('id', '=', uuid).executeTakeFirst();
    return row ?? null;
  }

  /** Claims a pending, unexpired session for one PUT (no two PUTs write the same object). Not company-scoped: the signed URL names it. */
  async claimForTransfer(id: string): Promise<UploadSession | null> {
    const [uuid] = uuidsOnly([id]);
    if (!uuid) return null;
    const row = await this.db
      .updateTable('documents.upload_sessions')
      .set({ status: 'uploading' })
      .where('id', '=', uuid)
      .where('status', '=', 'pending')
      .where('expires_at', '>', new Date())
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  async statusOf(id: string): Promise<{ status: string; expires_at: Date; declared_size: string; staged_at: string | null } | null> {
    const [uuid] = uuidsOnly([id]);
    if (!uuid) return null;
    const row = await this.db.selectFrom('documents.upload_sessions').select(['status', 'expires_at', 'declared_size', 'staged_at']).where('id', '=', uuid).executeTakeFirst();
    return row ? { ...row, declared_size: String(row.declared_size) } : null;
  }

  /** A resumable upload's bytes are staged on this replica (its internal URL) from now on. */
  async markStaged(id: string, replicaUrl: string): Promise<void> {
    await this.db.updateTable('documents.upload_sessions').set({ staged_at: replicaUrl }).where('id', '=', id).execute();
  }

  async markUploaded(id: string, received: { size: number; sha256: string }): Promise<void> {
    await this.db
      .updateTable('documents.upload_sessions')
      .set({ status: 'uploaded', received_size: received.size, received_checksum: received.sha256 })
      .where('id', '=', id)
      .where('status', '=', 'uploading')
      .execute();
  }

  /** Bytes stored so far by the PUT in progress (read by `documentUpload`); the final count comes with markUploaded. */
  async reportProgress(id: string, receivedBytes: number): Promise<void> {
    await this.db.updateTable('documents.upload_sessions').set({ received_size: receivedBytes }).where('id', '=', id).where('status', '=', 'uploading').execute();
  }

  /** Back to pending after a failed PUT, so the client can try again. */
  async release(id: string): Promise<void> {
    await this.db
      .updateTable('documents.upload_sessions')
      .set({ status: 'pending', received_size: null, received_checksum: null })
      .where('id', '=', id)
      .where('status', '=', 'uploading')
      .execute();
  }

  /** Locks an uploaded session for completion; null when another completion got there first. */
  async lockUploaded(trx: DocumentsTrx, id: string): Promise<UploadSession | null> {
    const row = await trx.selectFrom('documents.upload_sessions').selectAll().where('id', '=', id).where('status', '=', 'uploaded').forUpdate().executeTakeFirst();
    return row ?? null;
  }

  async markCompleted(trx: DocumentsTrx, id: string): Promise<void> {
    await trx.updateTable('documents.upload_sessions').set({ status: 'completed' }).where('id', '=', id).execute();
  }

  /**
   * Removes abandoned sessions and returns what they had stored: unfinished
   * ones past their expiry (an upload still streaming gets `uploadingGraceMs` more).
   */
  async deleteAbandoned(now: Date, uploadingGraceMs: number, limit = 500): Promise<{ id: string; storage_backend: string; storage_key: string; storage_profile: string | null }[]> {
    const graceCutoff = new Date(now.getTime() - uploadingGraceMs);
    return this.db
      .deleteFrom('documents.upload_sessions')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('documents.upload_sessions')
          .select('id')
          .where((w) =>
            w.or([w.and([w('status', 'in', ['pending', 'uploaded']), w('expires_at', '<', now)]), w.and([w('status', '=', 'uploading'), w('expires_at', '<', graceCutoff)])]),
          )
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'storage_backend', 'storage_key', 'storage_profile'])
      .execute();
  }

  /** Completed sessions are bookkeeping only (their object now belongs to a document). */
  async deleteCompletedBefore(cutoff: Date): Promise<number> {
    const result = await this.db.deleteFrom('documents.upload_sessions').where('status', '=', 'completed').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
