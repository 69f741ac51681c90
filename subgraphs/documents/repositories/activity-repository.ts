/** A document's activity trail: appended in the transaction of each change, read newest first. */
import type { Selectable } from 'kysely';
import type { ActivityDetails, DocumentActivityTable } from '../database.js';
import type { DocumentsDb, DocumentsTrx } from './documents-db.js';
import type { Keyed, PageWindow } from './document-repository.js';

export interface NewActivity {
  companyId: string;
  documentId: string;
  action: string;
  actorId: string | null;
  actorUser: string | null;
  details?: ActivityDetails;
}

export class ActivityRepository {
  constructor(private readonly db: DocumentsDb) {}

  /** In the caller's transaction, or on its own (null). */
  async record(trx: DocumentsTrx | null, entry: NewActivity): Promise<void> {
    await (trx ?? this.db)
      .insertInto('documents.document_activity')
      .values({
        company_id: entry.companyId, document_id: entry.documentId, action: entry.action, actor_id: entry.actorId,
        actor_user: entry.actorUser, details: JSON.stringify(entry.details ?? {}),
      })
      .execute();
  }

  /** One page of a document's trail, newest first, after a cursor's [id]. */
  async page(companyId: string, documentId: string, page: PageWindow): Promise<Keyed<Selectable<DocumentActivityTable>>[]> {
    let query = this.db
      .selectFrom('documents.document_activity')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('document_id', '=', documentId);
    if (page.after) {
      const after = String(page.after[0]);
      if (!/^\d{1,19}$/.test(after)) return [];
      query = query.where('id', '<', after);
    }
    const rows = await query.orderBy('id', 'desc').limit(page.limit).execute();
    return rows.map((row) => ({ node: row, key: [String(row.id)] }));
  }
}
