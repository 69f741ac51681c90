/**
 * Creating, listing and revoking share links: for those who may change the
 * document. Links are ours (served under /files/share/), or Nextcloud shares
 * when the company asks for them and the document is on WebDAV.
 */
import { randomUUID } from 'node:crypto';
import type DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, notFound, unavailable } from '../../../platform/errors.js';
import { pageRequest, toConnection, type Connection, type PageArgs } from '../../../platform/graphql/connection.js';
import { groupLoader, pageLoader, type PageKey } from '../../../platform/graphql/loaders.js';
import type { DocumentRepository, Keyed } from '../repositories/document-repository.js';
import type { DocumentModel, ShareLinkModel } from '../models.js';
import type { ShareLinkStatus } from '../generated/resolvers-types.js';
import type { DocumentsDb, DocumentsTrx } from '../repositories/documents-db.js';
import { toShareLink, type ShareLinkRepository } from '../repositories/share-link-repository.js';
import type { ActivityTrail } from './document-activity.js';
import { publishShareEvent } from './document-events.js';
import type { NextcloudShareAccounts } from './nextcloud-share-accounts.js';
import type { NextcloudShares } from './nextcloud-shares.js';
import type { DocumentAccess } from './document-access.js';
import type { DocumentService } from './document-service.js';
import { lockStillAttached } from './locked-attachment.js';
import { makerJudgement, makerOf, perMaker, type MakerJudgement } from './share-maker-access.js';
import { hashSharePassword } from './share-password.js';
import { ShareTokens } from './share-tokens.js';

export const MAX_SHARE_DAYS = 30;

const STATUS_OF: Record<MakerJudgement, ShareLinkStatus> = {
  reads: 'SERVING',
  lost: 'MAKER_LOST_ACCESS',
  'left-pinned': 'LEFT_PINNED_RECORD',
  unavailable: 'CANNOT_TELL',
};

export class ShareService {
  private readonly linksByDocument: DataLoader<string, ShareLinkModel[]>;
  /** shareLinksConnection of every document in a list, one query per page shape. */
  private readonly linkPages: DataLoader<PageKey, Keyed<ShareLinkModel>[], string>;
  private readonly statuses = new Map<string, Promise<ShareLinkStatus>>();
  /** Makers' access, one per maker in this request (perMaker). */
  private readonly makerAccess: (maker: Viewer) => DocumentAccess;

  constructor(
    private readonly viewer: Viewer,
    private readonly documents: DocumentService,
    private readonly documentRows: DocumentRepository,
    private readonly links: ShareLinkRepository,
    private readonly tokens: ShareTokens,
    private readonly db: DocumentsDb,
    private readonly nextcloud: NextcloudShareAccounts,
    private readonly activity: ActivityTrail,
    /** The document access rules for a viewer (a link's maker here), as GraphQL applies them. */
    private readonly accessFor: (viewer: Viewer) => DocumentAccess,
  ) {
    this.makerAccess = perMaker(accessFor);
    this.linkPages = pageLoader(
      (ids, window) => links.listPages(viewer.companyId, ids, window),
      (row) => row.node.documentId,
    );
    this.linksByDocument = groupLoader(
      (ids) => links.listForDocuments(viewer.companyId, ids),
      (link) => link.documentId,
    );
  }

  async linksOf(document: DocumentModel): Promise<ShareLinkModel[]> {
    if (document.isVersion || !(await this.documents.mayManage(document))) return [];
    return this.linksByDocument.load(document.documentId);
  }

  /** ShareLink.servesNow: live, and its maker may read the document where it is now; null when academy cannot tell. */
  async servesNow(link: ShareLinkModel): Promise<boolean | null> {
    const status = await this.status(link);
    return status === 'CANNOT_TELL' ? null : status === 'SERVING';
  }

  /** ShareLink.status: whether it serves now and why not, judged once per link and request (servesNow asks too). */
  status(link: ShareLinkModel): Promise<ShareLinkStatus> {
    let judged = this.statuses.get(link.id);
    if (!judged) this.statuses.set(link.id, (judged = this.judge(link)));
    return judged;
  }

