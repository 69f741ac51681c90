/**
 * Changing a document after upload: its name, tags, category and
 * description (updateDocument), and the record it is attached to
 * (moveDocument). Authorised like uploads: the caller must be allowed to
 * change the document where it is, and, for a move, to attach documents to
 * the record it goes to (which must exist in their company). Each change is
 * one entry of the activity trail, in the same transaction.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, notFound } from '../../../platform/errors.js';
import type { DocumentModel } from '../models.js';
import type { DocumentEdit, DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentsDb } from '../repositories/documents-db.js';
import type { ActivityTrail } from './document-activity.js';
import { parseEntityType, type DocumentService } from './document-service.js';
import { sanitizeFilename } from './filename.js';
import type { ShareService } from './share-service.js';
import { lockStillAttached } from './locked-attachment.js';
import { parseCategory, parseDescription, parseEntityId, parseTags } from './upload-input.js';

export interface UpdateDocumentInput {
  filename?: string | null;
  tags?: readonly string[] | null;
  category?: string | null;
  description?: string | null;
}

type Change = { field: string; from: string | null; to: string | null };

export class EditService {
  constructor(
    private readonly viewer: Viewer,
    private readonly documents: DocumentService,
    private readonly repository: DocumentRepository,
    private readonly db: DocumentsDb,
    private readonly activity: ActivityTrail,
    private readonly shares: ShareService,
  ) {}

  /** The current document (not a version, not in the trash) the caller may change. */
  private async writable(id: string): Promise<DocumentModel> {
    const document = await this.documents.getDocument(id);
    if (!document || document.isVersion) throw notFound('Document', id);
    await this.documents.access.requireWrite(document);
    return document;
  }

  private async reload(id: string): Promise<DocumentModel> {
    const [document] = await this.repository.findByIds(this.viewer.companyId, [id]);
    if (!document) throw notFound('Document', id);
    return document;
  }

  /** Fields left out stay; category and description set to null are cleared; tags replace the old ones. */
  async update(id: string, input: UpdateDocumentInput): Promise<DocumentModel> {
    if (input.filename === null) throw badInput('filename cannot be cleared', 'filename');
    const edit: DocumentEdit = {
      ...(input.filename !== undefined && { filename: sanitizeFilename(input.filename) }),
      ...(input.tags !== undefined && { tags: parseTags(input.tags) }),
      ...(input.category !== undefined && { category: parseCategory(input.category) }),
      ...(input.description !== undefined && { description: parseDescription(input.description) }),
    };
    const document = await this.writable(id);
    const current: Record<string, string | null> = {
      filename: document.filename,
      tags: document.tags.join(', '),
      category: document.category,
      description: document.description,
    };
    const changes: Change[] = Object.entries(edit)
      .map(([field, value]) => ({ field, from: current[field] ?? null, to: Array.isArray(value) ? value.join(', ') : ((value as string | null) ?? null) }))
      .filter((change) => change.from !== change.to);
    if (changes.length === 0) return document;
    await this.db.transaction().execute(async (trx) => {
      const locked = await lockStillAttached(trx, this.repository, this.viewer.companyId, document);
      if (locked.deleted_at) throw notFound('Document', id);
      const row = await this.repository.edit(trx, this.viewer.companyId, document.documentId, edit);
      if (!row) throw notFound('Document', id);
      const action = changes.some((change) => change.field === 'filename') ? 'renamed' : 'updated';
      await this.activity.record(trx, this.viewer, row, action, { changes });
    });
    return this.reload(document.documentId);
  }

  /** Attaches the document to another record; its versions, links and trail go with it (links serve while their makers may read it there). */
  async move(id: string, entityTypeInput: string, entityIdInput: string): Promise<DocumentModel> {
    const entityType = parseEntityType(entityTypeInput);
    const entityId = parseEntityId(entityType, entityIdInput);
    const document = await this.writable(id);
    if (document.entityType === entityType && document.entityId === entityId) return document;
    await this.documents.access.requireAttachable({ entityType, entityId });
    await this.db.transaction().execute(async (trx) => {
      const locked = await lockStillAttached(trx, this.repository, this.viewer.companyId, document);
      if (locked.deleted_at) throw notFound('Document', id);
      const row = await this.repository.edit(trx, this.viewer.companyId, document.documentId, { entity_type: entityType, entity_id: entityId });
      if (!row) throw notFound('Document', id);
      await this.activity.record(trx, this.viewer, row, 'moved', {
        changes: [{ field: 'entity', from: `${document.entityType}:${document.entityId}`, to: `${entityType}:${entityId}` }],
      });
      // Links whose makers may not read the document where it goes stop serving (Nextcloud's are revoked now).
      await this.shares.revokeNextcloudLinksUnreadableAfterMove(trx, { ...document, entityType, entityId });
    });
    return this.reload(document.documentId);
  }
}
