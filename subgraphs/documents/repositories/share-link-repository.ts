/** Share links: stored by the hash of their token, always within one company except the public lookup. */
import { sql, type Selectable } from 'kysely';
import type { ShareLinksTable } from '../database.js';
import type { ShareLinkModel } from '../models.js';
import type { SharedDocument } from '../services/share-maker-access.js';
import type { Keyed, PageWindow } from './document-repository.js';
import { uuidsOnly, type DocumentsDb, type DocumentsTrx } from './documents-db.js';
import { before, micros } from '../../../platform/database/keyset.js';

/** A live Nextcloud share with its maker and its document's attachment now (liveNextcloudToJudge). */
export interface NextcloudShareToJudge extends SharedDocument {
  id: string;
  document_id: string;
}

export function toShareLink(row: Selectable<ShareLinksTable>): ShareLinkModel {
  return {
    id: row.id,
    documentId: row.document_id,
    expiresAt: row.expires_at,
    hasPassword: row.password_hash !== null,
    revokedAt: row.revoked_at,
    downloadCount: row.download_count,
    createdAt: row.created_at,
    createdByUser: row.created_by_user,
    provider: row.provider as ShareLinkModel['provider'],
    externalId: row.external_id,
    externalUrl: row.external_url,
    maker: {
      maker_company_id: row.company_id,
      created_by: row.created_by,
      created_by_user: row.created_by_user,
      created_by_roles: row.created_by_roles,
      legacy_attachment: row.legacy_attachment,
    },
  };
}

/** A link's maker (what their access rested on) and where its document is now: what a link is judged by. */
const MAKER_AND_PLACE = [
  's.company_id as maker_company_id',
  's.created_by',
  's.created_by_user',
  's.created_by_roles',
  's.legacy_attachment',
  'd.id as document_id',
  'd.company_id',
  'd.entity_type',
  'd.entity_id',
] as const;

export class ShareLinkRepository {
  constructor(private readonly db: DocumentsDb) {}

  async insert(
    trx: DocumentsTrx,
    link: {
      id: string;
      documentId: string;
      companyId: string;
      tokenHash: string;
      expiresAt: Date;
      passwordHash: string | null;
      createdBy: string;
      createdByUser: string | null;
      createdByRoles: readonly string[];
      provider?: 'documents' | 'nextcloud';
      externalId?: string;
      externalUrl?: string;
    },
  ): Promise<Selectable<ShareLinksTable>> {
    return trx
      .insertInto('documents.share_links')
      .values({
        id: link.id,
        document_id: link.documentId,
        company_id: link.companyId,
        token_hash: link.tokenHash,
        expires_at: link.expiresAt,
        password_hash: link.passwordHash,
        created_by: link.createdBy,
        created_by_user: link.createdByUser,
        created_by_roles: [...link.createdByRoles],
        provider: link.provider ?? 'documents',
        external_id: link.externalId ?? null,
        external_url: link.externalUrl ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async listForDocuments(companyId: string, documentIds: readonly string[]): Promise<ShareLinkModel[]> {
    const uuids = uuidsOnly(documentIds);
    if (uuids.length === 0) return [];
    const rows = await this.db
      .selectFrom('documents.share_links')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('document_id', 'in', uuids)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toShareLink);
  }

  /** Documents' links a page each, newest first, after a cursor's [created_at micros, id]: one query for all of them (pageLoader). */
  async listPages(companyId: string, documentIds: readonly string[], page: PageWindow): Promise<Keyed<ShareLinkModel>[]> {
    const ids = uuidsOnly(documentIds);
    if (ids.length === 0) return [];
    let query = this.db
      .selectFrom('documents.share_links as s')
      .selectAll('s')
      .select(micros('s.created_at').as('sort_at'))
      .select(sql<string>`row_number() over (partition by s.document_id order by s.created_at desc, s.id)`.as('page_row'))
      .where('s.company_id', '=', companyId)
      .where('s.document_id', 'in', ids);
    if (page.after) query = query.where(before('s.created_at', 's.id', page.after));
    const rows = await this.db.selectFrom(query.as('p')).selectAll().where('p.page_row', '<=', String(page.limit)).orderBy('p.document_id').orderBy('p.page_row').execute();
    return rows.map((row) => ({ node: toShareLink(row), key: [row.sort_at, row.id] }));
  }

  async find(companyId: string, id: string): Promise<ShareLinkModel | null> {
    const [uuid] = uuidsOnly([id]);
    if (!uuid) return null;
    const row = await this.db.selectFrom('documents.share_links').selectAll().where('company_id', '=', companyId).where('id', '=', uuid).executeTakeFirst();
    return row ? toShareLink(row) : null;
  }

  /** Revokes a live link; null when it was already revoked (or is not there). */
  async revoke(trx: DocumentsTrx, companyId: string, id: string): Promise<Selectable<ShareLinksTable> | null> {
    const row = await trx
      .updateTable('documents.share_links')
      .set({ revoked_at: new Date() })
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return row ?? null;
  }

  /** A document's live Nextcloud shares, with their makers, in a transaction that holds the document's row. */
  async liveNextcloudOf(trx: DocumentsTrx, companyId: string, documentId: string): Promise<Selectable<ShareLinksTable>[]> {
    return trx
      .selectFrom('documents.share_links')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('document_id', '=', documentId)
      .where('provider', '=', 'nextcloud')
      .where('revoked_at', 'is', null)
      .execute();
  }

  /**
   * Every live Nextcloud share (not revoked nor expired) of a document not in the trash (the trash revokes its own),
   * with what its maker's access rested on and where its document is now: for judging them again.
   */
  async liveNextcloudToJudge(): Promise<NextcloudShareToJudge[]> {
    return this.db
      .selectFrom('documents.share_links as s')
      .innerJoin('documents.documents as d', 'd.id', 's.document_id')
      .where('s.provider', '=', 'nextcloud')
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', new Date())
      .where('d.deleted_at', 'is', null)
      .select(['s.id', ...MAKER_AND_PLACE])
      .orderBy('s.created_at')
      .execute();
  }

  /** Revokes every live link of a document; the links revoked now. */
  async revokeAllOf(trx: DocumentsTrx, companyId: string, documentId: string): Promise<Selectable<ShareLinksTable>[]> {
    return trx
      .updateTable('documents.share_links')
      .set({ revoked_at: new Date() })
      .where('company_id', '=', companyId)
      .where('document_id', '=', documentId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .execute();
  }

  /**
   * The public side: a link by its token's hash, with what its maker's access rested on and the document as it is
   * now. The token is the authority, so no company filter (the maker's access is judged on it: share-maker-access.ts).
   */
  async findByTokenHash(tokenHash: string) {
    return (
      (await this.db
        .selectFrom('documents.share_links as s')
        .innerJoin('documents.documents as d', 'd.id', 's.document_id')
        .where('s.token_hash', '=', tokenHash)
        // Nextcloud serves its own shares: our URL never names them.
        .where('s.provider', '=', 'documents')
        .select([
          's.id',
          's.expires_at',
          's.revoked_at',
          's.password_hash',
          ...MAKER_AND_PLACE,
          'd.deleted_at',
          'd.storage_backend',
          'd.storage_key',
          'd.storage_profile',
          'd.size',
          'd.checksum',
          'd.mime_type',
          'd.filename',
        ])
        .executeTakeFirst()) ?? null
    );
  }

  async countDownload(id: string): Promise<void> {
    await this.db
      .updateTable('documents.share_links')
      .set((eb) => ({ download_count: eb('download_count', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }
}
