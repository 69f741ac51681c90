/**
 * What is written to a document's activity trail, by whom. Entries go in the
 * transaction of the change they record; downloads through a share link have
 * no actor (anyone holding the link) and name the link instead.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { pageRequest, toConnection, type Connection, type PageArgs } from '../../../platform/graphql/connection.js';
import type DataLoader from 'dataloader';
import type { Selectable } from 'kysely';
import { pageLoader, type PageKey } from '../../../platform/graphql/loaders.js';
import type { ActivityDetails, DocumentActivityTable } from '../database.js';
import type { Keyed } from '../repositories/document-repository.js';
import type { DocumentActivityModel, DocumentModel } from '../models.js';
import type { ActivityRepository } from '../repositories/activity-repository.js';
import type { DocumentsTrx } from '../repositories/documents-db.js';
import type { DocumentService } from './document-service.js';

export const ACTIVITY_ACTIONS = [
  'uploaded',
  'versioned',
  'renamed',
  'updated',
  'moved',
  'shared',
  'share_revoked',
  'downloaded',
  'archived',
  'unarchived',
  'trashed',
  'restored',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

export class ActivityTrail {
  constructor(private readonly repository: ActivityRepository) {}

  record(trx: DocumentsTrx, viewer: Viewer | null, document: { id: string; company_id: string }, action: ActivityAction, details?: ActivityDetails): Promise<void> {
    return this.repository.record(trx, {
      companyId: document.company_id,
      documentId: document.id,
      action,
      actorId: viewer?.userId ?? null,
      actorUser: viewer?.moodleUserId ?? null,
      details,
    });
  }

  /** A whole download through one of our share links (by whoever holds it). */
  sharedDownload(link: { id: string; document_id: string; company_id: string }): Promise<void> {
    return this.repository.record(null, {
      companyId: link.company_id,
      documentId: link.document_id,
      action: 'downloaded',
      actorId: null,
      actorUser: null,
      details: { shareLinkId: link.id },
    });
  }
}

/** Reading a trail: for those who may manage the document (as its share links); an empty page for others. */
export class ActivityFeed {
  /** The activity of every document in a list, one query per page shape. */
  private readonly pages: DataLoader<PageKey, Keyed<Selectable<DocumentActivityTable>>[], string>;

  constructor(
    viewer: Viewer,
    private readonly documents: DocumentService,
    repository: ActivityRepository,
  ) {
    this.pages = pageLoader(
      (ids, window) => repository.pages(viewer.companyId, ids, window),
      (row) => row.node.document_id,
    );
  }

  async of(document: DocumentModel, args: PageArgs): Promise<Connection<DocumentActivityModel>> {
    const { first, after } = pageRequest(args, ['string']);
    if (document.isVersion || !(await this.documents.mayManage(document)))
      return toConnection(
        [],
        first,
        () => [],
        (row) => row,
      );
    const rows = await this.pages.load({ parentId: document.documentId, after, limit: first + 1 });
    return toConnection(
      rows,
      first,
      (row) => row.key,
      ({ node }) => ({
        id: String(node.id),
        action: node.action,
        actorUser: node.actor_user,
        createdAt: node.created_at,
        version: node.details.version ?? null,
        restoredFrom: node.details.restoredFrom ?? null,
        shareLinkId: node.details.shareLinkId ?? null,
        changes: node.details.changes ?? [],
      }),
    );
  }
}
