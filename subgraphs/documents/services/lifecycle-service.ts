/** Archive, trash and restore: for those who may change the document. */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { conflict, notFound } from '../../../platform/errors.js';
import { pageRequest, toConnection, type Connection, type PageArgs } from '../../../platform/graphql/connection.js';
import type { DocumentModel } from '../models.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentsDb } from '../repositories/documents-db.js';
import type { ActivityTrail } from './document-activity.js';
import { publishDocumentEvent } from './document-events.js';
import type { DocumentService } from './document-service.js';
import { lockStillAttached } from './locked-attachment.js';
import type { ShareService } from './share-service.js';

export class LifecycleService {
  constructor(
    private readonly viewer: Viewer,
    private readonly documents: DocumentService,
    private readonly repository: DocumentRepository,
    private readonly db: DocumentsDb,
    private readonly shares: ShareService,
    private readonly activity: ActivityTrail,
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
    if (document.isArchived === archived) return document;
    await this.db.transaction().execute(async (trx) => {
      const locked = await lockStillAttached(trx, this.repository, this.viewer.companyId, document);
      if (locked.deleted_at) throw notFound('Document', id);
      const row = await this.repository.setState(trx, this.viewer.companyId, document.documentId, { is_archived: archived });
      if (row) await this.activity.record(trx, this.viewer, row, archived ? 'archived' : 'unarchived');
    });
    return this.reload(document.documentId);
  }

  async trash(id: string): Promise<DocumentModel> {
    const document = await this.writable(id, false);
    await this.db.transaction().execute(async (trx) => {
      const locked = await lockStillAttached(trx, this.repository, this.viewer.companyId, document);
      if (locked.deleted_at) throw notFound('Document', id);
      const row = await this.repository.setState(trx, this.viewer.companyId, document.documentId, { deleted_at: new Date() });
      if (!row) return;
      // Ours and Nextcloud's (deleted there now, the row locked: no racing write can undo the trash after it). Revoked for good.
      await this.shares.revokeAllWithin(trx, document);
      await publishDocumentEvent(trx, 'documents.document.deleted', row, this.viewer.userId, { purged: false });
      await this.activity.record(trx, this.viewer, row, 'trashed');
    });
    return this.reload(document.documentId);
  }

  async restore(id: string): Promise<DocumentModel> {
    const document = await this.documents.findReadable(id);
    if (document && !document.isVersion && !document.deletedAt) throw conflict('The document is not in the trash');
    const trashed = await this.writable(id, true);
    await this.db.transaction().execute(async (trx) => {
      const locked = await lockStillAttached(trx, this.repository, this.viewer.companyId, trashed);
      if (!locked.deleted_at) throw conflict('The document is not in the trash');
      const row = await this.repository.setState(trx, this.viewer.companyId, trashed.documentId, { deleted_at: null });
      if (!row) return;
      await publishDocumentEvent(trx, 'documents.document.restored', row, this.viewer.userId);
      await this.activity.record(trx, this.viewer, row, 'restored');
    });
    return this.reload(trashed.documentId);
  }

  async trashedPage(args: PageArgs): Promise<Connection<DocumentModel>> {
    const { first, after } = pageRequest(args, ['string', 'string']);
    const rows = await this.repository.trashedPage(this.viewer.companyId, this.documents.access.listRestrictions(), { after, limit: first + 1 });
    return toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
      (documents) => Promise.all(documents.map((document) => this.documents.access.mayWrite(document))),
    );
  }

  async trashed(): Promise<DocumentModel[]> {
    const candidates = await this.repository.listTrashed(this.viewer.companyId, this.documents.access.listRestrictions());
    const writable = await Promise.all(candidates.map((document) => this.documents.access.mayWrite(document)));
    return candidates.filter((_, index) => writable[index]);
  }
}
