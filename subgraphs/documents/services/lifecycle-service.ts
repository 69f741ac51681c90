/** Archive, trash and restore: for those who may change the document. */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { conflict, notFound } from '../../../platform/errors.js';
import type { DocumentModel } from '../models.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentService } from './document-service.js';

export class LifecycleService {
  constructor(
    private readonly viewer: Viewer,
    private readonly documents: DocumentService,
    private readonly repository: DocumentRepository,
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
    await this.repository.setState(this.viewer.companyId, document.documentId, { is_archived: archived });
    return this.reload(document.documentId);
  }

  async trash(id: string): Promise<DocumentModel> {
    const document = await this.writable(id, false);
    await this.repository.setState(this.viewer.companyId, document.documentId, { deleted_at: new Date() });
    return this.reload(document.documentId);
  }

  async restore(id: string): Promise<DocumentModel> {
    const document = await this.documents.findReadable(id);
    if (document && !document.isVersion && !document.deletedAt) throw conflict('The document is not in the trash');
    const trashed = await this.writable(id, true);
    await this.repository.setState(this.viewer.companyId, trashed.documentId, { deleted_at: null });
    return this.reload(trashed.documentId);
  }

  async trashed(): Promise<DocumentModel[]> {
    const candidates = await this.repository.listTrashed(this.viewer.companyId, this.documents.access.listRestrictions());
    const writable = await Promise.all(candidates.map((document) => this.documents.access.mayWrite(document)));
    return candidates.filter((_, index) => writable[index]);
  }
}
