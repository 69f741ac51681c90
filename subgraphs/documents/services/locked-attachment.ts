/**
 * Write access is judged on the record a document is attached to, before
 * the write's transaction; a move committed in between would let the write
 * land where the caller may not write. Writes lock the document row and
 * refuse (CONFLICT) when its attachment is no longer the one judged.
 */
import type { Selectable } from 'kysely';
import { conflict, notFound } from '../../../platform/errors.js';
import type { DocumentsTable } from '../database.js';
import type { DocumentModel } from '../models.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentsTrx } from '../repositories/documents-db.js';

/** The document's row, locked for the rest of `trx`, still attached where `judged` was when access was checked. */
export async function lockStillAttached(
  trx: DocumentsTrx,
  repository: DocumentRepository,
  companyId: string,
  judged: Pick<DocumentModel, 'documentId' | 'entityType' | 'entityId'>,
): Promise<Selectable<DocumentsTable>> {
  const row = await repository.lockForUpdate(trx, companyId, judged.documentId);
  if (!row) throw notFound('Document', judged.documentId);
  if (row.entity_type !== judged.entityType || row.entity_id !== judged.entityId) {
    throw conflict('The document moved to another record meanwhile: try again where it is now');
  }
  return row;
}
