/** A document's activity trail: appended in the transaction of each change, read newest first. */
import { sql, type Selectable } from 'kysely';
import type { ActivityDetails, DocumentActivityTable } from '../database.js';
import { uuidsOnly, type DocumentsDb, type DocumentsTrx } from './documents-db.js';
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
        company_id: entry.companyId,
        document_id: entry.documentId,
        action: entry.action,
        actor_id: entry.actorId,
        actor_user: entry.actorUser,
        details: JSON.stringify(entry.details ?? {}),
      })
      .execute();
  }

  /** Documents' trails a page each, newest first, after a cursor's [id]: one query for all of them (pageLoader). */
  async pages(companyId: string, documentIds: readonly string[], page: PageWindow): Promise<Keyed<Selectable<DocumentActivityTable>>[]> {
    const ids = uuidsOnly(documentIds);
    if (ids.length === 0) return [];
    let query = this.db
      .selectFrom('documents.document_activity')
      .selectAll()
      .select(sql<string>`row_number() over (partition by document_id order by id desc)`.as('page_row'))
      .where('company_id', '=', companyId)
      .where('document_id', 'in', ids);
    if (page.after) {
      const after = String(page.after[0]);
      if (!/^\d{1,19}$/.test(after)) return [];
      query = query.where('id', '<', after);
    }
    const rows = await this.db.selectFrom(query.as('p')).selectAll().where('p.page_row', '<=', String(page.limit)).orderBy('p.document_id').orderBy('p.page_row').execute();
    return rows.map(({ page_row: _row, ...row }) => ({ node: row, key: [String(row.id)] }));
  }
}