  private async judge(link: ShareLinkModel): Promise<ShareLinkStatus> {
    if (link.revokedAt) return 'REVOKED';
    if (link.expiresAt.getTime() <= Date.now()) return 'EXPIRED';
    // Nextcloud serves its shares itself: a move revokes those whose maker may not read the new place, and the
    // periodic judging those whose document left their maker's reach another way (jobs/judge-nextcloud-shares.ts).
    if (link.provider !== 'documents') return 'SERVING';
    const document = await this.documents.getDocument(link.documentId);
    if (!document) return 'DOCUMENT_GONE';
    const attached = { company_id: document.companyId, entity_type: document.entityType, entity_id: document.entityId };
    const judgement = await makerJudgement({ ...link.maker, ...attached }, this.makerAccess);
    return STATUS_OF[judgement];
  }

  async linksPage(document: DocumentModel, args: PageArgs): Promise<Connection<ShareLinkModel>> {
    const { first, after } = pageRequest(args, ['string', 'string']);
    if (document.isVersion || !(await this.documents.mayManage(document)))
      return toConnection(
        [],
        first,
        () => [],
        (row) => row,
      );
    const rows = await this.linkPages.load({ parentId: document.documentId, after, limit: first + 1 });
    return toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
    );
  }

  /** Ours under /files/share/, or Nextcloud's own for a Nextcloud share. */
  url(link: ShareLinkModel): string {
    return link.externalUrl ?? this.tokens.urlOf(link.id);
  }

  async create(documentId: string, expiresAt: Date, password: string | null | undefined): Promise<ShareLinkModel> {
    const document = await this.documents.getDocument(documentId);
    if (!document || document.isVersion) throw notFound('Document', documentId);
    await this.documents.access.requireWrite(document);
    const now = Date.now();
    if (expiresAt.getTime() <= now) throw badInput('expiresAt must be in the future', 'expiresAt');
    if (expiresAt.getTime() > now + MAX_SHARE_DAYS * 86_400_000) throw badInput(`expiresAt must be at most ${MAX_SHARE_DAYS} days ahead`, 'expiresAt');
    if (password != null && (password.length < 8 || password.length > 200)) throw badInput('password must have 8 to 200 characters', 'password');
    const id = randomUUID();
    const passwordHash = password == null ? null : await hashSharePassword(password);
    // With Nextcloud shares on, Nextcloud creates and serves the link (an outside effect: before our transaction, undone if it fails).
    const path = await this.nextcloud.pathOf(document);
    const nextcloud = path ? await this.nextcloud.clientFor(this.viewer.companyId, 'create') : null;
    const external = nextcloud ? await nextcloud.create(path!, expiresAt, password ?? null) : null;
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        const locked = await lockStillAttached(trx, this.documentRows, this.viewer.companyId, document);
        if (locked.deleted_at) throw notFound('Document', documentId);
        const inserted = await this.links.insert(trx, {
          id,
          documentId: document.documentId,
          companyId: this.viewer.companyId,
          tokenHash: ShareTokens.hash(this.tokens.tokenOf(id)),
          expiresAt,
          passwordHash,
          createdBy: this.viewer.userId,
          createdByUser: this.viewer.moodleUserId ?? null,
          // What the maker's access rested on (with company and Moodle id): the link serves while it still holds.
          createdByRoles: this.viewer.roles,
          ...(external && { provider: 'nextcloud', externalId: external.id, externalUrl: external.url }),
        });
        await publishShareEvent(trx, 'documents.share.created', inserted, document, this.viewer.userId);
        await this.activity.record(trx, this.viewer, { id: document.documentId, company_id: this.viewer.companyId }, 'shared', { shareLinkId: id });
        return inserted;
      });
      return toShareLink(row);
    } catch (error) {
      if (external) await nextcloud!.delete(external.id).catch(() => {});
      throw error;
    }
  }

  async revoke(id: string): Promise<ShareLinkModel> {
    const link = await this.links.find(this.viewer.companyId, id);
    const document = link && (await this.documents.findReadable(link.documentId));
    if (!link || !document) throw notFound('ShareLink', id);
    await this.documents.access.requireWrite(document);
    await this.revokeLink(link, document);
    return (await this.links.find(this.viewer.companyId, link.id))!;
  }

  /**
   * Revokes one link. A Nextcloud share is deleted there only once the document's row is locked and still
   * where it was judged, in the transaction that marks it revoked: nothing can refuse the revocation after
   * the delete (a commit that fails aside). Nextcloud counts a share already gone as deleted: a retry finishes.
   */
  private async revokeLink(link: ShareLinkModel, document: DocumentModel): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockStillAttached(trx, this.documentRows, this.viewer.companyId, document);
      const revoked = await this.links.revoke(trx, this.viewer.companyId, link.id);
      // Revoking twice changes nothing and announces nothing.
      if (!revoked) return;
      if (revoked.provider === 'nextcloud') await (await this.nextcloudRevoker()).delete(revoked.external_id!);
      await this.revoked(trx, revoked, document);
    });
  }

  /** Nextcloud serves its shares itself: revoking one needs the company's account there. */
  private async nextcloudRevoker(): Promise<NextcloudShares> {
    const nextcloud = await this.nextcloud.clientFor(this.viewer.companyId, 'revoke');
    if (!nextcloud) throw unavailable('This link is a Nextcloud share and the company has no Nextcloud account configured to revoke it', { backend: 'nextcloud' });
    return nextcloud;
  }

  private async revoked(trx: DocumentsTrx, link: Parameters<typeof publishShareEvent>[2], document: DocumentModel, reason?: string): Promise<void> {
    await publishShareEvent(trx, 'documents.share.revoked', link, document, this.viewer.userId);
    await this.activity.record(trx, this.viewer, { id: document.documentId, company_id: this.viewer.companyId }, 'share_revoked', {
      shareLinkId: link.id,
      ...(reason && { reason }),
    });
  }

  /**
   * A move, in its transaction (the row locked, the attachment changed): a link serves only while its maker could
   * read the document where it is. Ours are judged each time they are opened (share-maker-access.ts); Nextcloud
   * serves its shares itself, so those whose maker may not read the `moved` document are revoked now, there and here.
   */
  async revokeNextcloudLinksUnreadableAfterMove(trx: DocumentsTrx, moved: DocumentModel): Promise<void> {
    let nextcloud: NextcloudShares | undefined;
    for (const row of await this.links.liveNextcloudOf(trx, this.viewer.companyId, moved.documentId)) {
      const maker = makerOf({ ...row, maker_company_id: row.company_id });
      if (maker && (await this.accessFor(maker).mayRead(moved))) continue;
      const revoked = await this.links.revoke(trx, this.viewer.companyId, row.id);
      if (!revoked) continue;
      await (nextcloud ??= await this.nextcloudRevoker()).delete(revoked.external_id!);
      await this.revoked(trx, revoked, moved, `its maker may not read documents of ${moved.entityType} ${moved.entityId}`);
    }
  }

  /**
   * Every live link of a document that goes to the trash, in the trash's transaction (its row locked, the trash
   * sure to go through but for Nextcloud): a restore does not bring them back (share again instead). Nextcloud's
   * shares are deleted there now; if Nextcloud fails, the trash is refused and every link stays recorded live
   * (one already deleted there is gone for good, and deleted again, harmlessly, by the next try).
   */
  async revokeAllWithin(trx: DocumentsTrx, document: DocumentModel): Promise<void> {
    let nextcloud: NextcloudShares | undefined;
    for (const link of await this.links.revokeAllOf(trx, this.viewer.companyId, document.documentId)) {
      if (link.provider === 'nextcloud') await (nextcloud ??= await this.nextcloudRevoker()).delete(link.external_id!);
      await this.revoked(trx, link, document);
    }
  }
}
