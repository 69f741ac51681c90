/**
 * Nextcloud serves its shares itself: none is judged when opened, as ours are
 * (share-maker-access.ts). moveDocument and the trash revoke them at once, but
 * a document's access can change other ways the documents service never sees
 * as such: its record relinked without moveDocument (a repair, an import), or
 * an older share (no maker kept) whose document left the record it was pinned
 * to, or its maker's role in the course ended in academy (which announces no
 * such event). So every live Nextcloud share is judged again with the periodic
 * jobs, as moveDocument judges them, and revoked there and here when its maker
 * may not read its document where it is now. Never when academy cannot tell.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { Logger } from '../../../platform/logger.js';
import type { DocumentRepository } from '../repositories/document-repository.js';
import type { DocumentsDb } from '../repositories/documents-db.js';
import type { NextcloudShareToJudge, ShareLinkRepository } from '../repositories/share-link-repository.js';
import type { DocumentAccess } from '../services/document-access.js';
import type { ActivityTrail } from '../services/document-activity.js';
import { publishShareEvent } from '../services/document-events.js';
import type { NextcloudShareAccounts } from '../services/nextcloud-share-accounts.js';
import { makerJudgement, perMaker, type MakerJudgement } from '../services/share-maker-access.js';

export interface NextcloudShareJudgeDeps {
  db: DocumentsDb;
  documents: DocumentRepository;
  links: ShareLinkRepository;
  accounts: NextcloudShareAccounts;
  /** The document access rules for a viewer (a share's maker here), as GraphQL applies them. */
  accessFor: (viewer: Viewer) => DocumentAccess;
  activity: ActivityTrail;
  log: Logger;
}

export class NextcloudShareJudge {
  constructor(private readonly deps: NextcloudShareJudgeDeps) {}

  /** Judges every live Nextcloud share once; how many were revoked. One that fails is logged and judged next time. */
  async run(): Promise<{ revoked: number }> {
    let revoked = 0;
    const accessFor = perMaker(this.deps.accessFor);
    for (const share of await this.deps.links.liveNextcloudToJudge()) {
      const judgement = await makerJudgement(share, accessFor);
      if (judgement === 'reads' || judgement === 'unavailable') continue;
      try {
        if (await this.revoke(share, judgement)) revoked += 1;
      } catch (error) {
        this.deps.log.warn({ err: error, shareLinkId: share.id }, 'could not revoke a Nextcloud share its maker may no longer read; judged again next time');
      }
    }
    return { revoked };
  }

  /**
   * Revokes it in one transaction with its document's row locked and still where it was judged (moved or trashed
   * since, it is left to that change, or to the next run), and deletes it in Nextcloud there, last before the commit.
   */
  private async revoke(share: NextcloudShareToJudge, judgement: Exclude<MakerJudgement, 'reads' | 'unavailable'>): Promise<boolean> {
    const { db, documents, links, accounts, activity } = this.deps;
    return db.transaction().execute(async (trx) => {
      const document = await documents.lockForUpdate(trx, share.company_id, share.document_id);
      if (!document || document.deleted_at || document.entity_type !== share.entity_type || document.entity_id !== share.entity_id) return false;
      const revoked = await links.revoke(trx, share.maker_company_id, share.id);
      if (!revoked) return false;
      const nextcloud = await accounts.clientFor(share.company_id, 'revoke');
      if (!nextcloud) throw new Error('the company has no Nextcloud account configured to revoke it');
      await nextcloud.delete(revoked.external_id!);
      const reason =
        judgement === 'lost'
          ? `its maker may not read documents of ${document.entity_type} ${document.entity_id}`
          : `made before makers were kept, it served only on ${share.legacy_attachment}`;
      await publishShareEvent(trx, 'documents.share.revoked', revoked, { entityType: document.entity_type, entityId: document.entity_id }, null);
      await activity.record(trx, null, document, 'share_revoked', { shareLinkId: revoked.id, reason });
      return true;
    });
  }
}
