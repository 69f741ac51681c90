/** Archive, trash and restore: for those who may change the document. */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { conflict, notFound } from '../../../platform/errors.js';
import type { DocumentModel } from '../models.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentsDb } from '../repositories/documents-db.js';
import { publishDocumentEvent } from './document-events.js';
import type { DocumentService } from './document-service.js';
import type { ShareService } from './share-service.js';

export class LifecycleService {
  constructor(
    private readonly viewer: Viewer,
    private readonly documents: DocumentService,
    private readonly repository: DocumentRepository,
    private readonly db: DocumentsDb,
    private readonly shares: ShareService,
  ) {}

  /** The current document (not a version) the caller may change, trash included only when asked. */
  private async writable(id: string, inTrash: boolean): Promise<DocumentModel> {
    const document = await this.documents.findReadable(id);
    if (!document || document.isVersion || !!document.deletedAt !== inTrash) throw notFound('Document', id);
    await this.documents.access.requireWrite(document);
    return document;
  }

  private async reload(id: string): Promise<DocumentModel> {
    const [document] = await this.repository.findByIds(this.viewer.companyId, [id]);
    if (!document) throw notFound('Document', id);
    return document;
  }

  async setArchived(id: string, archived: boolean): Promise<DocumentModel> {
    const document = await this.writable(id, false);
    await this.repository.setState(this.db, this.viewer.companyId, document.documentId, { is_archived: archived });
    return this.reload(document.documentId);
  }

  async trash(id: string): Promise<DocumentModel> {
    const document = await this.writable(id, false);
    // Our links stop with the trash; Nextcloud's must be deleted there (and stay revoked after a restore).
    await this.shares.revokeNextcloudLinksOf(document);
    await this.db.transaction().execute(async (trx) => {
      const row = await this.repository.setState(trx, this.viewer.companyId, document.documentId, { deleted_at: new Date() });
      if (row) await publishDocumentEvent(trx, 'documents.document.deleted', row, this.viewer.userId, { purged: false });
    });
    return this.reload(document.documentId);
  }

  async restore(id: string): Promise<DocumentModel> {
    const document = await this.documents.findReadable(id);
    if (document && !document.isVersion && !document.deletedAt) throw conflict('The document is not in the trash');
    const trashed = await this.writable(id, true);
    await this.db.transaction().execute(async (trx) => {
      const row = await this.repository.setState(trx, this.viewer.companyId, trashed.documentId, { deleted_at: null });
      if (row) await publishDocumentEvent(trx, 'documents.document.restored', row, this.viewer.userId);
    });
    return this.reload(trashed.documentId);
  }

  async trashed(): Promise<DocumentModel[]> {
    const candidates = await this.repository.listTrashed(this.viewer.companyId, this.documents.access.listRestrictions());
    const writable = await Promise.all(candidates.map((document) => this.documents.access.mayWrite(document)));
    return candidates.filter((_, index) => writable[index]);
  }
}
